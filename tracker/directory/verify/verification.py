"""Verifying a membership number: is it a current member, under which name, in what standing,
and is its membership current for this year (its fee recorded; never an amount).

Anyone may ask (a traveller reading a certificate, a partner checking a supplier), so the answer
shows only what the public listing shows. Numbers are issued in sequence, so anyone can ask for
every one of them: for a company that is no longer a member (suspended, withdrew, expelled) the
answer says only that the number is not a current member's -- which is all a person holding a
certificate needs -- and never the company's name, why or since when, so the numbers cannot be
walked to list former members. The verify pages are rate-limited per client too.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from tracker.billing import services as billing
from tracker.companies.models import Company, Membership
from tracker.companies.publication import shows_overdue
from tracker.extensions import db
from tracker.reports import recognition, services
from tracker.reports.standing import ReportingStanding

# "TC-000123", "tc 123", "000123" or "123": the digits are what identify a member.
NUMBER = re.compile(r"^\s*(?:TC)?[\s-]*0*([0-9]{1,10})\s*$", re.IGNORECASE)  # ASCII digits only


def normalised(text: str) -> str | None:
    """The membership number as issued ("TC-000123"), or None for text that cannot be one."""
    match = NUMBER.match(text or "")
    if match is None:
        return None
    return f"TC-{int(match.group(1)):06d}"


@dataclass(frozen=True)
class Verification:
    """A current member's public facts; for a former member only its number (see above)."""

    number: str
    current: bool  # a member now (an active membership)
    name: str = ""
    legal_name: str = ""
    since: datetime | None = None  # joined
    standing: ReportingStanding | None = None  # its reporting standing
    overdue_since: date | None = None
    top_member_year: int | None = None  # the Top Member title it shows (latest named year)
    # The membership year asked about: that of the day asked, or in its grace days last year
    # (paid, so the membership is current: see billing.standing.in_grace).
    year: int | None = None
    year_paid: bool = False  # its fee recorded (paid or waived): the membership is current
    renewal_due_by: date | None = None  # in the grace days: this year's payment due by then

    @property
    def valid_until(self) -> date | None:
        return billing.year_ends(self.year) if self.year_paid else None

    @property
    def renewal_year(self) -> int | None:
        return self.renewal_due_by.year if self.renewal_due_by is not None else None


def verify(number: str, on: date) -> Verification | None:
    """What the public may know about membership `number` on `on`; None when never issued."""
    company = db.session.scalar(select(Company).join(Membership).where(Membership.number == number))
    if company is None:
        return None
    if not company.is_member:
        return Verification(number=company.membership.number, current=False)
    standing = services.standing_for(company, on)
    paid_year = billing.current_year(company, on)
    overdue = standing.kind is ReportingStanding.OVERDUE
    return Verification(
        number=company.membership.number,
        current=True,
        name=company.display_name,
        legal_name=company.public_legal_name or "",
        since=company.membership.joined_at,
        standing=standing.kind,
        overdue_since=standing.due if overdue and shows_overdue() else None,
        # Overdue comes first, as in the directory's lists (listing.standing_of).
        top_member_year=None if overdue else recognition.latest_title(company),
        year=paid_year or on.year,
        year_paid=paid_year is not None,
        renewal_due_by=billing.renewal_due_by(company, on),
    )
