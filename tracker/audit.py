"""The audit trail: who did what, when, and the status before and after."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models_base import UTCDateTime, utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped["User | None"] = relationship()  # noqa: F821
    company: Mapped["Company | None"] = relationship()  # noqa: F821

    @property
    def comment(self) -> str | None:
        return self.details.get("comment")


def record(
    action: str, *, actor=None, company=None, from_status=None, to_status=None, **details: Any
) -> AuditEntry:
    """Add an audit entry to the current transaction (the caller commits with its change)."""
    entry = AuditEntry(
        action=action,
        actor=actor,
        company=company,
        from_status=str(from_status) if from_status is not None else None,
        to_status=str(to_status) if to_status is not None else None,
        details=details,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def company_history(company_id: int):
    """A select of one company's audit entries, newest first."""
    return (
        select(AuditEntry)
        .where(AuditEntry.company_id == company_id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
