"""Staff pages: the queue, one company, and decisions on its application and membership."""

from dataclasses import dataclass

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from tracker.audit import AuditAction
from tracker.auth.permissions import admin_required, get_company_for_staff_or_404, staff_required
from tracker.billing import services as billing
from tracker.companies import change_requests
from tracker.companies import services as company_services
from tracker.companies.changes import described
from tracker.companies.lifecycle import allowed
from tracker.companies.models import Company
from tracker.companies.queries import visibility_key
from tracker.countries import by_name, country_name
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.membership import services as membership
from tracker.models_base import utcnow
from tracker.outbox import queue_email
from tracker.page_cache import cached_page, cached_value
from tracker.paging import Page
from tracker.plans import services as plan_services
from tracker.reports.history import company_history
from tracker.representatives.panel import representative_panel
from tracker.review import services
from tracker.review.changes import changes_since
from tracker.review.forms import (
    ApproveChangeForm,
    ApproveForm,
    DecisionForm,
    ExpelForm,
    PublishPropertiesForm,
    QueueFilterForm,
    ReinstateForm,
    RejectForm,
    ReturnChangeForm,
    ReturnForm,
    SuspendForm,
)
from tracker.review.reports.panel import staff_panel
from tracker.urls import public_url

bp = Blueprint("review", __name__, url_prefix="/review")

# The membership decisions on the detail page, each shown only to those the table allows.
SANCTIONS = {
    "suspend": AuditAction.MEMBERSHIP_SUSPENDED,
    "reinstate": AuditAction.MEMBERSHIP_REINSTATED,
    "expel": AuditAction.MEMBERSHIP_EXPELLED,
}
# Every decision on the page, shown only to whom may take it (the representatives' table too).
DECIDED = {
    "approve": AuditAction.APPLICATION_APPROVED,
    "return": AuditAction.APPLICATION_RETURNED,
    "reject": AuditAction.APPLICATION_REJECTED,
    **SANCTIONS,
}

MAX_PAGE = 100_000
SEARCH_COUNT_LIMIT = 1000


@bp.get("/")
@staff_required
def queue():
    return cached_page(request.full_path, render_queue)


def render_queue() -> str:
    scope = services.country_scope(current_user)
    filters = QueueFilterForm(request.args, countries=scope)
    if not request.args:
        filters.status.data = QueueFilterForm.status.kwargs["default"]
    filters.validate()  # each invalid filter is shown with its error and not applied
    name = filters.accepted("q")
    query = services.list_companies(
        current_user,
        status=filters.accepted("status"),
        country=filters.accepted("country"),
        name=name,
        newest_first=filters.accepted("sort") == "newest",
    )
    # A huge ?page= overflows the database's OFFSET; past the end is simply an empty page.
    page_number = request.args.get("page", 1, type=int)
    if not 1 <= page_number <= MAX_PAGE:
        page_number = 1
    per_page = current_app.config["PER_PAGE"]
    if name:
        # A name search reads the matches (up to a limit) once: a few are then sorted and paged
        # directly, where walking the queue's order would read every company to find them; for
        # a common word there are plenty on the way, and "more than 1,000" says enough.
        matches = services.first_matches(query, SEARCH_COUNT_LIMIT + 1)
        total = len(matches)
        if total <= SEARCH_COUNT_LIMIT:
            query = query.where(Company.id.in_(matches))
    else:
        total = services.count_matches(query)
    page = Page(page_number, per_page, total)
    return render_template(
        "review/queue.html",
        filters=filters,
        page=page,
        more_than=total > SEARCH_COUNT_LIMIT and bool(name),
        rows=queue_rows(services.page_of(query, page_number, per_page)),
        **counts_for(current_user),
        scope=scope,
    )


def counts_for(user) -> dict:
    """The counts beside the queue: the same for everyone who sees the same companies, so they
    are kept (until the data changes) for all of them."""

    def count() -> dict:
        return {
            "counts": services.count_by_status(user),
            "pending_changes": services.count_pending_changes(user),
        }

    return cached_value("queue-counts", (visibility_key(user),), count)


@dataclass(frozen=True)
class QueueRow:
    company: Company
    countries: list[str]  # names of the countries of operation, sorted
    resubmitted: bool
    change_pending: bool  # a change of details awaits review
    days_waiting: int | None  # only for an application waiting for review
    payment_overdue: bool  # a member's fee for this membership year is past its due date


def queue_rows(companies: list[Company]) -> list[QueueRow]:
    """What the queue shows per company; a fixed number of queries however long the page."""
    ids = [company.id for company in companies]
    resubmitted = services.resubmitted_among(ids)
    changing = services.pending_change_among(ids)
    overdue = billing.overdue_among(ids, billing.today())
    now = utcnow()
    return [
        QueueRow(
            company=company,
            countries=by_name(country_name(code) for code in company.country_codes),
            resubmitted=company.id in resubmitted,
            change_pending=company.id in changing,
            days_waiting=(now - company.submitted_at).days if company.awaits_review else None,
            payment_overdue=company.id in overdue,
        )
        for company in companies
    ]


# Every form of the company's page, by the name the template knows it by.
DETAIL_FORMS = {
    "approve_form": ApproveForm,
    "return_form": ReturnForm,
    "reject_form": RejectForm,
    "suspend_form": SuspendForm,
    "reinstate_form": ReinstateForm,
    "expel_form": ExpelForm,
    "approve_change_form": ApproveChangeForm,
    "return_change_form": ReturnChangeForm,
    "publish_properties_form": PublishPropertiesForm,
}


