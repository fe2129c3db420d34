"""The company's annual reports: the list, the draft form, preview, submit, print, document."""

from collections.abc import Iterator

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker.auth.forms import EmptyForm
from tracker.auth.permissions import company_user_required, own_company_or_404
from tracker.domain import DomainError, populate_errors
from tracker.extensions import db
from tracker.reports import (
    documents,
    drafting,
    inputs,
    notifications,
    pending_files,
    policy_upload,
    services,
)
from tracker.reports.content import DATE_FIELDS, differences, snapshot
from tracker.reports.evidence import is_removable
from tracker.reports.forms import (
    STAFF_GROUPS,
    EvidenceForm,
    ReportForm,
    StartReportForm,
    SubmitReportForm,
    current_label,
)
from tracker.reports.models import NOT_APPLICABLE_SECTIONS, Report, not_applicable_field
from tracker.reports.pending_files import KeptFile
from tracker.reports.presenting import report_page_context
from tracker.reports.training import GROUP_COUNTS
from tracker.write_limits import limit_company_writes

bp = Blueprint("reports", __name__, url_prefix="/company/reports")

FIRST_YEAR, LAST_YEAR = 2000, 2100  # years outside these are not reports (and not 500s)
# More training rows than this (a chain's properties) are filled from a CSV file instead.
INLINE_TRAINING = 50


def own_report_or_404(year: int) -> Report:
    """The signed-in user's company's report for `year`; other companies' are never reachable."""
    company = own_company_or_404()
    report = services.report_for(company, year) if FIRST_YEAR <= year <= LAST_YEAR else None
    if report is None:
        abort(404)
    return report


@bp.get("/")
@company_user_required
def index():
    company = own_company_or_404()
    on = services.today()
    reports = {report.year: report for report in services.reports_of(company)}
    open_years = services.open_years(company, on)
    return render_template(
        "reports/index.html",
        company=company,
        standing=services.standing_for(company, on),
        open_years=open_years,  # the oldest, most urgent, first
        due_dates=services.due_dates(company, open_years),
        today=on,
        reports=reports,
        start_form=StartReportForm(),
    )


@bp.post("/<int:year>/start")
@company_user_required
@limit_company_writes
def start(year: int):
    company = own_company_or_404()
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)
    form = StartReportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        drafting.start_report(
            company,
            year,
            current_user,
            services.today(),
            from_last_year=form.start_from.data == "last_year",
        )
        db.session.commit()
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("reports.index"))
    except IntegrityError:  # a colleague started it at the same moment: open theirs
        db.session.rollback()
    return redirect(url_for("reports.edit", year=year))


@bp.route("/<int:year>", methods=["GET", "POST"])
@company_user_required
@limit_company_writes
def edit(year: int):
    report = own_report_or_404(year)
    if not report.is_editable:
        return redirect(url_for("reports.preview", year=year))
    if request.method == "GET":
        form = ReportForm(data=form_data(report))
        form.version.data = str(report.version)
        return render_edit(report, form)
    form = ReportForm()
    received = policy_upload.receive(form, report, current_user)
    # One pass: the fields' own checks, then the service's rules over what could be read, so
    # that every mistake is listed at once rather than each kind only once the others are fixed.
    valid = form.validate_on_submit()
    answers, refusals = checked_answers(form, report)
    problems = received.errors + refusals
    if not valid or problems:
        populate_errors(form, DomainError(*problems))
        kept = policy_upload.keep(received)
        return render_edit(report, form, kept=kept, lost=received.lost), 400
    return save(report, form, received, answers)


def checked_answers(
    form: ReportForm, report: Report
) -> tuple[inputs.Answers | None, list[tuple[str | None, str]]]:
    """The answers read from the form once, and the service's rules (`inputs.answer_errors`)
    over them, fields refused included; on a refused field its own message says enough."""
    refused = frozenset(refused_fields(form))
    try:
        answers = answers_from(form, report)
    except DomainError as error:
        return None, list(error.errors)
    errors = inputs.answer_errors(report, answers, refused)
    return answers, [(name, message) for name, message in errors if name not in refused]


def refused_fields(form) -> Iterator[str]:
    """The names of the fields (in rows too) whose own validation failed."""
    for field in form:
        if field.type == "FieldList":
            for entry in field.entries:
                yield from refused_fields(entry.form)
        elif field.errors:
            yield field.name


