"""The renewal season, run daily by `flask --app wsgi billing renewals`.

For each member (active or suspended) that owes a renewal (`season.renewal_year`):

- while it may still confirm its revenue band (from `RENEWAL_OPENS_DAYS` before 31 December
  until the day before `RENEWAL_AUTO_ISSUE_DAY` of January), its owner is asked once per year
  to confirm the band (a `RenewalNotice` row, unique per company and year, is written with the
  e-mail);
- from the auto-issue day on, the renewal invoice of the year is issued on the band on record
  (actor: the system), and e-mailed like any invoice.

Safe to run daily, twice, or twice at once: each company's work is a savepoint, and the unique
keys (one notice per company and year; one invoice not cancelled per company, year and kind)
turn a parallel run's duplicate into a skipped company. Commits batch by batch.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tracker import audit
from tracker.audit import AuditAction
from tracker.billing import emails, season, services
from tracker.billing.models import InvoiceKind, RenewalNotice
from tracker.companies.models import Company, Membership
from tracker.companies.queries import membership_reporting
from tracker.domain import DomainError
from tracker.extensions import db

BATCH_SIZE = 200


@dataclass
class RenewalCounts:
    notices: int = 0
    issued: int = 0
    failed: int = 0  # no fee for the band on record: staff fix the fee table


def _members():
    # Members active or suspended: those `season.renewal_year` considers.
    return Company.id.in_(select(Membership.company_id).where(membership_reporting()))


def member_count() -> int:
    """How many companies `run` goes through: for a progress bar."""
    return db.session.scalar(select(func.count(Company.id)).where(_members()))


def run(
    on: date, progress: Callable[[int], object] | None = None, batch_size: int = BATCH_SIZE
) -> RenewalCounts:
    """Ask for band confirmations and issue renewals due on `on`; commits batch by batch."""
    counts = RenewalCounts()
    after = 0
    while True:
        companies = list(
            db.session.scalars(
                select(Company)
                .where(_members(), Company.id > after)
                .order_by(Company.id)
                .limit(batch_size)
            )
        )
        if not companies:
            break
        for company in companies:
            renew_one(company, on, counts)
        db.session.commit()
        if progress is not None:
            progress(len(companies))
        after = companies[-1].id
    return counts


def renew_one(company: Company, on: date, counts: RenewalCounts) -> None:
    """Do what the season asks for one company on `on` (in a savepoint of its own)."""
    year = season.renewal_year(company, on)
    if year is None:
        return
    try:
        with db.session.begin_nested():
            if on >= season.auto_issue_on(year):
                services.issue_invoice(company, InvoiceKind.RENEWAL, year, actor=None)
                counts.issued += 1
            elif _ask(company, year):
                counts.notices += 1
    except IntegrityError:
        pass  # another run got there first: the notice or the invoice is on record
    except DomainError:
        counts.failed += 1


def _ask(company: Company, year: int) -> bool:
    """Record the notice and e-mail the owner; False if it was asked already (or has no
    owner, then it is asked on a later run once it has one)."""
    asked = select(RenewalNotice.id).where(
        RenewalNotice.company_id == company.id, RenewalNotice.year == year
    )
    if db.session.scalar(asked) is not None or company.owner is None:
        return False
    db.session.add(RenewalNotice(company_id=company.id, year=year))
    db.session.flush()  # the unique key refuses a parallel run's notice here
    emails.queue_renewal_open(company, year, season.auto_issue_on(year))
    audit.record(AuditAction.RENEWAL_NOTICE_SENT, company=company, year=year)
    return True
