"""Staff pages for annual reports: the queue, one report with its versions, and decisions."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from tracker import charts
from tracker.audit import AuditAction
from tracker.auth.permissions import get_company_for_staff_or_404, staff_required
from tracker.companies.enums import CompanyType
from tracker.companies.queries import visibility_key
from tracker.countries import country_choices, country_name
from tracker.csv_export import csv_response
from tracker.domain import DomainError, populate_errors
from tracker.extensions import db
from tracker.formutils import select_choices
from tracker.outbox import queue_email
from tracker.page_cache import cached_value
from tracker.paging import Page
from tracker.reports import implementation, lifecycle, queries, services
from tracker.reports.content import differences
from tracker.reports.models import Report, ReportState, ReportSubmission, Section
from tracker.reports.presenting import report_page_context
from tracker.reports.views import send_document
from tracker.representatives.services import may_recommend_report
from tracker.review.reports import dashboard as dashboard_data
from tracker.review.reports.forms import (
    AcceptReportForm,
    ExtensionForm,
    ReportFilterForm,
    ReturnReportForm,
)
from tracker.review.services import country_scope
from tracker.review.views import render_detail as render_company
from tracker.urls import public_url

bp = Blueprint("report_review", __name__, url_prefix="/review/reports")

MAX_PAGE = 100_000


def filter_form() -> ReportFilterForm:
    scope = country_scope(current_user)
    form = ReportFilterForm(request.args)
    countries = [pair for pair in country_choices() if scope is None or pair[0] in scope]
    form.country.choices = select_choices(countries, _("All countries"))
    form.state.choices = select_choices(ReportState.choices(), _("All states"))
    form.type.choices = select_choices(CompanyType.choices(), _("All types"))
    if not request.args:
        form.state.data = ReportState.SUBMITTED.value
    form.validate()  # an invalid filter is shown with its error and not applied
    return form


@bp.get("/")
@staff_required
def queue():
    filters = filter_form()
    query = queries.report_queue(
        current_user,
        year=filters.accepted("year"),
        state=filters.accepted("state"),
        country=filters.accepted("country"),
        company_type=filters.accepted("type"),
    )
    page_number = request.args.get("page", 1, type=int)
    if not 1 <= page_number <= MAX_PAGE:
        page_number = 1
    per_page = current_app.config["PER_PAGE"]
    total = db.session.scalar(query.with_only_columns(db.func.count()).order_by(None))
    reports = list(db.session.scalars(query.limit(per_page).offset((page_number - 1) * per_page)))
    return render_template(
        "reports/review/queue.html",
        filters=filters,
        reports=reports,
        versions=queries.versions_of([report.id for report in reports]),
        page=Page(page_number, per_page, total),
        scope=country_scope(current_user),
    )


def report_or_404(report_id: int) -> Report:
    report = queries.report_for_staff(report_id, current_user)
    if report is None:
        abort(404)
    return report


def render_detail(
    report: Report, accept_form=None, return_form=None, recommend_form=None, status: int = 200
):
    submissions = report.submissions
    number = request.args.get("version", type=int)
    shown = next((s for s in submissions if s.number == number), None) or (
        submissions[-1] if submissions else None
    )
    if shown is None:  # a draft nobody submitted yet: staff see it as it stands
        context = report_page_context(report)
    else:
        context = report_page_context(report, shown.content)
    previous = (
        next((s for s in submissions if s.number == shown.number - 1), None) if shown else None
    )
    stored, document_name = document_of(report, shown)
    accept_form = accept_form or AcceptReportForm(formdata=None, version=str(report.version))
    return_form = return_form or ReturnReportForm(formdata=None, version=str(report.version))
    page = render_template(
        "reports/review/detail.html",
        shown=shown,
        document_name=document_name,
        document_kept=bool(stored),
        previous=previous,
        changes=differences(previous.content, shown.content) if previous else [],
        accept_form=accept_form,
        return_form=return_form,
        may_accept=lifecycle.allowed(AuditAction.REPORT_ACCEPTED, report, current_user),
        may_return=lifecycle.allowed(AuditAction.REPORT_RETURNED, report, current_user),
        may_recommend=may_recommend_report(report, current_user),
        recommend_form=recommend_form,
        standing=services.standing_for(report.company, services.today()),
        section_labels={section.value: section.label for section in Section},
        implemented=implementation.criteria_met(context["answers"]),
        staff_view=True,
        **context,
    )
    return page, status


@bp.get("/<int:report_id>")
@staff_required
def detail(report_id: int):
    return render_detail(report_or_404(report_id))


@bp.get("/<int:report_id>/policy")
@staff_required
def policy_document(report_id: int):
    """The policy document of the version asked for (?version=), else of the latest version,
    else (nothing submitted yet) of the draft."""
    report = report_or_404(report_id)
    if "version" in request.args:
        number = request.args.get("version", type=int)
        shown = next((s for s in report.submissions if s.number == number), None)
        if shown is None:
            abort(404)
    else:
        shown = report.latest_submission
    return send_document(*document_of(report, shown))


def document_of(report: Report, shown: ReportSubmission | None) -> tuple[str | None, str | None]:
    """The stored name and the uploader's file name of the document of version `shown`, or of
    the draft when no version is shown."""
    if shown is None:
        return report.policy_document, report.policy_document_name
    return shown.policy_document, shown.content.get("policy_document_name")


@bp.post("/<int:report_id>/accept")
@staff_required
def accept(report_id: int):
    report = report_or_404(report_id)
    form = AcceptReportForm()
    if not form.validate_on_submit():
        return render_detail(report, accept_form=form, status=400)
    comment = form.accept_comment.data or ""
    return decide(
        report,
        lambda: services.accept_report(report, current_user, comment, form.seen_version),
        _l("Your annual report is accepted"),
        "report_accepted",
        comment=comment.strip(),
    )


@bp.post("/<int:report_id>/return", endpoint="return")
@staff_required
def return_(report_id: int):
    report = report_or_404(report_id)
    form = ReturnReportForm()
    if not form.validate_on_submit():
        return render_detail(report, return_form=form, status=400)
    comments = {section: form[f"comment_{section.value}"].data or "" for section in Section}
    if not any(text.strip() for text in comments.values()):
        form.form_errors.append(_("Say what needs changing in at least one section."))
        return render_detail(report, return_form=form, status=400)
    overall = form.return_comment.data or ""
    return decide(
        report,
        lambda: services.return_report(report, current_user, comments, overall, form.seen_version),
        _l("Your annual report needs changes"),
        "report_returned",
        comment=overall.strip(),
        sections=[(s.label, text.strip()) for s, text in comments.items() if text.strip()],
    )


def decide(report: Report, decision, subject, template: str, **context):
    """Decide, e-mail the company's owner in the same transaction, commit, go back to the queue."""
    try:
        decision()
    except (services.ReportConflict, StaleDataError):
        db.session.rollback()
        flash(
            _("The report changed while you were reading it: read it again, then decide."), "error"
        )
        return redirect(url_for("report_review.detail", report_id=report.id))
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("report_review.detail", report_id=report.id))
    owner = report.company.owner
    if owner is not None:
        queue_email(
            owner.email,
            subject,
            template,
            locale=owner.locale,
            company=report.company,
            year=report.year,
            link=public_url("reports.index"),
            **context,
        )
    db.session.commit()
    flash(
        _(
            "%(company)s, %(year)s: %(state)s.",
            company=report.company.display_name,
            year=report.year,
            state=report.state.label,
        ),
        "success",
    )
    return redirect(url_for("report_review.queue"))