def form_data(report: Report) -> dict:
    """The report's answers as the form's data (the radio as yes/no, rows with their ids)."""
    data = {name: getattr(report, name) for name in inputs.ANSWER_COLUMNS}
    for section in NOT_APPLICABLE_SECTIONS:
        data[f"{section.value}_na"] = report.is_not_applicable(section)
    data["policy_adopted"] = {True: "yes", False: "no", None: None}[report.policy_adopted]
    data["training"] = (
        []
        if not is_inline(report)
        else [
            {"row_id": str(row.id), "groups": groups_data(row), "hours": row.hours}
            for row in report.training
        ]
    )
    return data


def groups_data(row) -> list[dict]:
    """The row's figures per staff group, in the form's order (blank for a group not given)."""
    given = {group.staff_group: group for group in row.groups}
    return [
        {name: getattr(given.get(staff_group), name, None) for name in GROUP_COUNTS}
        for staff_group in STAFF_GROUPS
    ]


def is_inline(report: Report) -> bool:
    """Whether the form holds the training rows; longer lists come from a CSV file."""
    return len(report.training) <= INLINE_TRAINING


def save(
    report: Report, form: ReportForm, received: policy_upload.Received, answers: inputs.Answers
):
    new = replaced = None
    try:
        drafting.save_draft(report, answers, current_user, form.seen_version)
        # Written only once everything else is accepted; kept as pending if the save fails.
        file = policy_upload.to_attach(received)
        new = file if received.new is not None else None
        if file is not None:
            replaced = documents.attach(report, file.stored, file.filename, file.size)
        db.session.commit()
    except (services.ReportConflict, StaleDataError, DomainError) as error:
        db.session.rollback()
        kept = policy_upload.keep(received, new)
        if isinstance(error, DomainError):
            populate_errors(form, error)
            return render_edit(report, form, kept=kept), 400
        # Saved by a colleague after this page was loaded (or between our check and write).
        return render_conflict(report, form, kept)
    except Exception:
        db.session.rollback()
        if new is not None:
            documents.delete(new.stored, document_folder())
        raise
    # The file the new one replaced (and a pending one a newer upload superseded), once
    # committed (a rollback would have kept it in use), unless a submitted version or another
    # year's draft still refers to it.
    superseded = received.pending.stored if new is not None and received.pending else None
    documents.remove_unused([replaced, superseded], document_folder())
    if request.form.get("action") == "preview":
        return redirect(url_for("reports.preview", year=report.year))
    flash(_("Draft saved. You can come back to it at any time."), "success")
    return redirect(url_for("reports.edit", year=report.year))


document_folder = documents.folder


def answers_from(form: ReportForm, report: Report) -> inputs.Answers:
    """The answers the form holds; a report with too many rows for the form keeps its own."""
    training = [] if is_inline(report) else [kept(row) for row in report.training]
    for entry in form.training.entries if is_inline(report) else ():
        row = entry.form
        if not (row.row_id.data or "").isdigit():
            raise DomainError.on(None, _("The training rows on this page are out of date."))
        groups = tuple(
            inputs.GroupInput(
                entry.form.staff_group, **{name: entry.form[name].data for name in GROUP_COUNTS}
            )
            for entry in row.groups.entries
        )
        training.append(inputs.TrainingInput(int(row.row_id.data), groups, row.hours.data))
    adopted = {"yes": True, "no": False}.get(form.policy_adopted.data)
    return inputs.Answers(
        policy_adopted=adopted,
        policy_adopted_on=form.policy_adopted_on.data if adopted else None,
        policy_focal_person=_text(form.policy_focal_person.data),
        policy_focal_person_role=_text(form.policy_focal_person_role.data),
        policy_reporting_procedure=_text(form.policy_reporting_procedure.data),
        policy_board_approved_on=form.policy_board_approved_on.data,
        contracts_total=form.contracts_total.data,
        contracts_with_clause=form.contracts_with_clause.data,
        traveller_channels=tuple(form.traveller_channels.data or ()),
        travellers_text=_text(form.travellers_text.data),
        stakeholder_organisations=_text(form.stakeholder_organisations.data),
        stakeholder_activities=_text(form.stakeholder_activities.data),
        cases_reported=form.cases_reported.data,
        cases_text=_text(form.cases_text.data),
        **{
            not_applicable_field(section): _text(form[not_applicable_field(section)].data)
            for section in NOT_APPLICABLE_SECTIONS
        },
        not_applicable=frozenset(
            section for section in NOT_APPLICABLE_SECTIONS if form[f"{section.value}_na"].data
        ),
        training=tuple(training),
    )


