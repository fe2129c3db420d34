"""Annual reports on the six criteria, the versions submitted for review, and extensions.

A report is the working copy a company edits (one per member and reporting year). Submitting
copies it into a `ReportSubmission`: that row is the version reviewers read and decide on, so
every version and the whole thread of decisions and comments stay on record.
"""

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ColumnElement,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models_base import LabelledEnum, UTCDateTime, enum_column_type, utcnow
from tracker.reports.training import StaffGroup, TrainingGroup


class ReportState(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"

    @property
    def label(self) -> str:
        return {
            "draft": _l("Draft"),
            "submitted": _l("Submitted, under review"),
            "returned": _l("Returned for changes"),
            "accepted": _l("Accepted"),
        }[self.value]

    @property
    def tone(self) -> str:
        return {
            "draft": "neutral",
            "submitted": "info",
            "returned": "warning",
            "accepted": "success",
        }[self.value]


class Section(LabelledEnum):
    """The report's sections: one per criterion 1-5 of The Code, then the suspected cases
    reported, a section of its own that is never published. Criterion 6, reporting annually,
    is the report itself."""

    POLICY = "policy"
    TRAINING = "training"
    CONTRACTS = "contracts"
    TRAVELLERS = "travellers"
    STAKEHOLDERS = "stakeholders"
    CASES = "cases"

    @property
    def criterion(self) -> int | None:
        """The criterion of The Code the section reports on; None for suspected cases."""
        return None if self is Section.CASES else list(Section).index(self) + 1

    @property
    def may_be_not_applicable(self) -> bool:
        """Whether a member may answer "not applicable, because ..." (criteria 1 to 5)."""
        return self.criterion is not None

    @property
    def is_private(self) -> bool:
        """Never published: only ECPAT and the member's representative read it."""
        return self is Section.CASES

    @property
    def has_training_rows(self) -> bool:
        """Answered as rows per country or property rather than single answers."""
        return self is Section.TRAINING

    @property
    def label(self) -> str:
        return {
            "policy": _l("Policy and procedures"),
            "training": _l("Staff training"),
            "contracts": _l("Contracts"),
            "travellers": _l("Information for travellers"),
            "stakeholders": _l("Stakeholders"),
            "cases": _l("Suspected cases reported"),
        }[self.value]

    @property
    def heading(self) -> str:
        """As the report's pages title it: "1. Policy and procedures"; cases unnumbered."""
        if self.criterion is None:
            return str(self.label)
        return f"{self.criterion}. {self.label}"


NOT_APPLICABLE_SECTIONS = tuple(section for section in Section if section.may_be_not_applicable)


def not_applicable_field(section: Section) -> str:
    """The column (and answer) holding why a section does not apply: set means "N/A"."""
    return f"{section.value}_na_reason"


class TrainingFormat(LabelledEnum):
    E_LEARNING = "e_learning"
    CLASSROOM = "classroom"
    BOTH = "both"

    @property
    def label(self) -> str:
        return {
            "e_learning": _l("E-learning"),
            "classroom": _l("Classroom"),
            "both": _l("Both"),
        }[self.value]


class TravellerChannel(LabelledEnum):
    """How travellers are told about The Code; `other` is explained in the text beside it."""

    WEBSITE = "website"
    BOOKING = "booking"
    ON_SITE = "on_site"
    PRINTED = "printed"
    STAFF = "staff"
    SOCIAL_MEDIA = "social_media"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "website": _l("Website"),
            "booking": _l("Booking confirmations and tickets"),
            "on_site": _l("Posters or screens on site"),
            "printed": _l("Brochures and in-room material"),
            "staff": _l("Told by staff"),
            "social_media": _l("Social media"),
            "other": _l("Other"),
        }[self.value]


