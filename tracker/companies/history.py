"""A company's history as sentences a person reads, newest first, from its audit entries."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from tracker import audit
from tracker.audit import AuditEntry
from tracker.companies.changes import Change, described
from tracker.companies.models import Company, Stage
from tracker.extensions import db
from tracker.reports.models import ReportState


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


def describe(entry: AuditEntry) -> HistoryItem:
    # A report's entries name its year, and their states are the report's, not the company's.
    states = ReportState if entry.action.startswith("report.") else Stage
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


def company_history(company: Company) -> list[HistoryItem]:
    query = audit.company_history(company.id).options(selectinload(AuditEntry.actor))
    return [describe(entry) for entry in db.session.scalars(query)]
