"""The directory as a CSV for people: headers, types and standings in the reader's language,
dates as their language writes them, country names rather than codes.

The machine CSV (`open_data.representation.CSV_HEADER`) stays as it is, byte for byte:
programs read it by its English column names and codes. This one is for opening in a
spreadsheet and may change with the translations.
"""

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from tracker.countries import by_name, country_name
from tracker.directory.search.listing import Listed
from tracker.urls import public_url

READABLE_HEADER = [
    _l("Name"),
    _l("Legal name"),
    _l("Type of company"),
    _l("Website"),
    _l("Membership number"),
    _l("Member since"),
    _l("Standing"),
    _l("Countries"),
    _l("Profile"),
]


def readable_header() -> list[str]:
    return [str(title) for title in READABLE_HEADER]


def readable_row(item: Listed) -> list:
    company = item.company
    countries = {operation.country_code for operation in company.operations}
    return [
        company.display_name,
        company.public_legal_name,
        str(company.type.label),
        company.website,
        company.membership_number,
        format_date(item.joined_at.date(), format="long"),
        item.standing_label,
        "; ".join(by_name(country_name(code) for code in countries)),
        public_url("directory.profile", slug=company.slug),
    ]
