"""A member's fee standing for a membership year (a calendar year): paid for it, or overdue.

Each rule is one predicate on a company and its SQL twin (for lists), tested against each other;
services, views and templates ask these, never look at invoices themselves.
"""

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, and_, exists, not_, or_, select, true

from tracker.billing.models import Invoice, InvoiceKind, InvoiceState
from tracker.companies.enums import Standing
from tracker.companies.models import Company, Membership
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


def _active() -> ColumnElement[bool]:
    # The SQL twin of Company.is_member.
    return exists(
        select(Membership.id).where(
            Membership.company_id == Company.id, Membership.standing == Standing.ACTIVE
        )
    )


def _overdue_clause(on: date) -> ColumnElement[bool]:
    return exists(select(Invoice.id).where(_of_year(on.year), Invoice.overdue_clause(on)))


def payment_overdue_clause(on: date) -> ColumnElement[bool]:
    """The SQL twin of `payment_overdue`, on `Company` rows."""
    return and_(_active(), _overdue_clause(on), not_(membership_paid_for_clause(on.year)))


def grace_ends(year: int) -> date:
    """The last day of membership year `year` on which last year's payment still keeps a
    membership current (31 January with the default 31 days; none before 1 January with 0)."""
    days = int(current_app.config.get("MEMBERSHIP_GRACE_DAYS", 31))
    return date(year, 1, 1) + timedelta(days=days - 1)


def _open_clause(year: int) -> ColumnElement[bool]:
    return exists(select(Invoice.id).where(_of_year(year), Invoice.state == InvoiceState.ISSUED))


def in_grace_clause(on: date) -> ColumnElement[bool]:
    """The SQL twin of `in_grace`, on `Company` rows."""
    awaited = true() if on <= grace_ends(on.year) else _open_clause(on.year)
    return and_(
        membership_paid_for_clause(on.year - 1),
        not_(membership_paid_for_clause(on.year)),
        not_(_overdue_clause(on)),
        awaited,
    )


def membership_current_clause(on: date) -> ColumnElement[bool]:
    """The SQL twin of `membership_current`, on `Company` rows."""
    return and_(_active(), or_(membership_paid_for_clause(on.year), in_grace_clause(on)))


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


def in_grace(company: Company, on: date) -> bool:
    """Early in a membership year: last year is paid for, this year not yet, and no invoice of
    this year is overdue. Last year's payment keeps the membership current meanwhile, so 1
    January ends no one's membership overnight: up to `grace_ends`, or later while this year's
    renewal is issued and not yet due (one issued on 15 January is due in February)."""
    invoices = _invoices_for(company, on.year)
    awaited = on <= grace_ends(on.year) or any(invoice.is_open for invoice in invoices)
    return (
        awaited
        and membership_paid_for(company, on.year - 1)
        and not any(invoice.is_settled for invoice in invoices)
        and not any(invoice.is_overdue(on) for invoice in invoices)
    )


def membership_current(company: Company, on: date) -> bool:
    """An active member whose membership year of `on` is paid for (or waived), or which is in
    its grace days with last year paid: it may show a certificate (of `current_year`), and
    verify calls its membership current."""
    return company.is_member and (membership_paid_for(company, on.year) or in_grace(company, on))


def current_year(company: Company, on: date) -> int | None:
    """The membership year that makes the membership current on `on`: that of `on`, or last
    year during the grace days; None when it is not current."""
    if not membership_current(company, on):
        return None
    return on.year if membership_paid_for(company, on.year) else on.year - 1


def renewal_due_by(company: Company, on: date) -> date | None:
    """During the grace days, the day by which this year's payment must be recorded for the
    membership to stay current: the renewal's due date once it is issued, else the grace's
    end."""
    if not (company.is_member and in_grace(company, on)):
        return None
    due = [invoice.due_on for invoice in _invoices_for(company, on.year) if invoice.is_open]
    return min(due) if due else grace_ends(on.year)


def renewal_due_on(year: int, issued_on: date, due_days: int) -> date:
    """The due date of a renewal for membership year `year` issued on `issued_on`: `due_days`
    later, but never before the grace days of its year end, so a member who renews early in
    December is not overdue in January before one whose renewal was issued on 15 January."""
    return max(issued_on + timedelta(days=due_days), grace_ends(year))


def overdue_among(ids: list[int], on: date) -> set[int]:
    """Which of the companies `ids` have their payment overdue on `on` (one query)."""
    if not ids:
        return set()
    query = select(Company.id).where(Company.id.in_(ids), payment_overdue_clause(on))
    return set(db.session.scalars(query))
