"""Staff training from a CSV file: for hotel chains with hundreds of properties.

The company downloads its rows as a CSV template, fills them in a spreadsheet and imports the
file: a preview lists every row's new values (and each line's problems) before anything is
saved. Confirming parses the posted text again, never trusting the preview page, and saves
through `drafting.save_draft`, so the report's rules and version check are the form's: a file
with any problem, or a report a colleague changed since the preview, saves nothing.
"""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.file import FileField
from sqlalchemy.orm.exc import StaleDataError
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from tracker.auth.permissions import company_user_required
from tracker.companies.forms import ImportForm
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.reports import drafting, services, training_csv
from tracker.reports.forms import VersionedForm
from tracker.reports.models import Report
from tracker.reports.views import own_report_or_404
from tracker.security import larger_form
from tracker.write_limits import limit_company_writes

bp = Blueprint("report_training", __name__, url_prefix="/company/reports")

# The most characters of training CSV: a line per staff group of the most properties a company
# lists, of 200 characters each (as the properties import allows), 1.2 million in all.
TRAINING_IMPORT_LIMIT = training_csv.MAX_LINES * 200
# Its text in UTF-8 (up to 3 bytes a character, for Thai or Chinese names), sent pasted and
# uploaded at once in the worst case: the request is refused (413) only past what the form
# refuses with a message beside the field.
TEXT_BYTES = 3 * TRAINING_IMPORT_LIMIT


class TrainingImportForm(ImportForm, VersionedForm):
    """The properties import's form (paste or upload, size limit, decoding) for training rows,
    with the version of the report the preview showed instead of the add-or-replace choice."""

    rows = TextAreaField(
        _l("Paste the rows"),
        validators=[
            Optional(),
            Length(
                max=TRAINING_IMPORT_LIMIT,
                message=_l("This is more than the rows of 2,000 properties can hold."),
            ),
        ],
        description=_l(
            "One line per row and staff group: country code, property, city, staff group, "
            "employees at year end, new training in person, new e-learning, refresher training "
            "in person, refresher e-learning, currently trained and hours per person, separated "
            "by commas, semicolons or tabs (as copied from a spreadsheet)."
        ),
        render_kw={"rows": 10, "spellcheck": "false"},
    )
    file = FileField(
        _l("Or choose a CSV file"),
        description=_l(
            "UTF-8 or Windows spreadsheet CSV, up to 2,000 properties (a line per staff group)."
        ),
        render_kw={"accept": ".csv,.txt,text/csv,text/plain"},
    )
    mode = None  # rows are matched to the report's, never added or replaced
    limit = TRAINING_IMPORT_LIMIT
    too_long = _l("This file is more than the rows of 2,000 properties can hold.")


@bp.get("/<int:year>/training.csv")
@company_user_required
def download_template(year: int):
    """The report's rows with their values; the BOM makes Excel read the file as UTF-8."""
    report = own_report_or_404(year)
    return Response(
        "\ufeff" + training_csv.template_csv(report),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="training-{year}.csv"'},
    )


@bp.route("/<int:year>/training/import", methods=["GET", "POST"])
@larger_form(body=TEXT_BYTES + TRAINING_IMPORT_LIMIT + 64 * 1024, text_field=TEXT_BYTES)
@company_user_required
@limit_company_writes
def import_training(year: int):
    report = own_report_or_404(year)
    if not report.is_editable:
        return redirect(url_for("reports.preview", year=year))
    form = TrainingImportForm()
    if request.method == "GET":
        form.version.data = str(report.version)
        return render(report, form)
    text = form.text() if form.validate_on_submit() else None
    if text is None:
        return render(report, form), 400
    parsed = training_csv.parse(text, report)
    form.rows.data = text  # the file's text carries on to the confirming request
    form.rows.errors = list(parsed.errors)
    if parsed.ok and "confirm" in request.form:
        return confirm(report, form, parsed)
    form.version.data = str(report.version)  # the preview compares with the report as it is
    return render(report, form, parsed)


def confirm(report: Report, form: TrainingImportForm, parsed: training_csv.ParsedTraining):
    try:
        answers = training_csv.answers_with(report, parsed)
        drafting.save_draft(report, answers, current_user, form.seen_version)
        db.session.commit()
    except (services.ReportConflict, StaleDataError):
        # A colleague saved the report after the preview: show the file against their version.
        db.session.rollback()
        report = db.session.get(Report, report.id)
        form.version.data = str(report.version)
        return render(report, form, training_csv.parse(form.rows.data, report), conflict=True), 409
    except DomainError as error:  # a rule of the report's other answers: nothing is saved
        db.session.rollback()
        form.rows.errors = [message for _field, message in error.errors]
        return render(report, form, parsed), 400
    count = parsed.row_count
    flash(
        ngettext("Training of %(num)d row imported.", "Training of %(num)d rows imported.", count),
        "success",
    )
    return redirect(url_for("reports.edit", year=report.year))


def render(report: Report, form, parsed=None, conflict: bool = False):
    return render_template(
        "reports/training_import.html",
        report=report,
        company=report.company,
        form=form,
        parsed=parsed,
        conflict=conflict,
    )
