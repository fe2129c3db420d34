"""Billing services: issuing invoices, and recording a payment, a discount or a waiver.

They flush; the view commits. Every change to an invoice is audited (the fee table: fees.py).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import contains_eager

from tracker import audit
from tracker.audit import AuditAction
from tracker.auth.models import Role, User
from tracker.billing import emails
from tracker.billing.fees import InvoiceConflict, quote
from tracker.billing.models import (
    Discount,
    Invoice,
    InvoiceCounter,
    InvoiceKind,
    InvoiceState,
    PaymentMethod,
)
from tracker.billing.season import renewal_year as renewal_year
from tracker.billing.standing import current_year as current_year
from tracker.billing.standing import grace_ends as grace_ends
from tracker.billing.standing import membership_current as membership_current
from tracker.billing.standing import membership_paid_for as membership_paid_for
from tracker.billing.standing import overdue_among as overdue_among
from tracker.billing.standing import payment_overdue as payment_overdue
from tracker.billing.standing import renewal_due_by as renewal_due_by
from tracker.billing.standing import renewal_due_on
from tracker.billing.standing import year_ends as year_ends
from tracker.companies import queries
from tracker.companies.models import Company
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow

# Only ECPAT staff settle invoices; representatives see them (issue 15 item 11: waiving fees is
# ECPAT's decision by default).
SETTLING_ROLES = (Role.REVIEWER, Role.ADMIN)


@dataclass(frozen=True)
class PaymentInput:
    paid_on: date
    method: PaymentMethod
    reference: str


def today() -> date:
    return datetime.now(UTC).date()


# Invoices ------------------------------------------------------------------------------------


def next_number(year: int) -> str:
    """The next invoice number of `year`, "TC-INV-2026-00001" on. One atomic upsert: the
    counter row's lock holds a parallel transaction back until this one ends, so two
    invoices issued at the same moment never share a number (the unique column is the net)."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(InvoiceCounter)
        .values(year=year, last=1)
        .on_conflict_do_update(
            index_elements=[InvoiceCounter.year], set_={"last": InvoiceCounter.last + 1}
        )
        .returning(InvoiceCounter.last)
    )
    last = db.session.execute(statement).scalar_one()
    return f"TC-INV-{year}-{last:05d}"


def due_days() -> int:
    return int(current_app.config.get("INVOICE_DUE_DAYS", 30))


def issue_invoice(
    company: Company,
    kind: InvoiceKind,
    year: int,
    actor: User | None,
    discount: Discount | None = None,
    notify: bool = True,
) -> Invoice:
    """Issue an invoice for the company's revenue band, from the fee table, due in the
    configured number of days, and e-mail it to the owner (in the same transaction; the demo
    loader passes `notify=False`). `actor` None is the system (the daily renewals job).

    :raises DomainError: if the fee table has no fee for the company's band.
    """
    price = quote(company.revenue_band, discount)
    issued_at = utcnow()
    due_on = issued_at.date() + timedelta(days=due_days())
    if kind is InvoiceKind.RENEWAL:
        due_on = renewal_due_on(year, issued_at.date(), due_days())
    invoice = Invoice(
        number=next_number(issued_at.year),
        company=company,
        year=year,
        kind=kind,
        band=price.band,
        fee=price.fee,
        discount_amount=price.discount_amount,
        discount_name=price.discount_name,
        discount_reason=price.discount_reason,
        amount=price.amount,
        currency=price.currency,
        issued_at=issued_at,
        due_on=due_on,
        state=InvoiceState.ISSUED,
    )
    db.session.add(invoice)
    db.session.flush()
    audit.record(
        AuditAction.INVOICE_ISSUED,
        actor=actor,
        company=company,
        number=invoice.number,
        amount=invoice.amount,
        currency=invoice.currency,
        discount=price.discount_name,
    )
    if notify:
        emails.queue_issued(invoice)
    return invoice


def issue_joining_invoice(
    company: Company, actor: User | None, discount: Discount | None = None, notify: bool = True
) -> Invoice:
    """The company's joining invoice, issued now for this membership year unless it has one
    that is not cancelled.

    :raises DomainError: if the fee table has no fee for the company's band.
    """
    existing = joining_invoice(company)
    if existing is not None and not existing.is_cancelled:
        return existing
    return issue_invoice(company, InvoiceKind.JOINING, today().year, actor, discount, notify)


