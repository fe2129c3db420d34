"""The fee table and discounts, kept by administrators; every change is audited.

Flushes; the view commits.
"""

from dataclasses import dataclass

from babel.numbers import list_currencies
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from tracker import audit
from tracker.audit import AuditAction
from tracker.auth.models import Role, User
from tracker.billing.models import (
    DEFAULT_CURRENCY,
    DEFAULT_FEES,
    Discount,
    DiscountKind,
    FeeBand,
)
from tracker.companies.enums import RevenueBand
from tracker.domain import DomainError
from tracker.extensions import db

MAX_FEE = 1_000_000


class InvoiceConflict(DomainError):
    """A fee or an invoice changed since the page was read: nothing was recorded."""


@dataclass(frozen=True)
class Quote:
    band: RevenueBand
    fee: int
    currency: str
    discount_amount: int = 0
    discount_name: str | None = None
    discount_reason: str | None = None

    @property
    def amount(self) -> int:
        return self.fee - self.discount_amount


@dataclass(frozen=True)
class DiscountInput:
    name: str
    kind: DiscountKind
    value: int
    reason: str


def fee_table() -> list[FeeBand]:
    """Every band's fee, smallest band first."""
    order = list(RevenueBand)
    return sorted(db.session.scalars(select(FeeBand)), key=lambda row: order.index(row.band))


def seed_fee_table() -> None:
    """Add the default fee of every band that has none (idempotent)."""
    present = set(db.session.scalars(select(FeeBand.band)))
    for band, amount in DEFAULT_FEES.items():
        if band not in present:
            db.session.add(FeeBand(band=band, amount=amount, currency=DEFAULT_CURRENCY))
    db.session.flush()


def fee_for(band: RevenueBand) -> FeeBand:
    """:raises DomainError: if the fee table has no row for `band`."""
    row = db.session.scalar(select(FeeBand).where(FeeBand.band == band))
    if row is None:
        raise DomainError.on(None, _("The fee table has no fee for this revenue band."))
    return row


def quote(band: RevenueBand, discount: Discount | None = None) -> Quote:
    """The fee of `band` from the table, less `discount`.

    :raises DomainError: if the fee table has no row for `band`.
    """
    row = fee_for(band)
    if discount is None:
        return Quote(band, row.amount, row.currency)
    return Quote(
        band,
        row.amount,
        row.currency,
        discount.reduction(row.amount),
        discount.name,
        discount.reason,
    )


def update_fee(row: FeeBand, amount: int, currency: str, admin: User, seen_version: int) -> None:
    """Change a band's fee; invoices already issued keep theirs.

    :raises DomainError: for anyone but an administrator or an amount or currency out of range.
    :raises InvoiceConflict: if the row changed since version `seen_version` was read.
    """
    if admin.role is not Role.ADMIN:
        raise DomainError.on(None, _("Only an administrator may change the fee table."))
    if row.version != seen_version:
        raise InvoiceConflict.on(None, _("Someone changed this fee meanwhile. Check it again."))
    currency = currency.strip().upper()
    if not 0 <= amount <= MAX_FEE:
        raise DomainError.on(
            "amount", _("Give an amount from 0 to %(most)s.", most=format_decimal(MAX_FEE))
        )
    if currency not in list_currencies():  # ISO 4217, from CLDR: "ZZZ" is no currency
        raise DomainError.on("currency", _("Give a three-letter currency code, such as EUR."))
    before = (row.amount, row.currency)
    if before == (amount, currency):
        return
    row.amount, row.currency = amount, currency
    db.session.flush()
    audit.record(
        AuditAction.FEE_CHANGED,
        actor=admin,
        band=row.band.value,
        before=list(before),
        after=[amount, currency],
    )


def add_discount(admin: User, values: DiscountInput) -> Discount:
    """:raises DomainError: for anyone but an administrator, a name taken, no reason, or a
    value out of range."""
    if admin.role is not Role.ADMIN:
        raise DomainError.on(None, _("Only an administrator may add a discount."))
    name, reason = values.name.strip(), values.reason.strip()
    if db.session.scalar(select(Discount.id).where(Discount.name == name)) is not None:
        raise DomainError.on("name", _("A discount of this name exists already."))
    if not reason:
        raise DomainError.on("reason", _("Give the reason for the discount."))
    top = 100 if values.kind is DiscountKind.PERCENTAGE else MAX_FEE
    if not 0 < values.value <= top:
        raise DomainError.on(
            "value", _("Give a value from 1 to %(most)s.", most=format_decimal(top))
        )
    discount = Discount(name=name, kind=values.kind, value=values.value, reason=reason)
    db.session.add(discount)
    db.session.flush()
    audit.record(
        AuditAction.DISCOUNT_ADDED,
        actor=admin,
        name=name,
        kind=values.kind.value,
        value=values.value,
        comment=reason,
    )
    return discount


def discounts() -> list[Discount]:
    return list(db.session.scalars(select(Discount).order_by(Discount.name)))
