"""Evidence files per criterion: the company adds and removes them on its draft; the company
and staff who may see the report download them (always as attachments, never shown inline)."""

from flask import Blueprint, abort, current_app, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from tracker.auth.forms import EmptyForm
from tracker.auth.permissions import company_user_required, staff_required
from tracker.domain import DomainError, populate_errors
from tracker.extensions import db
from tracker.reports import documents, evidence, pending_files, queries
from tracker.reports.forms import EvidenceForm, ReportForm
from tracker.reports.models import Report, ReportEvidence, Section
from tracker.reports.pending_files import EVIDENCE, KeptFile
from tracker.reports.policy_upload import safe_filename
from tracker.reports.views import (
    document_folder,
    form_data,
    own_report_or_404,
    render_edit,
)
from tracker.write_limits import limit_company_writes

bp = Blueprint("report_evidence", __name__)
COMPANY = "/company/reports/<int:year>/evidence"


@bp.post(COMPANY)
@company_user_required
@limit_company_writes
def add(year: int):
    report = own_report_or_404(year)
    if not report.is_editable:
        return redirect(url_for("reports.preview", year=year))
    form = EvidenceForm()
    kept = claimed(form, report)
    valid = form.validate_on_submit()  # and the file checked too: every mistake at once
    try:
        new = stored_file(checked_file(form, required=kept is None))
    except DomainError as error:
        new = None
        populate_errors(form, error)
    if valid and not form.file.errors and attached(report, form, new or kept):
        if new is not None and kept is not None:
            pending_files.drop(kept)  # replaced by the new file
        flash(_("The file is added to the report."), "success")
        return redirect(url_for("reports.edit", year=year, _anchor="evidence"))
    # Refused: a good file is kept (pending) for the next try.
    edit_form = ReportForm(formdata=None, data=form_data(report))
    edit_form.version.data = str(report.version)
    carried = pending_files.carried(new, kept)
    return render_edit(report, edit_form, evidence_form=form, evidence_kept=carried), 400


def claimed(form: EvidenceForm, report: Report) -> KeptFile | None:
    """The file a failed add kept, unless the person asked to drop it."""
    kept = pending_files.claim(form.pending_file.data, report, current_user, EVIDENCE)
    if kept is not None and form.discard_pending_file.data:
        pending_files.drop(kept)
        return None
    return kept


def stored_file(checked: tuple[bytes, str, str] | None) -> KeptFile | None:
    """The checked upload stored: attached by the add, or pending if the add fails."""
    if checked is None:
        return None
    data, name, content_type = checked
    return KeptFile(documents.store(data, document_folder()), name, len(data), content_type)


def attached(report: Report, form: EvidenceForm, file: KeptFile) -> bool:
    """Whether `file` is now evidence of the chosen criterion (committed); refusals go on
    the form's file field."""
    try:
        evidence.add_evidence(
            report,
            Section(form.section.data),
            file.stored,
            file.filename,
            file.size,
            file.content_type,
            current_user,
        )
        db.session.commit()
    except (DomainError, StaleDataError) as error:
        db.session.rollback()
        if isinstance(error, DomainError):
            populate_errors(form, error)
        else:
            form.file.errors = [_("A colleague changed the report meanwhile. Try again.")]
        return False
    return True


def checked_file(form: EvidenceForm, required: bool = True) -> tuple[bytes, str, str] | None:
    """:raises DomainError: on the file field, for no file (when `required`) or one we refuse."""
    upload = form.file.data
    if not upload or not getattr(upload, "filename", ""):
        if not required:
            return None
        raise DomainError.on("file", _("Choose a file."))
    limit = current_app.config["REPORT_DOCUMENT_MAX_BYTES"]
    data = upload.stream.read(limit + 1)
    try:
        content_type = evidence.checked_type(data, limit)
    except documents.DocumentError as error:
        raise DomainError.on("file", error.message) from None
    return data, safe_filename(upload.filename), content_type


@bp.post(COMPANY + "/<int:evidence_id>/remove")
@company_user_required
@limit_company_writes
def remove(year: int, evidence_id: int):
    report = own_report_or_404(year)
    item = evidence_of_or_404(report, evidence_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        stored = evidence.remove_evidence(report, item, current_user)
        db.session.commit()
    except (DomainError, StaleDataError) as error:
        db.session.rollback()
        flash(str(error) if isinstance(error, DomainError) else _("Try again."), "error")
        return redirect(url_for("reports.edit", year=year, _anchor="evidence"))
    documents.remove_unused([stored], document_folder())
    flash(_("The file is removed from the report."), "success")
    return redirect(url_for("reports.edit", year=year, _anchor="evidence"))


@bp.get(COMPANY + "/<int:evidence_id>")
@company_user_required
def download(year: int, evidence_id: int):
    return send_evidence(evidence_of_or_404(own_report_or_404(year), evidence_id))


@bp.get("/review/reports/<int:report_id>/evidence/<int:evidence_id>")
@staff_required
def staff_download(report_id: int, evidence_id: int):
    report = queries.report_for_staff(report_id, current_user)
    if report is None:
        abort(404)
    return send_evidence(evidence_of_or_404(report, evidence_id))


def evidence_of_or_404(report: Report, evidence_id: int) -> ReportEvidence:
    item = db.session.get(ReportEvidence, evidence_id)
    if item is None or item.report_id != report.id:
        abort(404)
    return item


def send_evidence(item: ReportEvidence):
    try:
        path = documents.path_of(item.stored, document_folder())
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=item.content_type, max_age=0)
    response.headers.update(
        documents.download_headers(item.name, item.extension, item.content_type)
    )
    return response