def may_reissue_joining(staff: User, company: Company) -> bool:
    """Whether `staff` may issue a new joining invoice: ECPAT staff, for a company that has not
    signed yet and whose joining invoice was cancelled (after a band correction, say)."""
    invoice = joining_invoice(company)
    return (
        staff.role in SETTLING_ROLES
        and not company.has_membership
        and invoice is not None
        and invoice.is_cancelled
    )


def reissue_joining_invoice(company: Company, staff: User) -> Invoice:
    """Issue a new joining invoice after the last one was cancelled, on the band on record.

    :raises DomainError: for anyone but ECPAT staff, or while a joining invoice stands.
    """
    if not may_reissue_joining(staff, company):
        raise DomainError.on(
            None, _("A new joining invoice is issued only after one is cancelled.")
        )
    return issue_joining_invoice(company, staff)


def joining_invoice(company: Company) -> Invoice | None:
    """The company's joining invoice (the latest, if one was cancelled), or None."""
    query = (
        select(Invoice)
        .where(Invoice.company_id == company.id, Invoice.kind == InvoiceKind.JOINING)
        .order_by((Invoice.state == InvoiceState.CANCELLED).asc(), Invoice.id.desc())
    )
    return db.session.scalars(query).first()


def joining_settled(company: Company) -> bool:
    """Whether the joining invoice is paid or waived: the company may then sign."""
    invoice = joining_invoice(company)
    return invoice is not None and invoice.is_settled


def confirm_band_and_renew(company: Company, owner: User, year: int, on: date) -> Invoice:
    """The owner confirms the revenue band on record for `year`; its renewal invoice follows.
    (A band that changed is changed through the profile first, which staff review.)

    :raises DomainError: for anyone but the owner, or if no renewal is due for `year`.
    """
    if owner.company_id != company.id or not owner.is_owner:
        raise DomainError.on(None, _("Only the company's owner can confirm the revenue band."))
    if renewal_year(company, on) != year:
        raise DomainError.on(None, _("No renewal is due for %(year)s.", year=year))
    return issue_invoice(company, InvoiceKind.RENEWAL, year, owner)


def invoices_of(company: Company) -> list[Invoice]:
    """The company's invoices, newest first."""
    query = (
        select(Invoice)
        .where(Invoice.company_id == company.id)
        .order_by(Invoice.issued_at.desc(), Invoice.id.desc())
    )
    return list(db.session.scalars(query))


def open_invoices_of(company: Company) -> list[Invoice]:
    return [invoice for invoice in invoices_of(company) if invoice.is_open]


def list_invoices(staff: User, overdue_only: bool, on: date) -> Select:
    """Open invoices of the companies `staff` may see, oldest due date first."""
    condition = Invoice.overdue_clause(on) if overdue_only else Invoice.state == InvoiceState.ISSUED
    return (
        select(Invoice)
        .join(Company, Invoice.company_id == Company.id)
        .where(condition, queries.visible_to(staff))
        .options(contains_eager(Invoice.company))  # the list names each company
        .order_by(Invoice.due_on, Invoice.id)
    )


def may_settle(staff: User, invoice: Invoice) -> bool:
    """Whether `staff` may record a payment or a waiver: ECPAT staff, for an open invoice."""
    return staff.role in SETTLING_ROLES and invoice.is_open


def _check_settle(invoice: Invoice, staff: User, seen_version: int) -> None:
    if staff.role not in SETTLING_ROLES:
        raise DomainError.on(
            None, _("Only ECPAT staff (reviewers and administrators) may do this.")
        )
    if invoice.version != seen_version:
        raise InvoiceConflict.on(
            None, _("Invoice %(number)s changed meanwhile: check it again.", number=invoice.number)
        )
    if not invoice.is_open:
        raise DomainError.on(
            None,
            _(
                "Invoice %(number)s is %(state)s.",
                number=invoice.number,
                state=invoice.state.label.lower(),
            ),
        )


