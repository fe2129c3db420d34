"""Staff page for the Top Members of a reporting year: the members whose report for the year is
accepted, the criteria rule beside each as a guide, and naming or withdrawing the title.
ECPAT staff only: representatives support, ECPAT decides (issue 15)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.permissions import ecpat_staff_required
from tracker.companies.models import Company
from tracker.domain import DomainError, populate_errors
from tracker.extensions import db
from tracker.models_base import MAX_ID
from tracker.paging import Page
from tracker.reports import recognition, services
from tracker.reports.standing_query import FIRST_YEAR, thresholds
from tracker.review.reports.forms import NameTopMemberForm, WithdrawTopMemberForm

bp = Blueprint("top_members", __name__, url_prefix="/review/top-members")

MAX_PAGE = 100_000


def last_ended_year() -> int:
    return thresholds(services.today())[0]


def year_or_404(year: int | None) -> int:
    """A reporting year that has ended (the default: the last one)."""
    if year is None:
        return last_ended_year()
    if not FIRST_YEAR <= year <= last_ended_year():
        abort(404)
    return year


def prefix(company_id: int) -> str:
    return f"c{company_id}"  # one form per member on the page: distinct field ids


def render_index(year: int, bound: dict | None = None, status: int = 200):
    """The year's page; `bound` keeps a refused form (by company id) with its errors."""
    bound = bound or {}
    page_number = request.args.get("page", 1, type=int)
    if not 1 <= page_number <= MAX_PAGE:
        page_number = 1
    per_page = current_app.config["PER_PAGE"]
    query = recognition.candidates_query(year)
    total = db.session.scalar(query.with_only_columns(db.func.count()).order_by(None))
    rows = db.session.execute(query.limit(per_page).offset((page_number - 1) * per_page))
    candidates = [recognition.Candidate(company, report, award) for company, report, award in rows]
    forms = {
        c.company.id: bound.get(c.company.id)
        or (WithdrawTopMemberForm if c.is_named else NameTopMemberForm)(prefix=prefix(c.company.id))
        for c in candidates
    }
    return render_template(
        "reports/review/top_members.html",
        year=year,
        years=range(last_ended_year(), FIRST_YEAR - 1, -1),
        named_years=recognition.named_years(),
        latest_named=recognition.latest_named_year(),
        candidates=candidates,
        forms=forms,
        page=Page(page_number, per_page, total),
    ), status


@bp.get("/")
@ecpat_staff_required
def index():
    return render_index(year_or_404(request.args.get("year", type=int)))


def company_or_404(company_id: int) -> Company:
    company = db.session.get(Company, company_id) if 0 < company_id <= MAX_ID else None
    if company is None or not company.has_membership:
        abort(404)
    return company


@bp.post("/<int:year>/<int:company_id>")
@ecpat_staff_required
def name(year: int, company_id: int):
    year, company = year_or_404(year), company_or_404(company_id)
    form = NameTopMemberForm(prefix=prefix(company.id))
    if not form.validate_on_submit():
        return render_index(year, {company.id: form}, 400)
    try:
        recognition.name_top_member(company, year, current_user, form.citation.data)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("top_members.index", year=year))
    db.session.commit()
    flash(
        _("%(company)s is named Top Member %(year)s.", company=company.display_name, year=year),
        "success",
    )
    return redirect(url_for("top_members.index", year=year))


@bp.post("/<int:year>/<int:company_id>/withdraw")
@ecpat_staff_required
def withdraw(year: int, company_id: int):
    year, company = year_or_404(year), company_or_404(company_id)
    form = WithdrawTopMemberForm(prefix=prefix(company.id))
    if not form.validate_on_submit():
        return render_index(year, {company.id: form}, 400)
    try:
        recognition.withdraw_title(company, year, current_user, form.reason.data)
    except DomainError as error:
        db.session.rollback()
        populate_errors(form, error)  # beside the reason, or flashed
        if form.errors:
            return render_index(year, {company.id: form}, 400)
        return redirect(url_for("top_members.index", year=year))
    db.session.commit()
    flash(
        _(
            "The title Top Member %(year)s of %(company)s is withdrawn.",
            year=year,
            company=company.display_name,
        ),
        "success",
    )
    return redirect(url_for("top_members.index", year=year))