class Report(db.Model):
    """A company's report for one reporting year: what it is writing, or last submitted."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("company_id", "year", name="uq_reports_company_year"),
        CheckConstraint("contracts_with_clause <= contracts_total", name="contracts_clause"),
        Index("ix_reports_state_year", "state", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Looked up by company through the unique (company_id, year) index.
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    year: Mapped[int] = mapped_column(Integer, index=True)
    # Changed only by `reports.lifecycle.transition`.
    state: Mapped[ReportState] = mapped_column(enum_column_type(ReportState, "report_state"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Optimistic locking: two colleagues saving one draft, or two reviewers deciding, conflict.
    version: Mapped[int] = mapped_column(Integer, default=1)

    # 1. Policy
    policy_adopted: Mapped[bool | None]
    policy_adopted_on: Mapped[date | None] = mapped_column(Date)
    # The stored file's name (reports.documents); indexed to find the files no row refers to.
    policy_document: Mapped[str | None] = mapped_column(String(64), index=True)
    policy_document_name: Mapped[str | None] = mapped_column(String(200))  # the uploader's
    policy_document_size: Mapped[int | None] = mapped_column(Integer)
    # The procedures that go with the policy: who is the focal person, how staff report.
    policy_focal_person: Mapped[str | None] = mapped_column(String(200))
    policy_focal_person_role: Mapped[str | None] = mapped_column(String(200))
    policy_reporting_procedure: Mapped[str | None] = mapped_column(Text)
    policy_board_approved_on: Mapped[date | None] = mapped_column(Date)
    # 3. Contracts
    contracts_total: Mapped[int | None] = mapped_column(Integer)
    contracts_with_clause: Mapped[int | None] = mapped_column(Integer)
    # 4. Travellers
    traveller_channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    travellers_text: Mapped[str | None] = mapped_column(Text)
    # 5. Stakeholders
    stakeholder_organisations: Mapped[str | None] = mapped_column(Text)
    stakeholder_activities: Mapped[str | None] = mapped_column(Text)
    # "Not applicable, because ...": the reason per criterion 1-5; None means it applies.
    policy_na_reason: Mapped[str | None] = mapped_column(Text)
    training_na_reason: Mapped[str | None] = mapped_column(Text)
    contracts_na_reason: Mapped[str | None] = mapped_column(Text)
    travellers_na_reason: Mapped[str | None] = mapped_column(Text)
    stakeholders_na_reason: Mapped[str | None] = mapped_column(Text)
    # Suspected cases reported to authorities or hotlines: never published.
    cases_reported: Mapped[int | None] = mapped_column(Integer)
    cases_text: Mapped[str | None] = mapped_column(Text)

    company: Mapped["Company"] = relationship()  # noqa: F821
    updated_by: Mapped["User | None"] = relationship()  # noqa: F821
    training: Mapped[list["TrainingRow"]] = relationship(
        back_populates="report",
        cascade="all, delete-orphan",
        order_by="(TrainingRow.country_code, TrainingRow.property_name, TrainingRow.id)",
    )
    submissions: Mapped[list["ReportSubmission"]] = relationship(
        back_populates="report", order_by="ReportSubmission.number"
    )
    evidence: Mapped[list["ReportEvidence"]] = relationship(
        back_populates="report",
        cascade="all, delete-orphan",
        order_by="(ReportEvidence.section, ReportEvidence.id)",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_editable(self) -> bool:
        return self.state in (ReportState.DRAFT, ReportState.RETURNED)

    @property
    def is_returned(self) -> bool:
        """ECPAT returned it for changes: the company acts on the comments, then resubmits."""
        return self.state is ReportState.RETURNED

    def is_not_applicable(self, section: Section) -> bool:
        return section.may_be_not_applicable and bool(getattr(self, not_applicable_field(section)))

    @property
    def latest_submission(self) -> "ReportSubmission | None":
        return self.submissions[-1] if self.submissions else None

    def __repr__(self) -> str:
        return f"<Report {self.id} company={self.company_id} {self.year} {self.state}>"


class TrainingRow(db.Model):
    """Staff training in one country of operation, or at one property of a hotel chain."""

    __tablename__ = "report_training"
    __table_args__ = (
        CheckConstraint("length(country_code) = 2", name="country_code"),
        CheckConstraint("employees >= 0 AND trained >= 0", name="not_negative"),
        CheckConstraint("trained <= employees", name="trained_at_most_employees"),
        CheckConstraint(
            "current IS NULL OR current <= employees", name="current_at_most_employees"
        ),
        Index("ix_report_training_country", "country_code", "report_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    country_code: Mapped[str] = mapped_column(String(2))
    property_name: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(120))
    employees: Mapped[int | None] = mapped_column(Integer)  # at the end of the year
    trained: Mapped[int | None] = mapped_column(Integer)  # completed Code training in the year
    format: Mapped[TrainingFormat | None] = mapped_column(
        enum_column_type(TrainingFormat, "training_format")
    )
    hours: Mapped[float | None] = mapped_column(Float)  # of training per person
    # Employees whose Code training is within the validity period (tracker/reports/training.py);
    # rows from before staff groups carry their trained-this-year figure here.
    current: Mapped[int | None] = mapped_column(Integer)

    report: Mapped[Report] = relationship(back_populates="training")
    groups: Mapped[list[TrainingGroup]] = relationship(
        back_populates="row", cascade="all, delete-orphan", order_by=TrainingGroup.id
    )

    @property
    def currently_trained(self) -> int | None:
        """The currently trained; a row that gives only who was trained this year counts
        them, as they are current by definition (`currently_trained_sql` is the SQL twin)."""
        return self.trained if self.current is None else self.current

    @classmethod
    def currently_trained_sql(cls) -> ColumnElement[int]:
        return func.coalesce(cls.current, cls.trained)

    @property
    def coverage(self) -> float | None:
        """Currently trained ÷ employees, the coverage every page publishes: computed, never
        typed. Who was trained this year is a figure of its own beside it."""
        current = self.currently_trained
        if not self.employees or current is None:
            return None
        return current / self.employees

    def group(self, staff_group: StaffGroup) -> TrainingGroup:
        """This row's figures for `staff_group`, added (blank) when it has none yet."""
        for group in self.groups:
            if group.staff_group is staff_group:
                return group
        group = TrainingGroup(staff_group=staff_group)
        self.groups.append(group)
        return group

    def add_up(self) -> None:
        """Set the row's totals and format from its staff groups: the one place they are
        summed. A row whose groups are all blank keeps blank totals."""
        given = [group for group in self.groups if not group.is_blank]
        if not given:
            self.employees = self.trained = self.current = self.format = None
            return

        def total(name: str) -> int | None:
            values = [getattr(group, name) for group in given]
            return None if all(v is None for v in values) else sum(v or 0 for v in values)

        self.employees, self.current = total("employees"), total("current")
        trained = [group.trained for group in given]
        self.trained = None if all(t is None for t in trained) else sum(t or 0 for t in trained)
        in_person = sum(group.in_person for group in given)
        e_learning = sum(group.e_learning for group in given)
        self.format = (
            TrainingFormat.BOTH
            if in_person and e_learning
            else TrainingFormat.CLASSROOM
            if in_person
            else TrainingFormat.E_LEARNING
            if e_learning
            else None
        )


