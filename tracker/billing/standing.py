"""A member's fee standing for a membership year (a calendar year): paid for it, or overdue.

Each rule is one predicate on a company and its SQL twin (for lists), tested against each other;
services, views and templates ask these, never look at invoices themselves.
"""

from datetime import date

from sqlalchemy import ColumnElement, and_, exists, not_, select

from tracker.billing.models import Invoice, InvoiceKind
from tracker.companies.models import Company, Membership, Standing
from tracker.extensions import db

# The invoices that pay for a membership year: the joining fee (the first year) or a renewal.
MEMBERSHIP_KINDS = (InvoiceKind.JOINING, InvoiceKind.RENEWAL)


def year_ends(year: int) -> date:
    """The last day of membership year `year`, to which its certificate is valid."""
    return date(year, 12, 31)


def _of_year(year: int) -> ColumnElement[bool]:
    return and_(
        Invoice.company_id == Company.id, Invoice.year == year, Invoice.kind.in_(MEMBERSHIP_KINDS)
    )


def membership_paid_for_clause(year: int) -> ColumnElement[bool]:
    """The SQL twin of `membership_paid_for`, on `Company` rows."""
    return exists(select(Invoice.id).where(_of_year(year), Invoice.settled_clause()))


def payment_overdue_clause(on: date) -> ColumnElement[bool]:
    """The SQL twin of `payment_overdue`, on `Company` rows."""
    active = exists(
        select(Membership.id).where(
            Membership.company_id == Company.id, Membership.standing == Standing.ACTIVE
        )
    )
    overdue = exists(select(Invoice.id).where(_of_year(on.year), Invoice.overdue_clause(on)))
    return and_(active, overdue, not_(membership_paid_for_clause(on.year)))


def _invoices_for(company: Company, year: int) -> list[Invoice]:
    """The company's joining and renewal invoices of membership year `year`."""
    query = select(Invoice).where(
        Invoice.company_id == company.id,
        Invoice.year == year,
        Invoice.kind.in_(MEMBERSHIP_KINDS),
    )
    return list(db.session.scalars(query))


def membership_paid_for(company: Company, year: int) -> bool:
    """Whether the company's joining or renewal invoice of membership year `year` is paid or
    waived."""
    return any(invoice.is_settled for invoice in _invoices_for(company, year))


def payment_overdue(company: Company, on: date) -> bool:
    """Whether a member's invoice for the membership year of `on` is unpaid past its due date
    (and nothing else paid for that year): the standing "payment overdue", which can lead staff
    to suspend the membership (never automatically)."""
    if not company.is_member:
        return False
    invoices = _invoices_for(company, on.year)
    return not any(invoice.is_settled for invoice in invoices) and any(
        invoice.is_overdue(on) for invoice in invoices
    )


def membership_current(company: Company, on: date) -> bool:
    """An active member whose membership year of `on` is paid for (or waived): it may show a
    certificate for that year, and verify calls its membership current."""
    return company.is_member and membership_paid_for(company, on.year)


def overdue_among(ids: list[int], on: date) -> set[int]:
    """Which of the companies `ids` have their payment overdue on `on` (one query)."""
    if not ids:
        return set()
    query = select(Company.id).where(Company.id.in_(ids), payment_overdue_clause(on))
    return set(db.session.scalars(query))
