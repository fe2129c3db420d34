"""What a company sends ECPAT about its details besides the record itself: the changes it asks
for once approved, and the application a user saved unfinished."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models_base import LabelledEnum, UTCDateTime, enum_column_type, utcnow


class ChangeRequestStatus(LabelledEnum):
    PENDING = "pending"
    RETURNED = "returned"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {
            "pending": _l("Change awaiting review"),
            "returned": _l("Change returned for corrections"),
            "approved": _l("Change approved"),
            "withdrawn": _l("Change withdrawn"),
        }[self.value]


class ChangeRequest(db.Model):
    """Changes an approved company asked for to reviewed details; they apply once approved.

    At most one is open (pending or returned) per company: editing again amends it.
    """

    __tablename__ = "change_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[ChangeRequestStatus] = mapped_column(
        enum_column_type(ChangeRequestStatus, "change_request_status"), index=True
    )
    # The proposed values, as the edit form gives them: field name -> value; "operations" ->
    # [[country, property, city], ...] when the countries of operation change.
    proposed: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str | None] = mapped_column(String(4000))

    company: Mapped["Company"] = relationship()  # noqa: F821
    requested_by: Mapped["User"] = relationship(foreign_keys=[requested_by_id])  # noqa: F821

    @property
    def is_open(self) -> bool:
        return self.status in (ChangeRequestStatus.PENDING, ChangeRequestStatus.RETURNED)

    @property
    def awaits_review(self) -> bool:
        return self.status is ChangeRequestStatus.PENDING

    @property
    def is_returned(self) -> bool:
        """ECPAT asked for corrections: the company corrects it and sends it again."""
        return self.status is ChangeRequestStatus.RETURNED


class ApplicationDraft(db.Model):
    """An application a user saved unfinished, as the form's values: one per user, removed
    when the user applies (or the account goes)."""

    __tablename__ = "application_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: two parallel saves cannot make two drafts (drafts.save_draft overwrites).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    data: Mapped[dict] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
