"""Security headers on every response, and a size limit that chunked bodies cannot slip past."""

import io

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge

# A hand-written after_request rather than Flask-Talisman, whose init_app fights our config:
# it writes SESSION_COOKIE_SAMESITE/HTTPONLY into app.config and (unless told not to) sets
# SESSION_COOKIE_SECURE on every request, and it sends HSTS only when the request looks secure
# (is_secure or a raw X-Forwarded-Proto), so behind a proxy with PROXY_COUNT=0 production would
# send no HSTS at all. Here production sends it whatever the request looked like.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",  # scripts, styles, images only from our own static files
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",  # no page may be framed (clickjacking the Approve button)
        "form-action 'self'",
    ]
)
# Features the tracker never uses; a framed or injected page cannot ask for them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Same-origin keeps the Referer that Flask-WTF's https CSRF check needs; other sites get none.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    """Add the security headers (and HSTS where the config asks for it) to every response."""
    headers = dict(SECURITY_HEADERS)
    if app.config.get("STRICT_TRANSPORT_SECURITY"):
        headers["Strict-Transport-Security"] = app.config["STRICT_TRANSPORT_SECURITY"]

    # Registered before the extensions, so it runs before CSRFProtect first parses the form.
    app.before_request(limit_chunked_body)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        # Flask runs this for error pages too (finalize_request), including the 400 for an
        # unknown Host, so nothing here may read request.host.
        response.headers.update(headers)
        return response


def larger_form(*, body: int, text_field: int):
    """Let one view take a larger body, and text fields larger than MAX_FORM_MEMORY_SIZE, than
    the app's defaults: a chain's CSV pasted into its form is megabytes, not kilobytes. The
    limits sit beside the form that needs them; the decorator goes right under the route."""

    def decorate(view):
        view.form_limits = (body, text_field)
        return view

    return decorate


def limit_chunked_body() -> None:
    """Refuse a chunked body over MAX_CONTENT_LENGTH with 413, reading at most one byte more.

    :raises RequestEntityTooLarge: if the body is larger than the limit.
    :raises ClientDisconnected: (a 400) if the body ends before its last chunk.
    """
    # The few forms that take a file (BODY_LIMITS) may be larger than the rest.
    larger = current_app.config["BODY_LIMITS"].get(request.endpoint)
    if larger is not None:
        request.max_content_length = larger
    view = current_app.view_functions.get(request.endpoint)
    if view is not None and hasattr(view, "form_limits"):
        request.max_content_length, request.max_form_memory_size = view.form_limits
    # Werkzeug checks Content-Length up front, but a chunked body it reads only up to the limit
    # and then parses what it got: a 150 MB chunked form was silently cut at 1 MiB and handled.
    limit = request.max_content_length
    environ = request.environ
    if limit is None or "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        return
    try:
        body = environ["wsgi.input"].read(limit + 1)
    except (OSError, ValueError) as error:
        # The client stopped mid-body, or sent a broken chunk (gunicorn's NoMoreData and
        # InvalidChunkSize are OSErrors): a bad request, not a fault of ours (it was a 500).
        raise ClientDisconnected() from error
    if len(body) > limit:
        raise RequestEntityTooLarge()
    # Hand Werkzeug the (small) body as if it had come with a Content-Length.
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    del environ["HTTP_TRANSFER_ENCODING"]
