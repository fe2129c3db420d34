"""Demo invoices in every state: paid, waived, awaiting payment, overdue and cancelled (then
issued again); and a member whose renewal awaits the confirmation of its revenue band.

Issued without e-mail (`notify=False`): the owners are made up."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tracker.audit import AuditEntry
from tracker.billing import fees, services
from tracker.billing.models import Invoice, InvoiceKind, PaymentMethod
from tracker.companies.enums import Stage
from tracker.companies.models import Company
from tracker.extensions import db
from tracker.plans.services import with_approved_plan

# Members of the bulk data given a paid joining invoice (more would only slow the loader).
MEMBERS_INVOICED = 300


def settle_joining(company: Company, staff) -> Invoice:
    """The joining invoice issued when the plan was approved, paid by bank transfer today."""
    invoice = services.issue_joining_invoice(company, staff, notify=False)
    if invoice.is_open:
        payment = services.PaymentInput(
            services.today(), PaymentMethod.BANK_TRANSFER, f"Transfer {invoice.number}"
        )
        services.record_payment(invoice, staff, payment, invoice.version, services.today())
    return invoice


def load_billing(staff) -> None:
    """Invoices for companies that have none (idempotent): approved companies' joining
    invoices in turn awaiting payment (the first after one cancelled), overdue and waived;
    members' paid (the first a member of last year whose renewal awaits confirmation).
    Flushes; the caller commits."""
    fees.seed_fee_table()
    invoiced = select(Invoice.company_id)
    approved = db.session.scalars(
        select(Company)
        .where(
            Company.stored_stage == Stage.APPROVED,
            Company.id.not_in(invoiced),
            with_approved_plan(),  # invoiced when staff approve the plan
        )
        .order_by(Company.id)
    )
    for index, company in enumerate(approved):
        invoice = services.issue_joining_invoice(company, staff, notify=False)
        if index == 0:
            cancel_and_reissue(invoice, staff)
        elif index % 3 == 1:  # issued six weeks ago: past its due date
            invoice.issued_at -= timedelta(days=42)
            invoice.due_on -= timedelta(days=42)
        elif index % 3 == 2:
            reason = "Partner association member in its first year: fee waived by ECPAT."
            services.waive_invoice(invoice, staff, reason, invoice.version)
    members = db.session.scalars(
        select(Company)
        .where(Company.stored_stage == Stage.ACTIVE, Company.id.not_in(invoiced))
        .order_by(Company.id)
        .limit(MEMBERS_INVOICED)
    )
    for index, company in enumerate(members):
        invoice = settle_joining(company, staff)
        if index == 0:
            awaiting_renewal(invoice)
    db.session.flush()


def cancel_and_reissue(invoice: Invoice, staff) -> Invoice:
    """Staff cancel a joining invoice issued on the wrong band, then issue a new one."""
    reason = "Issued on last year's revenue band: the company corrected it."
    services.cancel_invoice(invoice, staff, reason, invoice.version)
    return services.issue_joining_invoice(invoice.company, staff, notify=False)


def awaiting_renewal(joining: Invoice) -> None:
    """Make the member one that joined last year (its joining invoice of that year, paid): it
    owes this year's renewal, which awaits its owner's confirmation of the revenue band."""
    last_year = services.today().year - 1
    company = joining.company
    company.membership.joined_at = min(
        company.membership.joined_at, datetime(last_year, 3, 1, tzinfo=UTC)
    )
    joining.year = last_year
    db.session.flush()


def overdue_renewal(company: Company, staff) -> Invoice:
    """This year's renewal of a member who joined before, issued 45 days ago and unpaid."""
    year = services.today().year
    existing = db.session.scalar(
        select(Invoice).where(
            Invoice.company_id == company.id,
            Invoice.kind == InvoiceKind.RENEWAL,
            Invoice.year == year,
        )
    )
    if existing is not None:
        return existing
    invoice = services.issue_invoice(company, InvoiceKind.RENEWAL, year, staff, notify=False)
    invoice.issued_at -= timedelta(days=45)
    invoice.due_on -= timedelta(days=45)
    entry = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.company_id == company.id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).one()
    entry.created_at = invoice.issued_at
    db.session.flush()
    return invoice