@bp.post("/companies/<int:company_id>/extension")
@staff_required
def extension(company_id: int):
    company = get_company_for_staff_or_404(company_id, current_user)
    form = ExtensionForm()
    if not form.validate_on_submit():
        return render_company(company, extension_form=form), 400
    try:
        services.grant_extension(
            company,
            form.year.data,
            form.due_on.data,
            form.reason.data,
            current_user,
            services.today(),
        )
    except DomainError as error:
        db.session.rollback()
        populate_errors(form, error)
        return render_company(company, extension_form=form), 400
    db.session.commit()
    flash(
        _(
            "The %(year)s report of %(company)s is now due on %(date)s.",
            year=form.year.data,
            company=company.display_name,
            date=format_date(form.due_on.data, "long"),
        ),
        "success",
    )
    return redirect(url_for("review.detail", company_id=company.id))


LISTS = {
    "overdue": _l("Members with an overdue report"),
    "extended": _l("Members with a later due date"),
    "suspension": _l("Members to consider for suspension"),
}


@bp.get("/implementation")
@staff_required
def implementation_rules():
    """How implementation is judged: the rule per criterion with its configured settings."""
    limits = implementation.thresholds()
    return render_template(
        "reports/review/implementation.html",
        rules=implementation.rules(limits),
        settings=[
            (key, current_app.config.get(key, default), implementation.SETTINGS_HELP[key])
            for key, default in implementation.DEFAULTS.items()
        ],
    )