class ReportEvidence(db.Model):
    """A file backing a criterion's answers (PDF, PNG or JPEG, checked on upload).

    Kept once a version was submitted with it (reviewers of that version still read it); only
    files added since the last submission can be removed from the draft."""

    __tablename__ = "report_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    section: Mapped[Section] = mapped_column(enum_column_type(Section, "report_section"))
    # The stored file's name (reports.documents), and the uploader's.
    stored: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(40))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    report: Mapped[Report] = relationship(back_populates="evidence")

    @property
    def extension(self) -> str:
        return {"image/png": "png", "image/jpeg": "jpg"}.get(self.content_type, "pdf")


class ReviewOutcome(LabelledEnum):
    ACCEPTED = "accepted"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return {"accepted": _l("Accepted"), "returned": _l("Returned for changes")}[self.value]


class ReportSubmission(db.Model):
    """One submitted version of a report, as it was submitted, and the decision on it."""

    __tablename__ = "report_submissions"
    __table_args__ = (UniqueConstraint("report_id", "number", name="uq_report_submissions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1 for the first submission, then 2, ...
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The report's answers as submitted (reports.content.snapshot); never changed afterwards.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The policy document submitted with this version (a stored name, as Report's): the draft
    # may get another file later, a reviewer reading this version still gets this one.
    policy_document: Mapped[str | None] = mapped_column(String(64), index=True)
    outcome: Mapped[ReviewOutcome | None] = mapped_column(
        enum_column_type(ReviewOutcome, "review_outcome")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The reviewer's comment per section (Section value -> text), and on the whole report.
    comments: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    comment: Mapped[str | None] = mapped_column(Text)

    report: Mapped[Report] = relationship(back_populates="submissions")
    submitted_by: Mapped["User"] = relationship(foreign_keys=[submitted_by_id])  # noqa: F821
    decided_by: Mapped["User | None"] = relationship(foreign_keys=[decided_by_id])  # noqa: F821


class ReportExtension(db.Model):
    """A later due date staff granted a member for one reporting year, with the reason."""

    __tablename__ = "report_extensions"
    __table_args__ = (UniqueConstraint("company_id", "year", name="uq_report_extensions_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(2000))
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    granted_by: Mapped["User"] = relationship()  # noqa: F821


class ReminderKind(LabelledEnum):
    """The reminders `send-reminders` e-mails about one year's report, each at most once."""

    DUE_IN_90_DAYS = "due_90"
    DUE_IN_30_DAYS = "due_30"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"


class ReportReminder(db.Model):
    """A reminder queued for a member and year: the unique key makes a second one impossible,
    however often (or however many copies of) the command runs."""

    __tablename__ = "report_reminders"
    __table_args__ = (
        UniqueConstraint("company_id", "year", "kind", name="uq_report_reminders_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[ReminderKind] = mapped_column(enum_column_type(ReminderKind, "reminder_kind"))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TopMemberAward(db.Model):
    """A member named Top Member of reporting year `year` by staff: the title belongs to that
    year and stays published ("Top Member 2026"). Withdrawing it keeps the row, with who, when
    and why, so the year's list keeps its history (naming it again reinstates the row)."""

    __tablename__ = "top_member_awards"
    __table_args__ = (
        UniqueConstraint("company_id", "year", name="uq_top_member_awards_year"),
        CheckConstraint(
            "withdrawn_at IS NULL OR withdrawal_reason IS NOT NULL",
            name="withdrawn_with_reason",
        ),
        # The latest named year, and a year's list.
        Index("ix_top_member_awards_year", "year", "withdrawn_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    named_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    named_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    citation: Mapped[str | None] = mapped_column(String(2000))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawal_reason: Mapped[str | None] = mapped_column(String(2000))

    company: Mapped["Company"] = relationship()  # noqa: F821
    named_by: Mapped["User | None"] = relationship(foreign_keys=[named_by_id])  # noqa: F821
    withdrawn_by: Mapped["User | None"] = relationship(foreign_keys=[withdrawn_by_id])  # noqa: F821

    @property
    def is_standing(self) -> bool:
        """Named and not withdrawn."""
        return self.withdrawn_at is None
