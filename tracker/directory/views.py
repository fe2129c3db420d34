"""Public pages: verifying a membership number."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tracker.directory import verification
from tracker.reports import services

bp = Blueprint("directory", __name__)

MAX_NUMBER_TEXT = 40  # longer text is not a membership number (and is not echoed back whole)


@bp.get("/verify")
def verify_form():
    """The form; a number given in the query string goes to its own page."""
    given = request.args.get("number")
    if given is None:
        return render_template("directory/verify_form.html", number="", error=None)
    number = verification.normalised(given[: MAX_NUMBER_TEXT + 1])
    if number is None or len(given) > MAX_NUMBER_TEXT:
        error = _("A membership number looks like TC-000123. Check it and try again.")
        page = render_template(
            "directory/verify_form.html", number=given[:MAX_NUMBER_TEXT], error=error
        )
        return page, 400
    return redirect(url_for("directory.verify", number=number))


@bp.get("/verify/<number>")
def verify(number: str):
    canonical = verification.normalised(number[: MAX_NUMBER_TEXT + 1])
    if canonical is None or len(number) > MAX_NUMBER_TEXT:
        abort(404)
    if canonical != number:  # one address per number, for links and printed QR codes
        return redirect(url_for("directory.verify", number=canonical), 301)
    result = verification.verify(canonical, services.today())
    if result is None:
        return render_template("directory/verify_unknown.html", number=canonical), 404
    return render_template("directory/verify.html", result=result)
