"""The directory's filters, read from the query string: one form for the pages and the API.

Every filter lives in the URL, so a search can be bookmarked and shared. A value the form does
not offer (a country code that does not exist, a page of -1, a 10,000-character name) is an
error shown next to its field, and the answer is 400; it is never applied, nor passed on to SQL.
"""

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from tracker.companies.enums import CompanyType
from tracker.countries import country_choices
from tracker.directory.search.listing import MAX_QUERY, PAGE_SIZES, Filters, PublicStanding, Sort
from tracker.formutils import BaseForm, select_choices, strip_whitespace

MAX_PAGE = 10_000  # 100 a page: a million members


class DirectoryFilterForm(BaseForm):
    class Meta:
        csrf = False  # a search changes nothing

    q = StringField(
        _l("Name"),
        filters=[strip_whitespace],
        validators=[Optional(), Length(max=MAX_QUERY)],
    )
    country = SelectField(_l("Country"), validators=[Optional()])
    type = SelectField(
        _l("Type of business"),
        choices=select_choices(CompanyType.choices(), _l("All types")),
        validators=[Optional()],
    )
    standing = SelectField(
        _l("Standing"),
        choices=select_choices(PublicStanding.choices(), _l("Any standing")),
        validators=[Optional()],
    )
    sort = SelectField(_l("Sort by"), choices=select_choices(Sort.choices()), default="name")
    per_page = SelectField(
        _l("Per page"),
        choices=select_choices((str(size), str(size)) for size in PAGE_SIZES),
        default=str(PAGE_SIZES[0]),
    )
    page = IntegerField(
        _l("Page"), default=1, validators=[Optional(), NumberRange(min=1, max=MAX_PAGE)]
    )

    def __init__(self, formdata: MultiDict, **kwargs):
        # Absent selects take their defaults: a bare /signatories is a valid search.
        present = MultiDict({key: value for key, value in formdata.items(multi=True) if value})
        super().__init__(present, **kwargs)
        self.country.choices = select_choices(country_choices(), _l("All countries"))
        # Only the standings the publication rules let the public see.
        in_use = [(item.value, item.label) for item in PublicStanding.in_use()]
        self.standing.choices = select_choices(in_use, _l("Any standing"))

    @property
    def link_args(self) -> dict[str, str]:
        """The filters asked for (once `validate()` passed), for links that keep them: built
        from this form's own fields, never from the query string as sent, whose other names
        would reach url_for (`_external`, `_scheme`, `_anchor`...)."""
        args = {name: self[name].data for name in ("q", "country", "type", "standing")}
        for name in ("sort", "per_page"):
            if self[name].data != self[name].default:
                args[name] = self[name].data
        return {name: value for name, value in args.items() if value}

    def filters(self, **fixed) -> Filters:
        """The filters asked for, once `validate()` passed; `fixed` overrides (a country page)."""
        values = {
            "q": self.q.data or "",
            "country": self.country.data or None,
            "type": CompanyType(self.type.data) if self.type.data else None,
            "standing": PublicStanding(self.standing.data) if self.standing.data else None,
            "sort": Sort(self.sort.data or Sort.NAME.value),
            "page": self.page.data or 1,
            "per_page": int(self.per_page.data or PAGE_SIZES[0]),
        }
        return Filters(**(values | fixed))
