"""What changed in an application since a version a reviewer read, from its audit entries."""

from tracker import audit
from tracker.audit import AuditEntry
from tracker.companies.changes import Change, shown
from tracker.companies.models import Company
from tracker.extensions import db


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
