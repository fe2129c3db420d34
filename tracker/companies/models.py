"""Companies, their memberships of The Code, and the addresses their profiles had."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, true
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from tracker import derived
from tracker.companies import naming
from tracker.companies.criteria import current_version
from tracker.companies.enums import (
    REPORTING_STAGES,
    ApplicationStatus,
    CompanyType,
    RevenueBand,
    Stage,
    Standing,
    listed_stages,
)
from tracker.companies.operations import Operation
from tracker.companies.signatures import Signature
from tracker.data_versions import PUBLIC, STAFF, bump
from tracker.extensions import db
from tracker.models_base import UTCDateTime, enum_column_type, utcnow


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
    # `stage` as stored for queries to filter, count and sort on with an index; the keeper
    # below (STORED_STAGE) keeps it equal to `stage`, which code reads.
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

    operations: Mapped[list[Operation]] = relationship(
        back_populates="company",
        cascade="all, delete-orphan",
        order_by="(Operation.country_code, Operation.id)",
    )
    users: Mapped[list["User"]] = relationship(back_populates="company")  # noqa: F821
    representative: Mapped["Representative | None"] = relationship()  # noqa: F821
    signatures: Mapped[list[Signature]] = relationship(
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
    def is_reporting_member(self) -> bool:
        """A member or suspended member: it reports and pays every year, may withdraw and is
        asked to sign new criteria (the SQL twin: `queries.reporting_member`)."""
        return self.stage in REPORTING_STAGES

    @property
    def has_membership(self) -> bool:
        """Signed at some point: a membership number is on record, and the public record
        names it even after it left (the SQL twin: `queries.on_record`)."""
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
    def latest_signature(self) -> Signature | None:
        return self.signatures[-1] if self.signatures else None

    @property
    def must_sign_again(self) -> bool:
        """A member (or suspended member) whose signature names an earlier version of the
        criteria than the one in force: it is asked to sign the new version."""
        signature = self.latest_signature
        return (
            self.is_reporting_member
            and signature is not None
            and signature.criteria_version != current_version()
        )

    @property
    def may_edit(self) -> bool:
        """Withdrawn and expelled companies stay on record as they were when they left."""
        return self.stage not in (Stage.WITHDRAWN, Stage.EXPELLED)

    @property
    def may_withdraw(self) -> bool:
        return self.is_reporting_member

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


def store_stages(session: Session) -> None:
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


STORED_STAGE = derived.Keeper(
    "company stage, search name, slug and staff version",
    derived.BEFORE_FLUSH,
    derived.watching(Company=None, Membership=None),
    store_stages,
)


def bump_version(session: Session) -> None:
    """Move every data version, for writes that pass by the derived keepers (bulk inserts, a
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