kept = drafting.training_input_of


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def render_edit(
    report: Report,
    form: ReportForm,
    conflict=None,
    evidence_form=None,
    kept: KeptFile | None = None,
    evidence_kept: KeptFile | None = None,
    lost: bool = False,
):
    """The form page; `kept` is a policy document a failed save kept for the next one (`lost`:
    one that was kept earlier and is no longer), `evidence_kept` an evidence file."""
    form.pending_document.data = pending_reference(kept, report, pending_files.POLICY)
    form.discard_pending_document.data = False
    evidence_form = evidence_form or EvidenceForm(formdata=None)
    evidence_form.pending_file.data = pending_reference(
        evidence_kept, report, pending_files.EVIDENCE
    )
    evidence_form.discard_pending_file.data = False
    return render_template(
        "reports/edit.html",
        form=form,
        conflict=conflict,
        pending=kept,
        pending_lost=lost and kept is None,
        inline=is_inline(report),
        current_label=current_label(report.year),
        evidence_form=evidence_form,
        evidence_kept=evidence_kept,
        evidence_removable={e.id for e in report.evidence if is_removable(report, e)},
        remove_form=EmptyForm(formdata=None),
        **report_page_context(report),
    )


def pending_reference(file: KeptFile | None, report: Report, kind: str) -> str:
    return pending_files.reference(file, report, current_user, kind) if file else ""


def render_conflict(report: Report, form: ReportForm, kept=None):
    """409: a colleague saved the draft after this page was loaded. What they saved differs
    from what this person typed in the listed places; the form keeps what was typed (and the
    file chosen, `kept`), and saving again (now against their version) keeps it."""
    db.session.rollback()
    report = db.session.get(Report, report.id)
    mine = dict(snapshot(report))
    typed = answers_from_form_safely(form, report)
    mine.update(typed)
    conflict = {
        "by": report.updated_by.name if report.updated_by else None,
        "at": report.updated_at,
        "changes": differences(snapshot(report), mine),
    }
    form.version.data = str(report.version)
    return render_edit(report, form, conflict, kept=kept), 409


def answers_from_form_safely(form: ReportForm, report: Report) -> dict:
    """What the person typed, as snapshot values, for comparing with the saved draft."""
    try:
        answers = answers_from(form, report)
    except DomainError:
        return {}
    typed = {name: getattr(answers, name) for name in inputs.ANSWER_COLUMNS}
    for section in NOT_APPLICABLE_SECTIONS:  # a reason counts only with its box ticked
        if section not in answers.not_applicable:
            typed[not_applicable_field(section)] = None
    for name in DATE_FIELDS:
        if typed.get(name) is not None:
            typed[name] = typed[name].isoformat()
    typed["traveller_channels"] = list(typed["traveller_channels"])
    return typed


@bp.get("/<int:year>/preview")
@company_user_required
def preview(year: int):
    report = own_report_or_404(year)
    form = SubmitReportForm(version=str(report.version))
    return render_template(
        "reports/preview.html",
        form=form,
        missing=services.missing_answers(report) if report.is_editable else [],
        **report_page_context(report),
    )


@bp.post("/<int:year>/submit")
@company_user_required
@limit_company_writes
def submit(year: int):
    report = own_report_or_404(year)
    form = SubmitReportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.submit_report(report, current_user, form.seen_version, services.today())
        notifications.queue_submission_notices(report, current_user)  # sent after the commit
        db.session.commit()
    except (services.ReportConflict, StaleDataError):
        db.session.rollback()
        flash(_("A colleague changed the report meanwhile. Check it again, then submit."), "error")
        return redirect(url_for("reports.preview", year=year))
    except DomainError as error:
        db.session.rollback()
        for _field, message in error.errors:
            flash(message, "error")
        return redirect(url_for("reports.preview", year=year))
    flash(_("Thank you. Your %(year)s report is submitted to ECPAT.", year=year), "success")
    return redirect(url_for("reports.index"))


@bp.get("/<int:year>/print")
@company_user_required
def printable(year: int):
    report = own_report_or_404(year)
    return render_template("reports/print.html", **report_page_context(report))


@bp.get("/<int:year>/policy")
@company_user_required
def policy_document(year: int):
    report = own_report_or_404(year)
    return send_document(report.policy_document, report.policy_document_name)


def send_document(stored: str | None, original: str | None):
    """The stored file `stored` as a PDF attachment, its name derived from the uploader's
    `original` (never shown inline, never under the uploader's extension)."""
    if not stored:
        abort(404)
    try:
        path = documents.path_of(stored, document_folder())
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="application/pdf", max_age=0)
    response.headers.update(documents.download_headers(original))
    return response
