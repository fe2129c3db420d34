"""Implementation plans, and the versions submitted for review.

A plan is the working copy a company edits after its application is approved: per criterion
what it will do, who is responsible and by when. Submitting copies it into a `PlanSubmission`,
the version staff read and decide on, so every version and every comment stays on record.
"""

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models_base import LabelledEnum, UTCDateTime, enum_column_type, utcnow


class PlanState(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"

    @property
    def label(self) -> str:
        return {
            "draft": _l("Draft"),
            "submitted": _l("Submitted, under review"),
            "returned": _l("Returned for changes"),
            "approved": _l("Approved"),
        }[self.value]

    @property
    def tone(self) -> str:
        return {
            "draft": "neutral",
            "submitted": "info",
            "returned": "warning",
            "approved": "success",
        }[self.value]


class PlanCriterion(LabelledEnum):
    """The criteria a plan covers. The sixth (reporting annually) needs no plan: it is the
    yearly report itself."""

    POLICY = "policy"
    TRAINING = "training"
    CONTRACTS = "contracts"
    TRAVELLERS = "travellers"
    STAKEHOLDERS = "stakeholders"

    @property
    def number(self) -> int:
        return list(PlanCriterion).index(self) + 1

    @property
    def label(self) -> str:
        return {
            "policy": _l("Policy and procedures"),
            "training": _l("Staff training"),
            "contracts": _l("Contracts"),
            "travellers": _l("Information for travellers"),
            "stakeholders": _l("Stakeholders"),
        }[self.value]

    @property
    def hint(self) -> str:
        return {
            "policy": _l(
                "A policy and procedures against sexual exploitation of children, including "
                "the regulation of voluntourism."
            ),
            "training": _l(
                "Training for employees in children's rights, the prevention of sexual "
                "exploitation and how to report suspected cases."
            ),
            "contracts": _l(
                "A clause in contracts throughout the value chain stating a common repudiation "
                "and zero tolerance of sexual exploitation of children."
            ),
            "travellers": _l(
                "Information for travellers on children's rights, the prevention of sexual "
                "exploitation of children and how to report suspected cases."
            ),
            "stakeholders": _l(
                "Support, collaborate with and engage stakeholders in the prevention of sexual "
                "exploitation of children."
            ),
        }[self.value]


# The note on the approved plans the migration gave members who joined before plans were kept.
LEGACY_NOTE = "Approved before the tracker kept plans"

# The parts of a plan besides the criteria that a reviewer may comment on.
OTHER_SECTION = "other"


class Plan(db.Model):
    """A company's implementation plan for one joining (`year`: when it was started)."""

    __tablename__ = "plans"
    __table_args__ = (
        UniqueConstraint("company_id", "year", name="uq_plans_company_year"),
        CheckConstraint("staff_to_train >= 0", name="staff_to_train_not_negative"),
        Index("ix_plans_state_submitted", "state", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    year: Mapped[int] = mapped_column(Integer)
    # Changed only by `plans.lifecycle.transition`.
    state: Mapped[PlanState] = mapped_column(enum_column_type(PlanState, "plan_state"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Said on plans not made in the tracker (members who joined before it kept plans).
    note: Mapped[str | None] = mapped_column(String(500))
    # Optimistic locking: two colleagues saving one draft, or two reviewers deciding, conflict.
    version: Mapped[int] = mapped_column(Integer, default=1)

    # 1. Policy and procedures: what, who, by when
    policy_action: Mapped[str | None] = mapped_column(Text)
    policy_responsible: Mapped[str | None] = mapped_column(String(200))
    policy_due_on: Mapped[date | None] = mapped_column(Date)
    # 2. Training: what, who, by when
    training_action: Mapped[str | None] = mapped_column(Text)
    training_responsible: Mapped[str | None] = mapped_column(String(200))
    training_due_on: Mapped[date | None] = mapped_column(Date)
    # 3. Contracts: what, who, by when
    contracts_action: Mapped[str | None] = mapped_column(Text)
    contracts_responsible: Mapped[str | None] = mapped_column(String(200))
    contracts_due_on: Mapped[date | None] = mapped_column(Date)
    # 4. Travellers: what, who, by when
    travellers_action: Mapped[str | None] = mapped_column(Text)
    travellers_responsible: Mapped[str | None] = mapped_column(String(200))
    travellers_due_on: Mapped[date | None] = mapped_column(Date)
    # 5. Stakeholders: what, who, by when
    stakeholders_action: Mapped[str | None] = mapped_column(Text)
    stakeholders_responsible: Mapped[str | None] = mapped_column(String(200))
    stakeholders_due_on: Mapped[date | None] = mapped_column(Date)
    staff_to_train: Mapped[int | None] = mapped_column(Integer)
    organises_volunteering: Mapped[bool | None]

    company: Mapped["Company"] = relationship()  # noqa: F821
    updated_by: Mapped["User | None"] = relationship(foreign_keys=[updated_by_id])  # noqa: F821
    approved_by: Mapped["User | None"] = relationship(foreign_keys=[approved_by_id])  # noqa: F821
    submissions: Mapped[list["PlanSubmission"]] = relationship(
        back_populates="plan", order_by="PlanSubmission.number"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_editable(self) -> bool:
        return self.state in (PlanState.DRAFT, PlanState.RETURNED)

    @property
    def is_approved(self) -> bool:
        return self.state is PlanState.APPROVED

    @property
    def awaits_review(self) -> bool:
        return self.state is PlanState.SUBMITTED

    @property
    def is_returned(self) -> bool:
        return self.state is PlanState.RETURNED

    @property
    def kept_before_tracker(self) -> bool:
        return self.note == LEGACY_NOTE

    @property
    def latest_submission(self) -> "PlanSubmission | None":
        return self.submissions[-1] if self.submissions else None

    def part(self, criterion: PlanCriterion, name: str):
        return getattr(self, f"{criterion.value}_{name}")

    def __repr__(self) -> str:
        return f"<Plan {self.id} company={self.company_id} {self.year} {self.state}>"


class PlanOutcome(LabelledEnum):
    APPROVED = "approved"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return {"approved": _l("Approved"), "returned": _l("Returned for changes")}[self.value]


class PlanSubmission(db.Model):
    """One submitted version of a plan, as it was submitted, and the decision on it."""

    __tablename__ = "plan_submissions"
    __table_args__ = (UniqueConstraint("plan_id", "number", name="uq_plan_submissions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1 for the first submission, then 2, ...
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The plan as submitted (plans.services.snapshot); never changed afterwards.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    outcome: Mapped[PlanOutcome | None] = mapped_column(
        enum_column_type(PlanOutcome, "plan_outcome")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The reviewer's comment per criterion (PlanCriterion value or "other" -> text), and overall.
    comments: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    comment: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[Plan] = relationship(back_populates="submissions")
    submitted_by: Mapped["User"] = relationship(foreign_keys=[submitted_by_id])  # noqa: F821
    decided_by: Mapped["User | None"] = relationship(foreign_keys=[decided_by_id])  # noqa: F821
