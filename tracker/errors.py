"""One error handler for the HTTP errors the app raises, as HTML or JSON (the API's own shape)."""

import math
import time

from flask import Flask, Response, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from pydantic import Field
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import (
    Conflict,
    HTTPException,
    RequestEntityTooLarge,
    SecurityError,
    ServiceUnavailable,
)

from tracker import database
from tracker.extensions import db, limiter
from tracker.json_schemas import Schema
from tracker.security_log import log_refusal

PAGES = {400, 403, 404, 405, 409, 413, 429, 500, 503}
UNKNOWN_HOST = "This site does not answer to that host name."
# Seconds a client is asked to wait after the database was too busy (a lock held past its timeout).
BUSY_RETRY_AFTER = 5


class ErrorDetail(Schema):
    status: int
    message: str
    fields: dict[str, list[str]] = Field(default_factory=dict)


# The API's error body, as its answers give it and its OpenAPI document describes it (a comment:
# pydantic would take a docstring into the document).
class ApiError(Schema):
    error: ErrorDetail


def api_error(status: int, message: str, fields: dict[str, list[str]] | None = None) -> Response:
    """An API error: JSON with a message (and per-field messages for bad input), never HTML.

    `{"error": {"status": 400, "message": "...", "fields": {"country": ["..."]}}}`.
    """
    messages = {name: [str(text) for text in texts] for name, texts in (fields or {}).items()}
    body = ApiError(error=ErrorDetail(status=status, message=str(message), fields=messages))
    response = jsonify(body.model_dump(exclude_defaults=True))  # no "fields" when there are none
    response.status_code = status
    return response


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.startswith("/api/") or (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def render_error(error: HTTPException):
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
    if request.path.startswith("/api/"):  # the open-data API's own shape (tracker/api)
        return api_error(code, error.description)
    if wants_json():
        return jsonify(error=error.name, description=error.description, status=code), code
    template = f"errors/{code}.html" if code in PAGES else "errors/generic.html"
    return render_template(template, error=error, retry_minutes=retry_minutes(code)), code


def retry_minutes(code: int) -> int | None:
    """For a 429, whole minutes until the breached limit lets the client in again."""
    limit = limiter.current_limit if code == 429 else None
    if limit is None:
        return None
    return max(1, math.ceil((limit.reset_at - time.time()) / 60))


def handle_csrf(error: CSRFError):
    log_refusal("csrf", detail=error.description)
    error.description = (
        "This form has expired or was sent from another page. Go back, reload it and try again."
    )
    return render_error(error)


def handle_too_large(error: RequestEntityTooLarge):
    # Raised before the body is read (Content-Length) or once the limit is passed (chunked).
    log_refusal("size", detail=request.content_length or "chunked")
    return render_error(error)


def handle_untrusted_host(error: SecurityError):
    # Flask refused the Host header against TRUSTED_HOSTS; request.host would raise again, and
    # with no URL adapter for that host url_for cannot build the page templates' links.
    log_refusal("host", detail=request.environ.get("HTTP_HOST"))
    if wants_json():
        return jsonify(error=error.name, description=UNKNOWN_HOST, status=400), 400
    return UNKNOWN_HOST + "\n", 400, {"Content-Type": "text/plain; charset=utf-8"}


def handle_stale(error: StaleDataError):
    # Someone else changed the record between our read and our write; nothing was saved.
    db.session.rollback()
    return render_error(
        Conflict("This record was changed by someone else at the same time. Reload and try again.")
    )


def handle_database_error(error: OperationalError):
    """A lock or statement that ran out of time is load, not a fault: 503 with Retry-After.

    :raises OperationalError: any other database error, which Flask logs and answers with 500.
    """
    if not database.is_busy(error):
        raise error
    current_app.logger.warning(
        "database busy: %s %s: %s", request.method, request.path, str(error.orig).strip()
    )
    busy = ServiceUnavailable(
        _(
            "The site is too busy to finish this just now, so nothing was saved."
            " Please try again in a few seconds."
        )
    )
    response = make_response(render_error(busy))  # which rolls the transaction back
    response.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(StaleDataError, handle_stale)
    app.register_error_handler(OperationalError, handle_database_error)
    app.register_error_handler(RequestEntityTooLarge, handle_too_large)
    app.register_error_handler(SecurityError, handle_untrusted_host)
    # Flask hands unexpected exceptions to this too, wrapped as InternalServerError.
    app.register_error_handler(HTTPException, render_error)
