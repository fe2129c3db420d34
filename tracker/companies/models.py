"""Companies, where they operate, and their signatures of The Code."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    event,
    true,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from tracker.companies import naming
from tracker.companies.criteria import current_version
from tracker.companies.publication import publishes_suspended
from tracker.data_versions import PUBLIC, STAFF, bump
from tracker.extensions import db
from tracker.models_base import LabelledEnum, UTCDateTime, enum_column_type, utcnow


class CompanyType(LabelledEnum):
    HOTEL = "hotel"
    HOTEL_CHAIN = "hotel_chain"
    TOUR_OPERATOR = "tour_operator"
    AIRLINE = "airline"
    TRAVEL_AGENCY = "travel_agency"
    TRANSPORT = "transport"
    TOURISM_ASSOCIATION = "tourism_association"
    AIRPORT = "airport"
    CRUISE_LINE = "cruise_line"
    ONLINE_PLATFORM = "online_platform"
    VOLUNTEERING_ORGANISATION = "volunteering_organisation"
    CORPORATE_TRAVEL_BUYER = "corporate_travel_buyer"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "hotel": _l("Hotel"),
            "hotel_chain": _l("Hotel chain"),
            "tour_operator": _l("Tour operator"),
            "airline": _l("Airline"),
            "travel_agency": _l("Travel agency"),
            "transport": _l("Transport"),
            "tourism_association": _l("Tourism association"),
            "airport": _l("Airport"),
            "cruise_line": _l("Cruise line"),
            "online_platform": _l("Online travel or ICT platform"),
            "volunteering_organisation": _l("Volunteering organisation"),
            "corporate_travel_buyer": _l("Corporate travel buyer"),
            "other": _l("Other"),
        }[self.value]

    @property
    def has_properties(self) -> bool:
        """Hotels list each property (name and city) as an operation."""
        return self in (CompanyType.HOTEL, CompanyType.HOTEL_CHAIN)


class RevenueBand(LabelledEnum):
    """Annual revenue bands in euros; each has its annual fee in the fee table (billing)."""

    UP_TO_500K = "up_to_500k"
    UP_TO_2_5M = "500k_to_2_5m"
    UP_TO_50M = "2_5m_to_50m"
    ABOVE_50M = "above_50m"

    @property
    def label(self) -> str:
        return {
            "up_to_500k": _l("Up to €500,000"),
            "500k_to_2_5m": _l("€500,000 to €2.5 million"),
            "2_5m_to_50m": _l("€2.5 million to €50 million"),
            "above_50m": _l("Above €50 million"),
        }[self.value]


class ApplicationStatus(LabelledEnum):
    """The application's review workflow; what follows approval is the membership's standing."""

    SUBMITTED = "submitted"
    RETURNED = "returned"
    REJECTED = "rejected"
    APPROVED = "approved"


class Standing(LabelledEnum):
    """A membership's standing. Reports add due and overdue later, derived, never stored."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    EXPELLED = "expelled"


class Stage(LabelledEnum):
    """Where a company stands, application and membership together: what badges show."""

    SUBMITTED = "submitted"
    RETURNED = "returned"
    REJECTED = "rejected"
    APPROVED = "approved"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    EXPELLED = "expelled"

    @property
    def label(self) -> str:
        return {
            "submitted": _l("Application under review"),
            "returned": _l("Changes requested"),
            "rejected": _l("Application rejected"),
            "approved": _l("Approved, awaiting signature"),
            "active": _l("Member"),
            "suspended": _l("Membership suspended"),
            "withdrawn": _l("Withdrawn"),
            "expelled": _l("Expelled"),
        }[self.value]

    @property
    def tone(self) -> str:
        """The badge colour family: info, warning, danger, success or neutral."""
        return {
            "submitted": "info",
            "returned": "warning",
            "rejected": "danger",
            "approved": "info",
            "active": "success",
            "suspended": "danger",
            "withdrawn": "neutral",
            "expelled": "danger",
        }[self.value]


def listed_stages() -> tuple[Stage, ...]:
    """The stages the public list shows (tracker/companies/publication.py sets the rule)."""
    return (Stage.ACTIVE, Stage.SUSPENDED) if publishes_suspended() else (Stage.ACTIVE,)


