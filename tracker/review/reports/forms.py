"""The staff forms for annual reports: accept or return a report, a later due date, the queue's
filters, and naming or withdrawing a Top Member title."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from tracker.formutils import BaseForm
from tracker.reports.forms import TEXT_LIMIT, VersionedForm
from tracker.reports.models import Section


class AcceptReportForm(VersionedForm):
    accept_comment = TextAreaField(
        _l("Comment for the member (optional)"),
        validators=[Optional(), Length(max=TEXT_LIMIT)],
        render_kw={"rows": 2},
    )


def return_form_class():
    """The return form: a comment box per section, and one on the whole report."""

    class ReturnReportForm(VersionedForm):
        return_comment = TextAreaField(
            _l("Comment on the whole report (optional)"),
            validators=[Optional(), Length(max=TEXT_LIMIT)],
            render_kw={"rows": 2},
        )

        def section_fields(self):
            return [(section, self[f"comment_{section.value}"]) for section in Section]

    for section in Section:
        setattr(
            ReturnReportForm,
            f"comment_{section.value}",
            TextAreaField(
                _l("What needs changing in “%(section)s”", section=section.label),
                validators=[Optional(), Length(max=TEXT_LIMIT)],
                render_kw={"rows": 2},
            ),
        )
    return ReturnReportForm


ReturnReportForm = return_form_class()


class ExtensionForm(BaseForm):
    year = IntegerField(_l("Reporting year"), validators=[InputRequired()])
    due_on = DateField(_l("New due date"), validators=[InputRequired()], render_kw={"type": "date"})
    # Its own id: the company page also holds the reject form's "reason".
    reason = TextAreaField(
        _l("Reason"),
        validators=[InputRequired(), Length(max=2000)],
        render_kw={"rows": 2},
        id="extension-reason",
    )


class NameTopMemberForm(BaseForm):
    """Name a member Top Member of a reporting year, with an optional citation."""

    citation = TextAreaField(
        _l("Citation (optional)"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )


class WithdrawTopMemberForm(BaseForm):
    """Withdraw a Top Member title, saying why."""

    reason = TextAreaField(
        _l("Why the title is withdrawn"),
        validators=[InputRequired(), Length(max=2000)],
        render_kw={"rows": 2},
    )


class ReportFilterForm(BaseForm):
    """The staff report queue's filters: bound to the query string, no CSRF."""

    class Meta:
        csrf = False

    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=2000, max=2100)])
    state = SelectField(_l("State"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    type = SelectField(_l("Type of business"), validators=[Optional()])

    def accepted(self, name: str):
        field = self[name]
        return None if field.errors else field.data
