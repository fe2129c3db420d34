"""The language control's one route: remember the choice, then go back to the same page."""

from flask import Blueprint, abort, redirect, request
from flask_login import current_user

from tracker.extensions import csrf, db
from tracker.languages.selection import LANGUAGE_COOKIE, ONE_YEAR, supported
from tracker.urls import same_site_path

bp = Blueprint("languages", __name__)


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
    response = redirect(same_site_path(request.form.get("next")) or "/")
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=ONE_YEAR,
        samesite="Lax",
        secure=request.is_secure,
        httponly=True,
    )
    return response
