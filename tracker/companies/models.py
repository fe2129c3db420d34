"""Companies, where they operate, and their signatures of The Code."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
    OTHER = "other"

    @property
    def has_properties(self) -> bool:
        """Hotels list each property (name and city) as an operation."""
        return self in (CompanyType.HOTEL, CompanyType.HOTEL_CHAIN)


class RevenueBand(LabelledEnum):
    """Annual revenue bands in euros; each sets the annual fee."""

    UP_TO_500K = "up_to_500k"
    UP_TO_2_5M = "500k_to_2_5m"
    UP_TO_50M = "2_5m_to_50m"
    ABOVE_50M = "above_50m"

    @property
    def label(self) -> str:
        return {
            "up_to_500k": "Up to €500,000",
            "500k_to_2_5m": "€500,000 to €2.5 million",
            "2_5m_to_50m": "€2.5 million to €50 million",
            "above_50m": "Above €50 million",
        }[self.value]

    @property
    def annual_fee(self) -> int:
        return {"up_to_500k": 50, "500k_to_2_5m": 300, "2_5m_to_50m": 800, "above_50m": 2000}[
            self.value
        ]


class CompanyStatus(LabelledEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    REJECTED = "rejected"
    APPROVED = "approved"
    MEMBER = "member"

    @property
    def label(self) -> str:
        return {
            "submitted": "Application under review",
            "returned": "Changes requested",
            "rejected": "Application rejected",
            "approved": "Approved, awaiting signature",
            "member": "Member",
        }[self.value]


class Company(db.Model):
    __tablename__ = "companies"
    __table_args__ = (
        CheckConstraint(
            "status != 'member' OR (membership_number IS NOT NULL AND joined_at IS NOT NULL)",
            name="member_has_number",
        ),
        CheckConstraint("length(hq_country) = 2", name="hq_country_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(120), index=True)
    type: Mapped[CompanyType] = mapped_column(enum_column_type(CompanyType, "company_type"))
    hq_country: Mapped[str] = mapped_column(String(2))
    website: Mapped[str | None] = mapped_column(String(255))
    revenue_band: Mapped[RevenueBand] = mapped_column(enum_column_type(RevenueBand, "revenue_band"))
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[CompanyStatus] = mapped_column(
        enum_column_type(CompanyStatus, "company_status"),
        default=CompanyStatus.SUBMITTED,
        index=True,
    )
    membership_number: Mapped[str | None] = mapped_column(String(16), unique=True)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking: two reviewers deciding at once cannot both win.
    version: Mapped[int] = mapped_column(Integer, default=1)

    operations: Mapped[list["Operation"]] = relationship(
        back_populates="company",
        cascade="all, delete-orphan",
        order_by="(Operation.country_code, Operation.id)",
    )
    users: Mapped[list["User"]] = relationship(back_populates="company")  # noqa: F821
    signatures: Mapped[list["Signature"]] = relationship(
        back_populates="company", order_by="Signature.signed_at"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def country_codes(self) -> list[str]:
        """Every country the company is listed under: each operation's country, once."""
        return sorted({operation.country_code for operation in self.operations})

    @property
    def owner(self):
        return next((user for user in self.users if user.is_owner), None)

    # Lifecycle predicates: views, services and templates ask these, never compare statuses.
    @property
    def is_member(self) -> bool:
        return self.status is CompanyStatus.MEMBER

    @property
    def awaits_review(self) -> bool:
        return self.status is CompanyStatus.SUBMITTED

    @property
    def is_sent_back(self) -> bool:
        """Returned or rejected: the next save of the application submits it again."""
        return self.status in (CompanyStatus.RETURNED, CompanyStatus.REJECTED)

    @property
    def is_rejected(self) -> bool:
        return self.status is CompanyStatus.REJECTED

    @property
    def may_sign(self) -> bool:
        return self.status is CompanyStatus.APPROVED

    @property
    def is_listed_publicly(self) -> bool:
        return self.status is CompanyStatus.MEMBER

    def __repr__(self) -> str:
        return f"<Company {self.id} {self.display_name!r} {self.status.value}>"


class Operation(db.Model):
    """A country where a company has a property or sells trips; hotels name the property."""

    __tablename__ = "operations"
    __table_args__ = (
        CheckConstraint("length(country_code) = 2", name="country_code"),
        Index("ix_operations_country_company", "country_code", "company_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    country_code: Mapped[str] = mapped_column(String(2))
    property_name: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(120))

    company: Mapped[Company] = relationship(back_populates="operations")


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
