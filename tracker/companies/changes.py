"""How a recorded change to a company reads: "Public name: Lotus Hotel → Lotus Hotels"."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from tracker.companies.enums import CompanyType, RevenueBand
from tracker.countries import country_name


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


# The fields that edits record (companies.services._snapshot), as people call them.
CHANGE_LABELS = {
    "legal_name": _l("Legal name"),
    "display_name": _l("Public name"),
    "type": _l("Type"),
    "hq_country": _l("Headquarters"),
    "website": _l("Website"),
    "revenue_band": _l("Annual revenue"),
    "contact_name": _l("Contact person"),
    "contact_email": _l("Contact e-mail"),
    "contact_phone": _l("Contact phone"),
    "operations": _l("Operations (rows removed → rows added)"),
    "countries": _l("Countries of operation (removed → added)"),
}
SHOWN_AS = {
    "type": lambda value: CompanyType(value).label,
    "revenue_band": lambda value: RevenueBand(value).label,
    "hq_country": country_name,
    "countries": country_name,
}


def shown(name: str, before, after) -> Change:
    """One recorded field change in words; operations list only the rows removed and added."""
    label = CHANGE_LABELS.get(name, name.replace("_", " ").capitalize())
    show = SHOWN_AS.get(name, str)
    if isinstance(before, list):
        removed, added = sorted(set(before) - set(after)), sorted(set(after) - set(before))
        return Change(label, "; ".join(map(show, removed)), "; ".join(map(show, added)))
    return Change(label, show(before) if before else "", show(after) if after else "")


def described(changes: dict) -> list[Change]:
    """An audit entry's `changes` ({field: [before, after]}) in words, in the recorded order."""
    return [shown(name, before, after) for name, (before, after) in changes.items()]
