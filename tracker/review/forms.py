"""Review decision and filter forms."""

from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

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


def check_version(form, field) -> None:
    """A version is a small positive whole number; anything else was not sent by our page."""
    text = field.data or ""
    # Length first: int() refuses strings of over 4,300 digits with an error of its own.
    if not (text.isascii() and text.isdigit() and len(text) <= 10 and 0 < int(text) < 2**31):
        raise ValidationError(
            "This form does not say which version of the application you read. "
            "Reload the page and decide again."
        )


class DecisionForm(BaseForm):
    """A decision carries the version of the application the reviewer read (Company.version)."""

    version = HiddenField(validators=[check_version])

    @property
    def seen_version(self) -> int:
        return int(self.version.data)


class ApproveForm(DecisionForm):
    pass


class ReturnForm(DecisionForm):
    comment = TextAreaField(
        "What should the company change?", validators=[DataRequired(), Length(max=4000)]
    )


class RejectForm(DecisionForm):
    reason = TextAreaField("Reason for rejecting", validators=[DataRequired(), Length(max=4000)])