@bp.get("/dashboard")
@staff_required
def dashboard():
    on = services.today()
    scope = country_scope(current_user)
    year = request.args.get("year", type=int)
    # Kept until a report, extension, membership or company changes (or the day does): with
    # 100,000 members the figures take a second to count, and staff open the page often.
    figures = cached_value(
        "report-dashboard",
        (visibility_key(current_user), on.isoformat(), year),
        lambda: dashboard_data.figures(current_user, on, year),
    )
    return render_template(
        "reports/review/dashboard.html",
        on=on,
        scope=scope,
        list_titles=LISTS,
        suspension_days=current_app.config["OVERDUE_SUSPENSION_DAYS"],
        charts=dashboard_charts(figures, figures["coverage_year"]),
        criteria_titles={rule.criterion: rule.title for rule in implementation.rules()},
        **figures,
    )


def dashboard_charts(figures: dict, coverage_year: int | None) -> dict:
    """The dashboard's SVG charts; each template shows the same numbers in a table beside."""
    percent = lambda value: f"{value:.0f}%"  # noqa: E731
    rows = [(kind.label, count, kind.tone) for kind, count in figures["counts"].items()]
    years = figures["years"]
    return {
        "standing": charts.bar_chart(
            rows,
            title=_("Members by reporting standing"),
            description=_("How many members stand each way; the table beside gives the numbers."),
        ),
        "rate": charts.column_chart(
            [(str(y.year), (y.rate or 0) * 100) for y in years],
            title=_("Reporting rate per year"),
            description=_(
                "Share of the members who owed a report for each year that handed it in."
            ),
            value_format=percent,
            max_value=100,
        ),
        "coverage": charts.column_chart(
            [(str(y.year), (y.coverage or 0) * 100) for y in years],
            title=_("Staff training coverage per year"),
            description=_(
                "Employees currently trained as a share of all employees in the reports handed in."
            ),
            value_format=percent,
            max_value=100,
        ),
        "coverage_by_country": charts.bar_chart(
            [
                (country_name(code), current / employees * 100 if employees else 0)
                for code, employees, _trained, current in figures["coverage"][:15]
            ],
            title=_("Staff training coverage by country, %(year)s", year=coverage_year),
            description=_("The 15 countries with the most employees in the reports handed in."),
            value_format=percent,
            max_value=100,
        ),
        "implementation": charts.bar_chart(
            [
                (_("Criterion %(number)s", number=criterion), (rates.rate(criterion) or 0) * 100)
                for criterion in sorted(rates.met)
            ]
            if (rates := figures["implementation"])
            else [],
            title=_("Criteria implemented"),
            description=_(
                "Share of the accepted reports of the year that show each criterion "
                "implemented under the configured rule."
            ),
            value_format=percent,
            max_value=100,
        ),
    }


@bp.get("/dashboard/<name>.csv")
@staff_required
def dashboard_csv(name: str):
    if name not in LISTS:
        abort(404)
    on = services.today()
    rows = cached_value(
        "report-list",
        (visibility_key(current_user), on.isoformat(), name),
        lambda: dashboard_data.listed(current_user, on, name, limit=None),
    )
    header = ["membership_number", "company", "hq_country", "year", "due", "days_overdue"]
    lines = [
        [r.number, r.name, r.hq_country, r.year, r.due.isoformat(), r.days_overdue] for r in rows
    ]
    return csv_response(f"{name}-{on.isoformat()}.csv", header, lines)