def render_detail(company, extension_form=None, assign_form=None, recommend_form=None, **forms):
    """The company's page; a form passed in is one refused, shown with its errors."""
    for name, form_class in DETAIL_FORMS.items():
        # Unbound: after a failed POST only the form that was sent shows what was typed in it
        # (the reject form's "reason" would otherwise echo another form's field of that name).
        forms.setdefault(name, form_class(formdata=None))
    today = billing.today()
    overdue = billing.payment_overdue(company, today)
    if overdue and not forms["suspend_form"].suspend_reason.data:
        # Overdue can lead to suspension: the reason is suggested, never acted on by itself.
        forms["suspend_form"].suspend_reason.data = _(
            "Membership fee for %(year)s unpaid", year=today.year
        )
    for form in forms.values():
        # A posted version is kept: a decision re-shown with an error still names what was read.
        if not form.version.data:
            form.version.data = str(company.version)
    request = change_requests.open_request(company)
    reporting = staff_panel(company, current_user, extension_form)
    return render_template(
        "review/detail.html",
        company=company,
        history=company_history(company),
        may={name: allowed(action, company, current_user) for name, action in DECIDED.items()},
        change_request=request,
        unreviewed=company_services.unreviewed_operations(company),
        requested=described(change_requests.requested_changes(company, request.proposed))
        if request
        else [],
        company_plan=plan_services.plan_for(company),
        invoices=billing.invoices_of(company),
        today=today,
        payment_overdue=overdue,
        fee_paid=billing.membership_paid_for(company, today.year),
        **reporting,
        **representative_panel(company, current_user, assign_form),
        recommend_form=recommend_form,
        **forms,
    )


@bp.get("/companies/<int:company_id>")
@staff_required
def detail(company_id: int):
    return render_detail(get_company_for_staff_or_404(company_id, current_user))


def decide(
    company_id: int,
    form_class,
    form_key: str,
    decision,
    message: str,
    template: str,
    back_to_company: bool = False,
):
    """Shared request flow of every decision: validate, decide, commit, e-mail, redirect.

    Application decisions go back to the queue; membership decisions to the company.
    """
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
            locale=owner.locale,
            company=company,
            comment=text,
            link=public_url("dashboard.index"),
        )
    db.session.commit()
    flash(
        _("%(company)s: %(status)s.", company=company.display_name, status=company.stage.label),
        "success",
    )
    if back_to_company:
        return redirect(url_for("review.detail", company_id=company.id))
    return redirect(url_for("review.queue"))


def render_conflict(company: Company, form: DecisionForm, decision: str):
    """409: the application changed after the reviewer opened it, so nothing is decided."""
    changes = changes_since(company, form.seen_version)
    # This page shows what changed and the application as it is now: deciding here is informed.
    form.version.data = str(company.version)
    waiting = company.awaits_review
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
        _l("Your application is approved"),
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
        _l("Your application needs changes"),
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
        _l("Your application was not accepted"),
        "application_rejected",
    )


@bp.post("/companies/<int:company_id>/suspend")
@staff_required
def suspend(company_id: int):
    return decide(
        company_id,
        SuspendForm,
        "suspend_form",
        membership.suspend_membership,
        _l("Your membership of The Code is suspended"),
        "membership_suspended",
        back_to_company=True,
    )


@bp.post("/companies/<int:company_id>/reinstate")
@staff_required
def reinstate(company_id: int):
    return decide(
        company_id,
        ReinstateForm,
        "reinstate_form",
        membership.reinstate_membership,
        _l("Your membership of The Code is reinstated"),
        "membership_reinstated",
        back_to_company=True,
    )


@bp.post("/companies/<int:company_id>/expel")
@admin_required
def expel(company_id: int):
    return decide(
        company_id,
        ExpelForm,
        "expel_form",
        membership.expel_membership,
        _l("Your company is no longer a member of The Code"),
        "membership_expelled",
        back_to_company=True,
    )


@bp.post("/companies/<int:company_id>/change/approve")
@staff_required
def approve_change(company_id: int):
    return decide(
        company_id,
        ApproveChangeForm,
        "approve_change_form",
        change_requests.approve_change_request,
        _l("Your change of details is approved"),
        "change_approved",
        back_to_company=True,
    )


@bp.post("/companies/<int:company_id>/change/return")
@staff_required
def return_change(company_id: int):
    return decide(
        company_id,
        ReturnChangeForm,
        "return_change_form",
        change_requests.return_change_request,
        _l("Your change of details needs corrections"),
        "change_returned",
        back_to_company=True,
    )


@bp.post("/companies/<int:company_id>/properties/publish")
@staff_required
def publish_properties(company_id: int):
    """Show the public the properties a member added since staff last looked."""
    company = get_company_for_staff_or_404(company_id, current_user)
    form = PublishPropertiesForm()
    if not form.validate_on_submit():
        return render_detail(company, publish_properties_form=form), 400
    if form.seen_version != company.version:
        # The list changed after the page was read: publishing now could show unseen text.
        flash(_("The company changed its properties meanwhile: check the list again."), "error")
        return redirect(url_for("review.detail", company_id=company.id))
    try:
        count = company_services.publish_properties(company, current_user)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("review.detail", company_id=company.id))
    db.session.commit()
    flash(
        ngettext(
            "%(company)s: %(num)d new property is public now.",
            "%(company)s: %(num)d new properties are public now.",
            count,
            company=company.display_name,
        ),
        "success",
    )
    return redirect(url_for("review.detail", company_id=company.id))
