"""The language control's one route: remember the choice, then go back to the same page."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, request
from flask_login import current_user

from tracker.extensions import csrf, db
from tracker.languages.selection import LANGUAGE_COOKIE, ONE_YEAR, supported

bp = Blueprint("languages", __name__)


def same_site_path(target: str | None) -> str:
    """`target` if it is a path on this site; "/" otherwise, so the control cannot redirect away."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(char) < 32 for char in target):
        return "/"
    return target


@bp.post("/language")
@csrf.exempt
def choose():
    """Anyone's choice sets a cookie: forged, it would only change a visitor's language, and
    the control carries no token for visitors so that public pages hold nothing per visitor.
    A signed-in person's choice is stored on their account too: that needs the token."""
    if current_user.is_authenticated:
        csrf.protect()
    language = request.form.get("language", "")
    if language not in supported():
        abort(400)
    if current_user.is_authenticated:
        current_user.locale = language  # so that e-mails to them are written in it too
        db.session.commit()
    response = redirect(same_site_path(request.form.get("next")))
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=ONE_YEAR,
        samesite="Lax",
        secure=request.is_secure,
        httponly=True,
    )
    return response
