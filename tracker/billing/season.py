"""The renewal season: when an owner may confirm the revenue band for a membership year, when
the renewal is issued without it, and which year a member owes a renewal for."""

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from tracker.billing.models import Invoice, InvoiceKind, InvoiceState
from tracker.billing.standing import year_ends
from tracker.companies.models import Company
from tracker.extensions import db


def opens_on(year: int) -> date:
    """The first day an owner may confirm the band for membership year `year` (1 December of
    the year before, by default)."""
    days = int(current_app.config.get("RENEWAL_OPENS_DAYS", 30))
    return year_ends(year - 1) - timedelta(days=days)


def auto_issue_on(year: int) -> date:
    """From this day the daily job issues an unconfirmed renewal on the band on record."""
    return date(year, 1, int(current_app.config.get("RENEWAL_AUTO_ISSUE_DAY", 15)))


def _owes(company: Company, year: int) -> bool:
    """A member (active or suspended) that joined before `year` and has no renewal invoice for
    it but a cancelled one."""
    if not company.is_reporting_member or company.joined_at.year >= year:
        return False
    issued = select(Invoice.id).where(
        Invoice.company_id == company.id,
        Invoice.kind == InvoiceKind.RENEWAL,
        Invoice.year == year,
        Invoice.state != InvoiceState.CANCELLED,
    )
    return db.session.scalar(issued) is None


def renewal_year(company: Company, on: date) -> int | None:
    """The membership year the member owes a renewal invoice for on `on`, or None: the year of
    `on` while it is owed (from 1 January, or again after its renewal was cancelled), else
    the next year once its season has opened."""
    if _owes(company, on.year):
        return on.year
    if on >= opens_on(on.year + 1) and _owes(company, on.year + 1):
        return on.year + 1
    return None
