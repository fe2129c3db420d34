"""A company's history as sentences a person reads, newest first, from its audit entries."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from tracker import audit
from tracker.audit import AuditEntry
from tracker.companies.changes import Change, described
from tracker.companies.enums import Stage
from tracker.companies.models import Company
from tracker.extensions import db


@dataclass(frozen=True)
class HistoryItem:
    at: datetime
    title: str
    actor: str | None = None
    status_before: str | None = None
    status_after: str | None = None
    comment: str | None = None
    changes: list[Change] = field(default_factory=list)


def status_label(value: str | None, states: type = Stage) -> str | None:
    if value is None:
        return None
    try:
        return states(value).label
    except ValueError:  # a status that no longer exists still reads as something
        return value.replace("_", " ").capitalize()


def describe(entry: AuditEntry, other_states: dict[str, type]) -> HistoryItem:
    # Another feature's entries (a report's) move its own states, not the company's; an entry
    # about one year (a report's) names it.
    states = next(
        (enum for prefix, enum in other_states.items() if entry.action.startswith(prefix)), Stage
    )
    title = entry.title
    if "year" in entry.details:
        title = _("%(title)s (%(year)s)", title=title, year=entry.details["year"])
    return HistoryItem(
        at=entry.created_at,
        title=title,
        actor=entry.actor.name if entry.actor else None,
        status_before=status_label(entry.from_status, states),
        status_after=status_label(entry.to_status, states),
        comment=entry.comment,
        changes=described(entry.details.get("changes", {})),
    )


def company_history(
    company: Company, other_states: dict[str, type] | None = None
) -> list[HistoryItem]:
    """`other_states` maps an action prefix ("report.") to the enum whose labels word the
    statuses of those entries; the features that own them pass it (reports/history.py)."""
    query = audit.company_history(company.id).options(selectinload(AuditEntry.actor))
    return [describe(entry, other_states or {}) for entry in db.session.scalars(query)]
