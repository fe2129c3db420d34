"""Public pages: the directory of members, their profiles, and verifying a membership number."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tracker.directory.profiles import profile
from tracker.directory.search import listing
from tracker.directory.search.filters import DirectoryFilterForm
from tracker.directory.verify import verification
from tracker.extensions import limiter
from tracker.page_cache import public_page
from tracker.reports import services

bp = Blueprint("directory", __name__)

PAGING = ("page", "per_page")
MAX_NUMBER_TEXT = 40  # longer text is not a membership number (and is not echoed back whole)


def _verify_allowance() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


# Every verify request counts, kept pages too: numbers are issued in sequence, and a person
# checks a few at a time, not thousands (see verify/verification.py).
verify_limit = limiter.shared_limit(_verify_allowance, scope="verify")


@bp.get("/signatories")
@public_page
def signatories():
    """Search and filter the members; every filter lives in the URL."""
    form = DirectoryFilterForm(request.args)
    if not form.validate():
        return render_template("directory/signatories.html", form=form, page=None), 400
    page = listing.page_of(form.filters(), services.today())
    # The same search as open data (the CSV has no pages); links are built from the form's
    # known fields only (form.link_args), never from the query string as sent.
    every_page = {name: value for name, value in form.link_args.items() if name not in PAGING}
    filled = form.link_args | ({"page": page.page} if page.has_prev else {})
    html = render_template(
        "directory/signatories.html", form=form, page=page, filled=filled, every_page=every_page
    )
    return html, 404 if page.past_the_last else 200


@bp.get("/signatories/<slug>", endpoint="profile")
@public_page
def profile_page(slug: str):
    company, moved_to = profile.find(slug)
    if moved_to is not None:  # renamed: the old address keeps working
        return redirect(url_for("directory.profile", slug=moved_to), 301)
    if company is None or not company.has_membership:  # applications are not public
        abort(404)
    if not company.is_listed_publicly:
        # Said plainly, as on the verify page: a partner following an old link must know.
        return render_template("directory/profile_not_listed.html", company=company), 404
    found = profile.profile_of(company, services.today())
    return render_template("directory/profile.html", profile=found)


@bp.get("/verify")
@verify_limit
@public_page
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
@verify_limit
@public_page  # printed QR codes point here: the busiest public page
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
