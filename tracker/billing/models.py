"""The fee table, discounts and invoices with their payment or waiver."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.companies.enums import RevenueBand
from tracker.companies.models import Company
from tracker.extensions import db
from tracker.models_base import LabelledEnum, UTCDateTime, enum_column_type, utcnow

# The fee scale of The Code (euros per year), as the migration seeds the table; admins change
# the table, not this, which only seeds it (and the tests' empty database).
DEFAULT_FEES = {
    RevenueBand.UP_TO_500K: 50,
    RevenueBand.UP_TO_2_5M: 300,
    RevenueBand.UP_TO_50M: 800,
    RevenueBand.ABOVE_50M: 2000,
}
DEFAULT_CURRENCY = "EUR"


class DiscountKind(LabelledEnum):
    PERCENTAGE = "percentage"
    AMOUNT = "amount"

    @property
    def label(self) -> str:
        return {"percentage": _l("Percentage"), "amount": _l("Fixed amount")}[self.value]


class InvoiceKind(LabelledEnum):
    JOINING = "joining"
    RENEWAL = "renewal"

    @property
    def label(self) -> str:
        return {"joining": _l("Joining fee"), "renewal": _l("Renewal fee")}[self.value]


class InvoiceState(LabelledEnum):
    ISSUED = "issued"
    PAID = "paid"
    WAIVED = "waived"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {
            "issued": _l("Awaiting payment"),
            "paid": _l("Paid"),
            "waived": _l("Waived"),
            "cancelled": _l("Cancelled"),
        }[self.value]


class PaymentMethod(LabelledEnum):
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "bank_transfer": _l("Bank transfer"),
            "card": _l("Card"),
            "other": _l("Other"),
        }[self.value]


class FeeBand(db.Model):
    """The annual fee of one revenue band."""

    __tablename__ = "fee_bands"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("length(currency) = 3", name="currency_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    band: Mapped[RevenueBand] = mapped_column(
        enum_column_type(RevenueBand, "fee_band_revenue_band"), unique=True
    )
    amount: Mapped[int] = mapped_column(Integer)  # whole units of the currency
    currency: Mapped[str] = mapped_column(String(3), default=DEFAULT_CURRENCY)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Discount(db.Model):
    """A reduction staff may apply to an invoice, such as a partner association's."""

    __tablename__ = "discounts"
    __table_args__ = (
        CheckConstraint("value > 0", name="value_positive"),
        CheckConstraint("kind != 'percentage' OR value <= 100", name="percentage_at_most_100"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[DiscountKind] = mapped_column(enum_column_type(DiscountKind, "discount_kind"))
    value: Mapped[int] = mapped_column(Integer)  # a percentage, or whole units of the fee
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_percentage(self) -> bool:
        return self.kind is DiscountKind.PERCENTAGE

    def reduction(self, amount: int) -> int:
        """How much this takes off `amount`, in whole units, never more than the amount."""
        if self.is_percentage:
            return amount * self.value // 100
        return min(self.value, amount)


class InvoiceCounter(db.Model):
    """The last invoice number given in a year: numbers run 1, 2, 3... per calendar year."""

    __tablename__ = "invoice_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


LIVE = "state != 'cancelled'"  # the invoices the unique index below counts


class Invoice(db.Model):
    """A fee invoice for one membership year (a calendar year), and how it was settled."""

    __tablename__ = "invoices"
    __table_args__ = (
        # One live invoice per company, year and kind: a cancelled one makes way for its
        # replacement (a partial unique index, on SQLite and PostgreSQL alike).
        Index(
            "uq_invoices_company_year_kind_live",
            "company_id",
            "year",
            "kind",
            unique=True,
            sqlite_where=text(LIVE),
            postgresql_where=text(LIVE),
        ),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("state != 'paid' OR paid_on IS NOT NULL", name="paid_has_date"),
        CheckConstraint("state != 'waived' OR waiver_reason IS NOT NULL", name="waived_has_reason"),
        Index("ix_invoices_state_due", "state", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[InvoiceKind] = mapped_column(enum_column_type(InvoiceKind, "invoice_kind"))
    band: Mapped[RevenueBand] = mapped_column(enum_column_type(RevenueBand, "invoice_revenue_band"))
    fee: Mapped[int] = mapped_column(Integer)  # the band's fee before any discount
    discount_amount: Mapped[int] = mapped_column(Integer, default=0)
    discount_name: Mapped[str | None] = mapped_column(String(120))
    discount_reason: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[int] = mapped_column(Integer)  # what is due: fee less discount
    currency: Mapped[str] = mapped_column(String(3))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_on: Mapped[date] = mapped_column(Date)
    state: Mapped[InvoiceState] = mapped_column(
        enum_column_type(InvoiceState, "invoice_state"), default=InvoiceState.ISSUED
    )
    paid_on: Mapped[date | None] = mapped_column(Date)
    payment_method: Mapped[PaymentMethod | None] = mapped_column(
        enum_column_type(PaymentMethod, "payment_method")
    )
    payment_reference: Mapped[str | None] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waiver_reason: Mapped[str | None] = mapped_column(Text)
    waived_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    waived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Optimistic locking: two staff recording at once cannot both win.
    version: Mapped[int] = mapped_column(Integer, default=1)

    company: Mapped[Company] = relationship()
    recorded_by: Mapped["User | None"] = relationship(foreign_keys=[recorded_by_id])  # noqa: F821
    waived_by: Mapped["User | None"] = relationship(foreign_keys=[waived_by_id])  # noqa: F821
    cancelled_by: Mapped["User | None"] = relationship(foreign_keys=[cancelled_by_id])  # noqa: F821

    __mapper_args__ = {"version_id_col": version}

    # Lifecycle predicates: services, views and templates ask these, never compare states.
    @property
    def is_open(self) -> bool:
        """Issued and neither paid, waived nor cancelled: payment is awaited."""
        return self.state is InvoiceState.ISSUED

    @property
    def is_settled(self) -> bool:
        return self.state in (InvoiceState.PAID, InvoiceState.WAIVED)

    @property
    def is_paid(self) -> bool:
        return self.state is InvoiceState.PAID

    @property
    def is_waived(self) -> bool:
        return self.state is InvoiceState.WAIVED

    @property
    def is_cancelled(self) -> bool:
        return self.state is InvoiceState.CANCELLED

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_on < today

    @staticmethod
    def overdue_clause(today: date):
        """The SQL twin of `is_overdue`."""
        return and_(Invoice.state == InvoiceState.ISSUED, Invoice.due_on < today)

    @staticmethod
    def settled_clause():
        """The SQL twin of `is_settled`."""
        return Invoice.state.in_([InvoiceState.PAID, InvoiceState.WAIVED])

    def __repr__(self) -> str:
        return f"<Invoice {self.number} {self.state}>"


class RenewalNotice(db.Model):
    """That the owner was asked to confirm the revenue band for a membership year: the daily
    renewals job asks once per company and year (the unique key holds under parallel runs)."""

    __tablename__ = "renewal_notices"
    __table_args__ = (
        UniqueConstraint("company_id", "year", name="uq_renewal_notices_company_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    year: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
