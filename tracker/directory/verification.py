"""Verifying a membership number: is it a current member, under which name, in what standing.

Anyone may ask (a traveller reading a certificate, a partner checking a supplier), so the answer
shows only what the public listing shows, and says plainly when a number belongs to a company
that is no longer a member, and since when.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from tracker.companies.models import Company, Membership, Stage
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
    number: str
    name: str
    legal_name: str
    since: datetime  # joined, while a member; the day it stopped being one, otherwise
    current: bool  # a member now (an active membership)
    stage: Stage
    standing: ReportingStanding | None  # the reporting standing of a current member
    overdue_since: date | None
    top_member: bool


def verify(number: str, on: date) -> Verification | None:
    """What the public may know about membership `number` on `on`; None when never issued."""
    company = db.session.scalar(select(Company).join(Membership).where(Membership.number == number))
    if company is None:
        return None
    membership = company.membership
    current = company.stage is Stage.ACTIVE
    standing = services.standing_for(company, on) if current else None
    overdue = standing is not None and standing.kind is ReportingStanding.OVERDUE
    return Verification(
        number=membership.number,
        name=company.display_name,
        legal_name=company.legal_name,
        since=membership.joined_at if current else membership.standing_since,
        current=current,
        stage=company.stage,
        standing=standing.kind if standing else None,
        overdue_since=standing.due if overdue else None,
        top_member=current and recognition.is_top_member(company, on),
    )
