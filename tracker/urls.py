"""Links: absolute ones for e-mails, built from PUBLIC_BASE_URL and never from the request's
Host; and the one check of a redirect target that came with the request."""

from urllib.parse import urlsplit

from flask import current_app


def public_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` on the configured public site, with or without a request."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def same_site_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: a crafted link (after sign-in, or the
    language control's "back to this page") cannot send anyone elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # urlsplit drops tabs and newlines before parsing, so check them first: "/\t/evil" is
    # "//evil" to a browser, and a newline in the Location header is a 500.
    if not target.isprintable():
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and "\\" not in target else None
