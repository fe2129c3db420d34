"""The filters of a country's page, read from the query string: type of business and city.

As in the directory's form (search/filters.py), a value the form does not offer (a city with no
member, a page of -1, a `<script>`) is an error shown beside its field, answered with 400, and
never reaches SQL. The cities offered are those of members' properties in the country.
"""

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional, StopValidation
from wtforms.widgets import TextInput

from tracker.companies.enums import CompanyType
from tracker.directory.search.filters import MAX_PAGE
from tracker.directory.search.listing import PAGE_SIZES, Filters
from tracker.formutils import BaseForm, CachedSelect, select_choices

MAX_SHOWN = 20  # characters of a refused page number shown back in its field


class PageField(IntegerField):
    """The page number: shown only when it is wrong, as typed, in a text box (a number box
    cannot hold "abc"), without control characters and cut short."""

    widget = TextInput()

    def pre_validate(self, form) -> None:
        if self.process_errors:  # "abc" is not a number: saying it is out of range adds nothing
            raise StopValidation()

    def _value(self) -> str:
        text = super()._value()
        return "".join(ch for ch in text if ch.isprintable())[:MAX_SHOWN]


class CountryFilterForm(BaseForm):
    class Meta:
        csrf = False  # a search changes nothing

    FIELDS = ("type", "city", "per_page", "page")  # the query names a country page reads

    type = SelectField(
        _l("Type of business"),
        choices=select_choices(CompanyType.choices(), _l("All types")),
        validators=[Optional()],
    )
    # A large country has thousands of cities: their options are rendered once (CachedSelect).
    city = SelectField(_l("City"), validators=[Optional()], widget=CachedSelect())
    per_page = SelectField(
        _l("Per page"),
        choices=select_choices((str(size), str(size)) for size in PAGE_SIZES),
        default=str(PAGE_SIZES[0]),
    )
    page = PageField(
        _l("Page"), default=1, validators=[Optional(), NumberRange(min=1, max=MAX_PAGE)]
    )

    def __init__(self, formdata: MultiDict, cities: list[str], **kwargs):
        # Absent or empty values take their defaults: a bare /countries/TH is a valid page.
        present = MultiDict({key: value for key, value in formdata.items(multi=True) if value})
        super().__init__(present, **kwargs)
        self.city.choices = select_choices(((city, city) for city in cities), _l("All cities"))

    def filters(self, country: str) -> Filters:
        """The filters asked for in `country`, once `validate()` passed."""
        return Filters(
            country=country,
            type=CompanyType(self.type.data) if self.type.data else None,
            city=self.city.data or None,
            page=self.page.data or 1,
            per_page=int(self.per_page.data or PAGE_SIZES[0]),
        )

    @property
    def link_args(self) -> dict[str, str]:
        """The filters as they stand in the query string, for the page links to keep."""
        args = {"type": self.type.data, "city": self.city.data}
        if self.per_page.data != self.per_page.default:
            args["per_page"] = self.per_page.data
        return {name: value for name, value in args.items() if value}
