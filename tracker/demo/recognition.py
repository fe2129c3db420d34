"""Top Members for the bulk demo members: a list for each of the two latest ended reporting
years, chosen from the members whose report for the year is accepted, mostly among those whose
answers meet the criteria rule (`recognition.criteria_met`), with one title withdrawn.

Only ended years can have accepted reports, so on 6 December 2026 the lists are 2024 and 2025;
from January 2027 on a fresh demo names 2025 and 2026.
"""

import random
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select

from tracker.companies.enums import Stage
from tracker.companies.models import Company
from tracker.companies.queries import in_stage
from tracker.extensions import db
from tracker.reports.models import Report, ReportState, ReportSubmission, TopMemberAward
from tracker.reports.periods import ReportingCalendar
from tracker.reports.recognition import criteria_met

PER_YEAR = 25  # at most, per year
LOOKED_AT = 400  # accepted reports looked at per year to choose from


def load_top_members(rng: random.Random, calendar: ReportingCalendar, now: datetime, staff_id: int):
    """Name the demo Top Members (no audit rows: the demo's decisions are not on record)."""
    last_ended = calendar.containing(now.date()).year - 1
    rows = []
    for year in (last_ended - 1, last_ended):
        if db.session.scalar(select(TopMemberAward.id).where(TopMemberAward.year == year)):
            continue  # named by an earlier run: loading more companies keeps the lists
        chosen = _chosen(rng, year)
        named_at = now - timedelta(days=30 * (last_ended - year + 1))
        rows += [
            {"company_id": cid, "year": year, "named_by_id": staff_id, "named_at": named_at}
            for cid in chosen
        ]
    if rows:  # the latest year's last one withdrawn, so staff see what that looks like
        rows[-1] |= {
            "withdrawn_at": now - timedelta(days=2),
            "withdrawn_by_id": staff_id,
            "withdrawal_reason": "Demo: a complaint is being looked into.",
        }
        db.session.execute(insert(TopMemberAward), rows)


def _chosen(rng: random.Random, year: int) -> list[int]:
    accepted = (
        select(Report.id, Report.company_id)
        .join(Company, Company.id == Report.company_id)
        .where(Report.year == year, Report.state == ReportState.ACCEPTED, in_stage(Stage.ACTIVE))
        .order_by(Report.company_id)
        .limit(LOOKED_AT)
        .subquery()
    )
    latest = (
        select(func.max(ReportSubmission.id))
        .join(accepted, accepted.c.id == ReportSubmission.report_id)
        .group_by(ReportSubmission.report_id)
    )
    query = (
        select(accepted.c.company_id, ReportSubmission.content)
        .join(accepted, accepted.c.id == ReportSubmission.report_id)
        .where(ReportSubmission.id.in_(latest))
    )
    meeting = [
        cid for cid, content in db.session.execute(query) if all(criteria_met(content).values())
    ]
    return sorted(rng.sample(meeting, min(PER_YEAR, len(meeting))))
