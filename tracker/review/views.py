"""Staff pages: the application queue, one application, and the three decisions."""

from dataclasses import dataclass

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from tracker.companies.history import company_history
from tracker.companies.models import Company, CompanyStatus
from tracker.countries import country_name
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.outbox import queue_email
from tracker.permissions import get_company_for_staff_or_404, staff_required
from tracker.review import services
from tracker.review.changes import changes_since
from tracker.review.forms import (
    ApproveForm,
    DecisionForm,
    QueueFilterForm,
    RejectForm,
    ReturnForm,
)
from tracker.urls import public_url

bp = Blueprint("review", __name__, url_prefix="/review")

MAX_PAGE = 100_000


@bp.get("/")
@staff_required
def queue():
    scope = services.country_scope(current_user)
    filters = QueueFilterForm(request.args, countries=scope)
    if not request.args:
        filters.status.data = QueueFilterForm.status.kwargs["default"]
    filters.validate()  # each invalid filter is shown with its error and not applied
    query = services.list_companies(
        current_user,
        status=filters.accepted("status"),
        country=filters.accepted("country"),
        name=filters.accepted("q"),
        newest_first=filters.accepted("sort") == "newest",
    )
    # A huge ?page= overflows the database's OFFSET; past the end is simply an empty page.
    page_number = request.args.get("page", 1, type=int)
    if not 1 <= page_number <= MAX_PAGE:
        page_number = 1
    per_page = current_app.config["PER_PAGE"]
    page = db.paginate(query, page=page_number, per_page=per_page, error_out=False)
    return render_template(
        "review/queue.html",
        filters=filters,
        page=page,
        rows=queue_rows(page.items),
        counts=services.count_by_status(current_user),
        scope=scope,
    )


@dataclass(frozen=True)
class QueueRow:
    company: Company
    countries: list[str]  # names of the countries of operation, sorted
    resubmitted: bool
    days_waiting: int | None  # only for an application waiting for review


def queue_rows(companies: list[Company]) -> list[QueueRow]:
    """What the queue shows per company; a fixed number of queries however long the page."""
    resubmitted = services.resubmitted_among([company.id for company in companies])
    now = utcnow()
    return [
        QueueRow(
            company=company,
            countries=sorted(country_name(code) for code in company.country_codes),
            resubmitted=company.id in resubmitted,
            days_waiting=(now - company.submitted_at).days
            if company.status is CompanyStatus.SUBMITTED
            else None,
        )
        for company in companies
    ]


def render_detail(company, **forms):
    forms.setdefault("approve_form", ApproveForm())
    forms.setdefault("return_form", ReturnForm())
    forms.setdefault("reject_form", RejectForm())
    for form in forms.values():
        # A posted version is kept: a decision re-shown with an error still names what was read.
        if not form.version.data:
            form.version.data = str(company.version)
    return render_template(
        "review/detail.html",
        company=company,
        history=company_history(company),
        **forms,
    )


@bp.get("/companies/<int:company_id>")
@staff_required
def detail(company_id: int):
    return render_detail(get_company_for_staff_or_404(company_id, current_user))


def decide(company_id: int, form_class, form_key: str, decision, message: str, template: str):
    """Shared request flow of the three decisions: validate, decide, commit, e-mail, redirect."""
    company = get_company_for_staff_or_404(company_id, current_user)
    form = form_class()
    if not form.validate_on_submit():
        return render_detail(company, **{form_key: form})
    if form.seen_version != company.version:
        return render_conflict(company, form, form_key.removesuffix("_form"))
    if isinstance(form, ApproveForm) and not form.is_confirmed and company.awaits_review:
        return render_template("review/confirm_approve.html", company=company, form=form)
    text = next((field.data for field in form if field.type == "TextAreaField"), None)
    try:
        decision(company, current_user, *([text] if text is not None else []))
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("review.detail", company_id=company.id))
    owner = company.owner
    if owner is not None:  # queued in the decision's transaction: both are saved, or neither
        queue_email(
            owner.email,
            message,
            template,
            company=company,
            comment=text,
            link=public_url("companies.dashboard"),
        )
    db.session.commit()
    flash(f"{company.display_name}: {company.status.label}.", "success")
    return redirect(url_for("review.queue"))


def render_conflict(company: Company, form: DecisionForm, decision: str):
    """409: the application changed after the reviewer opened it, so nothing is decided."""
    changes = changes_since(company, form.seen_version)
    # This page shows what changed and the application as it is now: deciding here is informed.
    form.version.data = str(company.version)
    waiting = company.status is CompanyStatus.SUBMITTED
    page = render_template(
        "review/conflict.html",
        company=company,
        form=form,
        decision=decision,
        changes=changes,
        waiting=waiting,
    )
    return page, 409


@bp.post("/companies/<int:company_id>/approve")
@staff_required
def approve(company_id: int):
    return decide(
        company_id,
        ApproveForm,
        "approve_form",
        services.approve_application,
        "Your application is approved",
        "application_approved",
    )


@bp.post("/companies/<int:company_id>/return", endpoint="return")
@staff_required
def return_(company_id: int):
    return decide(
        company_id,
        ReturnForm,
        "return_form",
        services.return_application,
        "Your application needs changes",
        "application_returned",
    )


@bp.post("/companies/<int:company_id>/reject")
@staff_required
def reject(company_id: int):
    return decide(
        company_id,
        RejectForm,
        "reject_form",
        services.reject_application,
        "Your application was not accepted",
        "application_rejected",
    )
