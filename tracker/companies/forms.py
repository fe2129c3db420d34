"""Company application, profile and signature forms."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Email, Length, Optional, ValidationError

from tracker.companies.criteria import criteria
from tracker.companies.enums import CompanyType, RevenueBand
from tracker.companies.properties import decoded
from tracker.countries import country_choices
from tracker.formutils import (
    BaseForm,
    BaseSubForm,
    CachedSelect,
    reject_spaces,
    select_choices,
    strip_whitespace,
    validate_typed,
    with_scheme,
)

# The most characters of CSV, pasted or uploaded: 2,000 rows of 200 characters each.
IMPORT_LIMIT = 400_000

# The most rows the application and edit forms hold; more are refused, never silently dropped.
# Longer lists (up to services.MAX_PROPERTIES) are imported on the properties page.
MAX_OPERATIONS = 300
FULL_OPERATIONS = _l(
    _l(
        "This form holds at most %(max)d operations, so no row was added. Save, then import "
        "the rest from a CSV file on the properties page."
    ),
    max=MAX_OPERATIONS,
)


def too_many_operations(count: int) -> str:
    return ngettext(
        "You can list at most %(max)d operations; this form has %(count)d. "
        "Remove %(num)d row and save again.",
        "You can list at most %(max)d operations; this form has %(count)d. "
        "Remove %(num)d rows and save again.",
        count - MAX_OPERATIONS,
        max=MAX_OPERATIONS,
        count=count,
    )


def country_select(label: str) -> SelectField:
    return SelectField(
        label,
        # A callable: the names are in the reader's language, so they are made per form.
        choices=lambda: select_choices(country_choices(), _l("Choose a country")),
        validators=[DataRequired(message=_l("Choose a country from the list."))],
        invalid_choice_message=_l("Choose a country from the list."),
        # One select per operation row: the cached options keep 300 rows fast to render.
        widget=CachedSelect(),
    )


class OperationForm(BaseSubForm):
    """One row of the operations list (no CSRF of its own: the parent form carries it)."""

    country_code = country_select(_l("Country"))
    property_name = StringField(_l("Property name"), validators=[Optional(), Length(max=200)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])


class CompanyForm(BaseForm):
    legal_name = StringField(
        _l("Legal name"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "organization"},
    )
    display_name = StringField(
        _l("Public display name"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("The name travellers will see in the public list."),
    )
    type = SelectField(
        _l("Type of business"),
        choices=select_choices(CompanyType.choices(), _l("Choose a type")),
        validators=[DataRequired(message=_l("Choose a type of business from the list."))],
        invalid_choice_message=_l("Choose a type of business from the list."),
    )
    hq_country = country_select(_l("Headquarters country"))
    website = StringField(
        _l("Website"),
        validators=[
            Optional(),
            Length(max=255),
            reject_spaces,
            URL(message=_l("Enter a full address, e.g. https://example.com")),
        ],
        # "example.org" becomes https://example.org. Not type=url: Chromium refuses a bare
        # domain there before the form is sent; inputmode still brings the URL keyboard.
        filters=[with_scheme],
        render_kw={"type": "text", "inputmode": "url", "autocomplete": "url"},
    )
    revenue_band = SelectField(
        _l("Annual revenue"),
        choices=select_choices(RevenueBand.choices(), _l("Choose a revenue band")),
        validators=[DataRequired(message=_l("Choose your annual revenue from the list."))],
        invalid_choice_message=_l("Choose your annual revenue from the list."),
        description=_l("It sets the annual fee, from ECPAT's fee table."),
    )
    contact_name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=120)])
    contact_email = EmailField(
        _l("Contact e-mail"),
        validators=[DataRequired(), Length(max=254), Email()],
        filters=[strip_whitespace],
    )
    contact_phone = StringField(
        _l("Contact phone"),
        validators=[Optional(), Length(max=40)],
        render_kw={"autocomplete": "tel", "type": "tel"},
    )
    # No max_entries: WTForms would silently drop the rows past it. The request body limits
    # (config.py) bound how many rows can arrive; validate_operations refuses more than allowed.
    operations = FieldList(FormField(OperationForm), min_entries=1)
    # The row the "Add another operation" button just added: the page puts focus in it.
    new_row: int | None = None

    def validate_draft(self) -> bool:
        """Check what a draft keeps: each value typed, and no more rows than the form holds."""
        valid = validate_typed(self)
        if len(self.operations.entries) > MAX_OPERATIONS:
            count = len(self.operations.entries)
            self.operations.errors = [*self.operations.errors, too_many_operations(count)]
            return False
        return valid

    def draft_data(self) -> dict:
        """The values as a draft keeps them; CompanyForm(data=...) shows them again."""
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}

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
                        sub.errors.append(_("Hotels name each property and its city."))
                        problem = True
            key = (
                row.country_code.data,
                (row.property_name.data or "").strip().lower(),
                (row.city.data or "").strip().lower(),
            )
            if key in seen:
                row.country_code.errors.append(_("This row repeats another one."))
                problem = True
            seen.add(key)
        if problem:
            raise ValidationError(_("Check the highlighted operations."))


class ProfileForm(CompanyForm):
    """The edit form of a company listing more operations than a form holds comfortably: they
    are kept as they are here and edited on the properties page."""

    operations = None


class SignForm(BaseForm):
    signatory_name = StringField(
        _l("Signatory's full name"), validators=[DataRequired(), Length(max=120)]
    )
    signatory_title = StringField(
        _l("Signatory's title"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("For example: Managing Director."),
    )
    authority = BooleanField(
        _l("I confirm that I am authorised to sign on behalf of this company."),
        validators=[DataRequired(message=_l("Confirm that you may sign for the company."))],
    )


def sign_form_for(version: str | None = None) -> SignForm:
    """A SignForm with one required checkbox per criterion of `version`."""

    class VersionedSignForm(SignForm):
        pass

    for criterion in criteria(version):
        setattr(
            VersionedSignForm,
            f"criterion_{criterion.number}",
            BooleanField(
                _l(
                    _l("We commit to criterion %(number)d, %(title)s: %(text)s"),
                    number=criterion.number,
                    title=criterion.title,
                    text=criterion.text,
                ),
                validators=[
                    DataRequired(
                        message=_l("Accept criterion %(number)d to sign.", number=criterion.number)
                    )
                ],
            ),
        )
    return VersionedSignForm()


class PropertyForm(BaseForm):
    """One property (or country) added on the properties page."""

    country_code = country_select(_l("Country"))
    property_name = StringField(_l("Property name"), validators=[Optional(), Length(max=200)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])

    def require_property(self) -> bool:
        """For hotels: name and city are required; True when both are there."""
        missing = [f for f in (self.property_name, self.city) if not (f.data or "").strip()]
        for field in missing:
            field.errors = [*field.errors, _("Hotels name each property and its city.")]
        return not missing


class RemovePropertyForm(BaseForm):
    """Names the row a Remove button takes away by its values, not by a position that moves."""

    country_code = HiddenField(validators=[DataRequired()])
    property_name = HiddenField()
    city = HiddenField()


class ImportForm(BaseForm):
    limit = IMPORT_LIMIT  # the most characters pasted, or bytes uploaded
    too_long = _l("This file is more than 2,000 rows can hold.")

    rows = TextAreaField(
        _l("Paste the rows"),
        validators=[
            Optional(),
            Length(max=IMPORT_LIMIT, message=_l("This is more than 2,000 rows can hold.")),
        ],
        description=_l(
            "One property per line: country, property name, city, separated by commas, "
            "semicolons or tabs (as copied from a spreadsheet)."
        ),
        render_kw={"rows": 10, "spellcheck": "false"},
    )
    file = FileField(
        _l("Or choose a CSV file"),
        description=_l("UTF-8 or Windows spreadsheet CSV, up to 2,000 rows."),
        render_kw={"accept": ".csv,.txt,text/csv,text/plain"},
    )
    mode = RadioField(
        _l("What to do with the properties you list now"),
        choices=[
            SelectChoice("append", _l("Add these rows to them")),
            SelectChoice("replace", _l("Replace them all with these rows")),
        ],
        default="append",
        validators=[DataRequired(message=_l("Choose whether to add or replace."))],
    )

    def text(self) -> str | None:
        """The CSV text, from the file if one was chosen, else as pasted; None if unreadable."""
        if not self.has_file():
            return self.rows.data or ""
        data = self.file.data.read(self.limit + 1)
        # Length first: the cut may split a UTF-8 character, which would not decode.
        if len(data) > self.limit:
            self.file.errors = [str(self.too_long)]
            return None
        text = decoded(data)
        if text is None:
            self.file.errors = [_("This is not a CSV file: save it as CSV (UTF-8) and try again.")]
        return text

    def has_file(self) -> bool:
        return bool(self.file.data and getattr(self.file.data, "filename", ""))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Not a validator of `rows`: Optional() ends its chain when it is empty.
        if not (self.rows.data or "").strip() and not self.has_file():
            self.rows.errors = [*self.rows.errors, _("Paste the rows or choose a file.")]
            return False
        return valid


class PublicationForm(BaseForm):
    publish_properties = BooleanField(
        _l("List our properties publicly"),
        description=_l(
            "The names and cities of your properties on your profile, country pages and in the "
            "open data. The countries where you operate are always listed."
        ),
    )
    publish_legal_name = BooleanField(
        _l("List our legal name publicly"),
        description=_l(
            "Your legal name beside your public name, and in the search. ECPAT always sees it."
        ),
    )