class Company(db.Model):
    __tablename__ = "companies"
    __table_args__ = (
        CheckConstraint("length(hq_country) = 2", name="hq_country_code"),
        # The staff queue: each stage's companies in order of submission, all of them too.
        Index("ix_companies_stage_submitted", "stage", "submitted_at", "id"),
        Index("ix_companies_submitted", "submitted_at", "id"),
        # The public directory: members in name order, and newest first.
        Index("ix_companies_stage_search_name", "stage", "search_name", "id"),
        Index("ix_companies_stage_type_search_name", "stage", "type", "search_name", "id"),
        # Name search (ILIKE '%word%') on PostgreSQL: trigram indexes find a rare word at once.
        *(
            Index(
                f"ix_companies_{column}_trigrams",
                column,
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            ).ddl_if(dialect="postgresql")
            for column in ("display_name", "legal_name", "search_name")
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(120), index=True)
    type: Mapped[CompanyType] = mapped_column(enum_column_type(CompanyType, "company_type"))
    hq_country: Mapped[str] = mapped_column(String(2))
    website: Mapped[str | None] = mapped_column(String(255))
    # The public profile's address, from the display name (naming.py); a renamed company gets a
    # new one and keeps its old ones in `company_slugs`, which redirect.
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    # Both names lower-cased, without accents or punctuation: what the public search matches
    # ("Sao Paulo" finds "São Paulo") and sorts by, the same on SQLite and PostgreSQL.
    search_name: Mapped[str] = mapped_column(String(400))
    revenue_band: Mapped[RevenueBand] = mapped_column(enum_column_type(RevenueBand, "revenue_band"))
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    # The member's publication choices (its settings page): whether the public sees its
    # properties (names and cities; countries are always listed) and its legal name.
    publish_properties: Mapped[bool] = mapped_column(default=True, server_default=true())
    publish_legal_name: Mapped[bool] = mapped_column(default=True, server_default=true())
    # The application's state. Changed only by `lifecycle.transition`, like the membership's.
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column_type(ApplicationStatus, "company_status"), index=True
    )
    # `stage` as stored for queries to filter, count and sort on with an index; the before_flush
    # hook below keeps it equal to `stage`, which code reads.
    stored_stage: Mapped[Stage] = mapped_column("stage", enum_column_type(Stage, "company_stage"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking: two reviewers deciding at once cannot both win.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The Local Code Representative supporting the member, set by staff; None: ECPAT itself.
    representative_id: Mapped[int | None] = mapped_column(
        ForeignKey("representatives.id"), index=True
    )

    operations: Mapped[list["Operation"]] = relationship(
        back_populates="company",
        cascade="all, delete-orphan",
        order_by="(Operation.country_code, Operation.id)",
    )
    users: Mapped[list["User"]] = relationship(back_populates="company")  # noqa: F821
    representative: Mapped["Representative | None"] = relationship()  # noqa: F821
    signatures: Mapped[list["Signature"]] = relationship(
        back_populates="company", order_by="(Signature.signed_at, Signature.id)"
    )
    # Joined: nearly every page that shows a company shows its stage.
    membership: Mapped["Membership | None"] = relationship(
        back_populates="company", lazy="joined", uselist=False
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def country_codes(self) -> list[str]:
        """Every country the company is listed under: each operation's country, once."""
        return sorted({operation.country_code for operation in self.operations})

    @property
    def owner(self):
        return next((user for user in self.users if user.is_owner), None)

    @property
    def stage(self) -> Stage | None:
        """The membership's standing once signed, before that the application's state."""
        if self.membership is not None:
            return Stage(self.membership.standing.value)
        return Stage(self.status.value) if self.status is not None else None

    @property
    def membership_number(self) -> str | None:
        """Kept on record whatever the standing, so a former member stays identifiable."""
        return self.membership.number if self.membership is not None else None

    @property
    def joined_at(self) -> datetime | None:
        return self.membership.joined_at if self.membership is not None else None

    # Lifecycle predicates: views, services and templates ask these, never compare states.
    @property
    def is_member(self) -> bool:
        """A member in good standing (suspended, withdrawn and expelled companies are not)."""
        return self.stage is Stage.ACTIVE

    @property
    def is_suspended(self) -> bool:
        return self.stage is Stage.SUSPENDED

    @property
    def has_membership(self) -> bool:
        """Signed at some point: a membership number is on record."""
        return self.membership is not None

    @property
    def awaits_review(self) -> bool:
        return self.stage is Stage.SUBMITTED

    @property
    def is_sent_back(self) -> bool:
        """Returned or rejected: the next save of the application submits it again."""
        return self.stage in (Stage.RETURNED, Stage.REJECTED)

    @property
    def is_rejected(self) -> bool:
        return self.stage is Stage.REJECTED

    @property
    def may_sign(self) -> bool:
        return self.stage is Stage.APPROVED

    @property
    def latest_signature(self) -> "Signature | None":
        return self.signatures[-1] if self.signatures else None

    @property
    def must_sign_again(self) -> bool:
        """A member (or suspended member) whose signature names an earlier version of the
        criteria than the one in force: it is asked to sign the new version."""
        signature = self.latest_signature
        return (
            self.stage in (Stage.ACTIVE, Stage.SUSPENDED)
            and signature is not None
            and signature.criteria_version != current_version()
        )

    @property
    def may_edit(self) -> bool:
        """Withdrawn and expelled companies stay on record as they were when they left."""
        return self.stage not in (Stage.WITHDRAWN, Stage.EXPELLED)

    @property
    def may_withdraw(self) -> bool:
        return self.stage in (Stage.ACTIVE, Stage.SUSPENDED)

    @property
    def is_listed_publicly(self) -> bool:
        """Members, and suspended members where the deployment publishes them (the SQL twin:
        `queries.listed_publicly`)."""
        return self.stage in listed_stages()

    @property
    def public_legal_name(self) -> str | None:
        """The legal name, unless the member chose not to list it (None before the first
        flush is the default: listed)."""
        return None if self.publish_legal_name is False else self.legal_name

    def __repr__(self) -> str:
        return f"<Company {self.id} {self.display_name!r} {self.stage}>"


class Membership(db.Model):
    """A company's membership of The Code, from its signature on; one per company."""

    __tablename__ = "memberships"
    # The directory's "newest members first": members by joining date, without the companies.
    __table_args__ = (
        Index("ix_memberships_standing_joined", "standing", "joined_at", "company_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), unique=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    standing: Mapped[Standing] = mapped_column(
        enum_column_type(Standing, "membership_standing"), index=True
    )
    standing_since: Mapped[datetime] = mapped_column(UTCDateTime)
    # The first reporting year without a report handed in, kept by tracker/reports/position.py
    # in the flush of every change that moves it: what reporting standings are derived from.
    first_unreported_year: Mapped[int] = mapped_column(Integer, index=True)

    company: Mapped[Company] = relationship(back_populates="membership")


# The data versions live in a shared module (page_cache and the supplier check read them); the
# names stay importable from here.
COMPANIES_VERSION = STAFF


@event.listens_for(Session, "before_flush")
def store_stages(session: Session, flush_context, instances) -> None:
    """Keep `Company.stored_stage` equal to `Company.stage`, and the search name and slug in
    step with the names, in every flush that may change them; move the staff data version when
    a company changes (the public one moves only for what the public sees: data_versions)."""
    touched = [
        obj for obj in (*session.new, *session.dirty) if isinstance(obj, Company | Membership)
    ]
    if not touched:
        return
    # First: the version's row lock waits for any other transaction changing companies to
    # commit, so the slugs chosen below know of those it gave (two companies named alike at the
    # same moment cannot both take "lotus-tours").
    bump(session, STAFF)
    for obj in touched:
        company = obj if isinstance(obj, Company) else obj.company
        if company is None:
            continue
        stage = company.stage
        if stage is not None and company.stored_stage is not stage:
            company.stored_stage = stage
        naming.name_company(session, company)


def bump_version(session: Session) -> None:
    """Move every data version, for writes that pass by the flush hooks (bulk inserts, a
    recomputation): what they changed is not known, so public pages are made again too."""
    bump(session, STAFF, PUBLIC)


class CompanySlug(db.Model):
    """An address a company's public profile had before it was renamed: it redirects."""

    __tablename__ = "company_slugs"

    slug: Mapped[str] = mapped_column(String(160), primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    retired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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

    company: Mapped[Company] = relationship()
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


class Operation(db.Model):
    """A country where a company has a property or sells trips; hotels name the property."""

    __tablename__ = "operations"
    __table_args__ = (
        CheckConstraint("length(country_code) = 2", name="country_code"),
        Index("ix_operations_country_company", "country_code", "company_id"),
        Index("ix_operations_country_city", "country_code", "city"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    country_code: Mapped[str] = mapped_column(String(2))
    property_name: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(120))
    # Whether staff saw the row's text: rows a member adds once approved (properties change at
    # once, unlike countries) wait for staff before the public sees their name and city.
    reviewed: Mapped[bool] = mapped_column(default=True, server_default=true())

    company: Mapped[Company] = relationship(back_populates="operations")

    @property
    def is_public(self) -> bool:
        """Whether the public sees the row's text (SQL twin: `queries.public_operation`):
        staff have seen it, and the member lists its properties."""
        return self.reviewed and self.company.publish_properties is not False

    @property
    def public_property_name(self) -> str | None:
        return self.property_name if self.is_public else None

    @property
    def public_city(self) -> str | None:
        return self.city if self.is_public else None


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

    company: Mapped[Company] = relationship(back_populates="signatures")
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


class ApplicationDraft(db.Model):
    """An application a user saved unfinished, as the form's values: one per user, removed
    when the user applies (or the account goes)."""

    __tablename__ = "application_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: two parallel saves cannot make two drafts (drafts.save_draft overwrites).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    data: Mapped[dict] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