def record_payment(
    invoice: Invoice, staff: User, payment: PaymentInput, seen_version: int, on: date
) -> None:
    """Record that the invoice was paid.

    :raises DomainError: for anyone but ECPAT staff, an invoice not open, a payment date in
        the future or before the invoice, or no reference.
    :raises InvoiceConflict: if the invoice changed since version `seen_version` was read.
    """
    _check_settle(invoice, staff, seen_version)
    if payment.paid_on > on:
        raise DomainError.on("paid_on", _("The payment date cannot be in the future."))
    reference = payment.reference.strip()
    if not reference:
        raise DomainError.on("reference", _("Give the payment's reference."))
    invoice.state = InvoiceState.PAID
    invoice.paid_on, invoice.payment_method = payment.paid_on, payment.method
    invoice.payment_reference = reference
    invoice.recorded_by, invoice.recorded_at = staff, utcnow()
    db.session.flush()  # the version check fails here if someone else recorded meanwhile
    audit.record(
        AuditAction.INVOICE_PAID,
        actor=staff,
        company=invoice.company,
        number=invoice.number,
        paid_on=payment.paid_on.isoformat(),
        method=payment.method.value,
        reference=reference,
    )


def apply_discount(invoice: Invoice, staff: User, discount: Discount, seen_version: int) -> None:
    """Take `discount` off the invoice's fee (replacing any discount it had).

    :raises DomainError: for anyone but ECPAT staff, or an invoice not open.
    :raises InvoiceConflict: if the invoice changed since version `seen_version` was read.
    """
    _check_settle(invoice, staff, seen_version)
    invoice.discount_amount = discount.reduction(invoice.fee)
    invoice.discount_name, invoice.discount_reason = discount.name, discount.reason
    invoice.amount = invoice.fee - invoice.discount_amount
    db.session.flush()
    audit.record(
        AuditAction.INVOICE_DISCOUNTED,
        actor=staff,
        company=invoice.company,
        number=invoice.number,
        discount=discount.name,
        amount=invoice.amount,
        comment=discount.reason,
    )


def may_cancel(staff: User, invoice: Invoice) -> bool:
    """Whether `staff` may cancel the invoice: ECPAT staff, while it is open."""
    return may_settle(staff, invoice)


def cancel_invoice(invoice: Invoice, staff: User, reason: str, seen_version: int) -> None:
    """Cancel the invoice: nothing is owed on it. A cancelled joining invoice lets staff issue
    a new one; a cancelled renewal makes the renewal due again.

    :raises DomainError: for anyone but ECPAT staff, an invoice not open, or no reason.
    :raises InvoiceConflict: if the invoice changed since version `seen_version` was read.
    """
    _check_settle(invoice, staff, seen_version)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError.on("reason", _("Give the reason for cancelling the invoice."))
    invoice.state = InvoiceState.CANCELLED
    invoice.cancel_reason, invoice.cancelled_by, invoice.cancelled_at = reason, staff, utcnow()
    db.session.flush()
    audit.record(
        AuditAction.INVOICE_CANCELLED,
        actor=staff,
        company=invoice.company,
        number=invoice.number,
        comment=reason,
    )


def waive_invoice(invoice: Invoice, staff: User, reason: str, seen_version: int) -> None:
    """Waive the invoice: the company owes nothing for it.

    :raises DomainError: for anyone but ECPAT staff, an invoice not open, or no reason.
    :raises InvoiceConflict: if the invoice changed since version `seen_version` was read.
    """
    _check_settle(invoice, staff, seen_version)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError.on("reason", _("Give the reason for waiving the invoice."))
    invoice.state = InvoiceState.WAIVED
    invoice.waiver_reason, invoice.waived_by, invoice.waived_at = reason, staff, utcnow()
    db.session.flush()
    audit.record(
        AuditAction.INVOICE_WAIVED,
        actor=staff,
        company=invoice.company,
        number=invoice.number,
        comment=reason,
    )


def issuer() -> dict:
    """ECPAT as the invoices' issuer, from the configuration."""
    return current_app.config["INVOICE_ISSUER"]
