"""A company's signatures of The Code, and the notices asking members to sign a new version."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models_base import UTCDateTime, utcnow


class Signature(db.Model):
    """An authorised signatory's acceptance of one version of the six criteria."""

    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signatory_name: Mapped[str] = mapped_column(String(120))
    signatory_title: Mapped[str] = mapped_column(String(120))
    criteria_version: Mapped[str] = mapped_column(String(16))
    accepted_criteria: Mapped[list[int]] = mapped_column(JSON)
    authority_confirmed: Mapped[bool] = mapped_column(default=False)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    company: Mapped["Company"] = relationship(back_populates="signatures")  # noqa: F821
    user: Mapped["User"] = relationship()  # noqa: F821


class CriteriaNotice(db.Model):
    """The e-mail asking a member to sign a new version of the criteria, and its one reminder.

    One row per member and version: the unique key makes a second notice impossible however
    often (or however many copies of) `flask criteria notify` runs, and `reminded_at` is set
    by an update that only one run can win.
    """

    __tablename__ = "criteria_notices"
    __table_args__ = (
        UniqueConstraint("company_id", "criteria_version", name="uq_criteria_notices_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    criteria_version: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
