"""What changed in an application since a version a reviewer read, from its audit entries."""

from dataclasses import dataclass

from tracker import audit
from tracker.audit import AuditEntry
from tracker.companies.models import Company, CompanyType, RevenueBand
from tracker.countries import country_name
from tracker.extensions import db


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


# How the fields that edits record (companies.services._snapshot) read on the conflict page.
CHANGE_LABELS = {
    "legal_name": "Legal name",
    "display_name": "Public name",
    "type": "Type",
    "hq_country": "Headquarters",
    "website": "Website",
    "revenue_band": "Annual revenue",
    "contact_name": "Contact person",
    "contact_email": "Contact e-mail",
    "contact_phone": "Contact phone",
    "operations": "Operations (rows removed → rows added)",
}
SHOWN_AS = {
    "type": lambda value: CompanyType(value).label,
    "revenue_band": lambda value: RevenueBand(value).label,
    "hq_country": country_name,
}


def changes_since(company: Company, seen: int) -> list[Change]:
    """What the edits recorded after version `seen` changed: each field's first and last value."""
    query = audit.company_history(company.id).where(
        AuditEntry.details["version"].as_integer() > seen
    )
    merged: dict[str, list] = {}
    for entry in reversed(db.session.scalars(query).all()):  # oldest first
        for name, (before, after) in entry.details.get("changes", {}).items():
            merged.setdefault(name, [before, after])[1] = after
    return [shown(name, *values) for name, values in merged.items() if values[0] != values[1]]


def shown(name: str, before, after) -> Change:
    label = CHANGE_LABELS.get(name, name)
    if isinstance(before, list):  # operations: only the rows removed and the rows added
        removed, added = sorted(set(before) - set(after)), sorted(set(after) - set(before))
        return Change(label, "; ".join(removed), "; ".join(added))
    show = SHOWN_AS.get(name, str)
    return Change(label, show(before) if before else "", show(after) if after else "")
