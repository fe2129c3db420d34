"""Review decision and filter forms."""

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.companies.models import CompanyStatus
from tracker.countries import country_choices
from tracker.formutils import BaseForm, select_choices


class QueueFilterForm(BaseForm):
    """GET filters: bound to the query string, no CSRF."""

    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        choices=select_choices(CompanyStatus.choices(), "All statuses"),
        default=CompanyStatus.SUBMITTED.value,
        validators=[Optional()],
    )
    country = SelectField(
        "Country of operation",
        choices=select_choices(country_choices(), "All countries"),
        validators=[Optional()],
    )
    q = StringField("Name contains", validators=[Optional(), Length(max=100)])


class ApproveForm(BaseForm):
    pass


class ReturnForm(BaseForm):
    comment = TextAreaField(
        "What should the company change?", validators=[DataRequired(), Length(max=4000)]
    )


class RejectForm(BaseForm):
    reason = TextAreaField("Reason for rejecting", validators=[DataRequired(), Length(max=4000)])
