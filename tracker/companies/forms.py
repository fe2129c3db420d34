"""Company application, profile and signature forms."""

from wtforms import BooleanField, EmailField, FieldList, FormField, SelectField, StringField
from wtforms.validators import URL, DataRequired, Email, Length, Optional, ValidationError

from tracker.companies.criteria import CURRENT_VERSION, criteria
from tracker.companies.models import CompanyType, RevenueBand
from tracker.countries import country_choices
from tracker.formutils import (
    BaseForm,
    BaseSubForm,
    CachedSelect,
    select_choices,
    strip_whitespace,
)

# The most operations one company lists; more rows are refused, never silently dropped.
MAX_OPERATIONS = 300
FULL_OPERATIONS = (
    f"You can list at most {MAX_OPERATIONS} operations, so no row was added. "
    "Remove one to add another."
)


def too_many_operations(count: int) -> str:
    excess = count - MAX_OPERATIONS
    rows = "1 row" if excess == 1 else f"{excess} rows"
    return (
        f"You can list at most {MAX_OPERATIONS} operations; this form has {count}. "
        f"Remove {rows} and save again."
    )


def country_select(label: str) -> SelectField:
    return SelectField(
        label,
        choices=select_choices(country_choices(), "Choose a country"),
        validators=[DataRequired(message="Choose a country from the list.")],
        invalid_choice_message="Choose a country from the list.",
        # One select per operation row: the cached options keep 300 rows fast to render.
        widget=CachedSelect(),
    )


class OperationForm(BaseSubForm):
    """One row of the operations list (no CSRF of its own: the parent form carries it)."""

    country_code = country_select("Country")
    property_name = StringField("Property name", validators=[Optional(), Length(max=200)])
    city = StringField("City", validators=[Optional(), Length(max=120)])


class CompanyForm(BaseForm):
    legal_name = StringField(
        "Legal name",
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "organization"},
    )
    display_name = StringField(
        "Public display name",
        validators=[DataRequired(), Length(max=120)],
        description="The name travellers will see in the public list.",
    )
    type = SelectField(
        "Type of business",
        choices=select_choices(CompanyType.choices(), "Choose a type"),
        validators=[DataRequired(message="Choose a type of business from the list.")],
        invalid_choice_message="Choose a type of business from the list.",
    )
    hq_country = country_select("Headquarters country")
    website = StringField(
        "Website",
        validators=[
            Optional(),
            Length(max=255),
            URL(message="Enter a full address, e.g. https://example.com"),
        ],
        render_kw={"type": "url", "autocomplete": "url"},
    )
    revenue_band = SelectField(
        "Annual revenue",
        choices=select_choices(RevenueBand.choices(), "Choose a revenue band"),
        validators=[DataRequired(message="Choose your annual revenue from the list.")],
        invalid_choice_message="Choose your annual revenue from the list.",
        description="Sets the annual fee: €50, €300, €800 or €2,000.",
    )
    contact_name = StringField("Contact person", validators=[DataRequired(), Length(max=120)])
    contact_email = EmailField(
        "Contact e-mail",
        validators=[DataRequired(), Length(max=254), Email()],
        filters=[strip_whitespace],
    )
    contact_phone = StringField(
        "Contact phone",
        validators=[Optional(), Length(max=40)],
        render_kw={"autocomplete": "tel", "type": "tel"},
    )
    # No max_entries: WTForms would silently drop the rows past it. The request body limits
    # (config.py) bound how many rows can arrive; validate_operations refuses more than allowed.
    operations = FieldList(FormField(OperationForm), min_entries=1)

    def validate_operations(self, field: FieldList) -> None:
        if len(field.entries) > MAX_OPERATIONS:
            raise ValidationError(too_many_operations(len(field.entries)))
        hotel_types = {kind.value for kind in CompanyType if kind.has_properties}
        needs_property = self.type.data in hotel_types
        seen, problem = set(), False
        for row in (entry.form for entry in field.entries):
            if needs_property:
                for sub in (row.property_name, row.city):
                    if not (sub.data or "").strip():
                        sub.errors.append("Hotels name each property and its city.")
                        problem = True
            key = (
                row.country_code.data,
                (row.property_name.data or "").strip().lower(),
                (row.city.data or "").strip().lower(),
            )
            if key in seen:
                row.country_code.errors.append("This row repeats another one.")
                problem = True
            seen.add(key)
        if problem:
            raise ValidationError("Check the highlighted operations.")


class SignForm(BaseForm):
    signatory_name = StringField(
        "Signatory's full name", validators=[DataRequired(), Length(max=120)]
    )
    signatory_title = StringField(
        "Signatory's title",
        validators=[DataRequired(), Length(max=120)],
        description="For example: Managing Director.",
    )
    authority = BooleanField(
        "I confirm that I am authorised to sign on behalf of this company.",
        validators=[DataRequired(message="Confirm that you may sign for the company.")],
    )


def sign_form_for(version: str = CURRENT_VERSION) -> SignForm:
    """A SignForm with one required checkbox per criterion of `version`."""

    class VersionedSignForm(SignForm):
        pass

    for criterion in criteria(version):
        setattr(
            VersionedSignForm,
            f"criterion_{criterion.number}",
            BooleanField(
                f"We commit to criterion {criterion.number}, {criterion.title}: {criterion.text}",
                validators=[DataRequired(message=f"Accept criterion {criterion.number} to sign.")],
            ),
        )
    return VersionedSignForm()
