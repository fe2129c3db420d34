"""Review decision and filter forms."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker import formutils
from tracker.companies.enums import Stage
from tracker.countries import country_choices
from tracker.formutils import BaseForm, select_choices

SORT_CHOICES = [
    ("oldest", _l("Oldest submission first")),
    ("newest", _l("Newest submission first")),
]


class QueueFilterForm(BaseForm):
    """GET filters: bound to the query string, no CSRF.

    `countries` limits the country filter to those codes (a representative's); a value outside
    them is then not a valid choice, so it is shown as an error and not applied.
    """

    class Meta:
        csrf = False

    def __init__(self, formdata, countries: list[str] | None = None, **kwargs):
        super().__init__(formdata, **kwargs)
        if countries is not None:
            offered = set(countries)
            pairs = [pair for pair in country_choices() if pair[0] in offered]
            self.country.choices = select_choices(pairs, _l("All your countries"))

    def accepted(self, name: str):
        """A filter's value if it is valid (after `validate()`); an invalid one is ignored."""
        field = self[name]
        return None if field.errors else field.data

    status = SelectField(
        _l("Status"),
        choices=select_choices(
            [*Stage.choices(), ("changes", _l("Change of details awaiting review"))],
            _l("All statuses"),
        ),
        default=Stage.SUBMITTED.value,
        validators=[Optional()],
    )
    country = SelectField(
        _l("Country of operation"),
        # Called per form: the country names are in the reader's language.
        choices=lambda: select_choices(country_choices(), _l("All countries")),
        validators=[Optional()],
    )
    q = StringField(_l("Name contains"), validators=[Optional(), Length(max=100)])
    sort = SelectField(_l("Sort by"), choices=select_choices(SORT_CHOICES), default="oldest")


class DecisionForm(formutils.VersionedForm):
    """A decision carries the version of the application the reviewer read (Company.version)."""

    version = formutils.version_field(
        _l(
            "This form does not say which version of the application you read. "
            "Reload the page and decide again."
        )
    )


class ApproveForm(DecisionForm):
    # Set by the confirmation page: the first press of Approve only asks "are you sure?".
    confirmed = HiddenField()

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed.data == "yes"


class ReturnForm(DecisionForm):
    comment = TextAreaField(
        _l("What should the company change?"), validators=[DataRequired(), Length(max=4000)]
    )


class RejectForm(DecisionForm):
    reason = TextAreaField(
        _l("Reason for rejecting"), validators=[DataRequired(), Length(max=4000)]
    )


# Field names differ from form to form: several of these forms share the company's page.
class SuspendForm(DecisionForm):
    suspend_reason = TextAreaField(
        _l("Reason for suspending (the company reads it)"),
        validators=[DataRequired(), Length(max=4000)],
    )


class ReinstateForm(DecisionForm):
    reinstate_note = TextAreaField(
        _l("Note to the company (optional)"), validators=[Length(max=4000)]
    )


class ExpelForm(DecisionForm):
    expel_reason = TextAreaField(
        _l("Reason for expelling (the company reads it)"),
        validators=[DataRequired(), Length(max=4000)],
    )
    expel_confirm = BooleanField(
        _l(
            "I understand that expelling is final: the company is no longer a member, and only a "
            "new application could bring it back."
        ),
        validators=[
            DataRequired(_l("Tick the box to confirm that you mean to expel the company."))
        ],
    )


class ApproveChangeForm(DecisionForm):
    pass


class PublishPropertiesForm(DecisionForm):
    """Publish the properties listed: the version says which list the reviewer read."""


class ReturnChangeForm(DecisionForm):
    change_comment = TextAreaField(
        _l("What should the company correct in its change?"),
        validators=[DataRequired(), Length(max=4000)],
    )
