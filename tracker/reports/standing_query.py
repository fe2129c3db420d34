"""Every member's reporting standing in one query: the SQL twin of `standing.standing_of`.

The staff dashboard counts and lists 100,000 members; deciding each one in Python would take
seconds. The rule is the same: the oldest report owed decides. Per member the query finds

- its first full reporting year, from the day it joined (a CASE over the years' first days);
- the first year from then on without a report handed in: the first full year plus the number
  handed in, when those are consecutive years (nearly always); a member that skipped a year
  and reported a later one is marked `gap` and decided in Python instead (`standing_for`);
- that year's due date, or its extension's;

and from those, with the date, the standing. The tests compare it with `standing_of` member by
member.
"""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Date, Select, and_, case, func, literal, select
from sqlalchemy.orm import aliased

from tracker.auth.models import User
from tracker.companies import queries
from tracker.companies.models import Company, Membership, Stage
from tracker.extensions import db
from tracker.reports import services
from tracker.reports.models import Report, ReportExtension, ReportState
from tracker.reports.periods import ReportingCalendar
from tracker.reports.standing import HANDED_IN, ReportingStanding

FIRST_YEAR = 2000  # members who joined earlier report from 2000 on, as if they joined then
GAP = "gap"


def _first_full_year(calendar: ReportingCalendar, last: int):
    """CASE giving the first reporting year that starts on or after the day a member joined."""
    whens = []
    for year in range(FIRST_YEAR, last + 1):
        # Joined on or before the year's first day (UTC): that year is its first full one.
        start = datetime.combine(calendar.year(year).start, time(), UTC) + timedelta(days=1)
        whens.append((Membership.joined_at < start, year))
    return case(*whens, else_=last + 1)


def _due_date(calendar: ReportingCalendar, year_column, last: int):
    whens = [
        (year_column == y, literal(calendar.year(y).due, Date)) for y in range(FIRST_YEAR, last + 1)
    ]
    return case(*whens, else_=literal(calendar.year(last).due, Date))


def standings(user: User, on: date) -> Select:
    """One row per member `user` may see: company_id, kind (a ReportingStanding value, or
    "gap"), year (the report owed, for due, extended and overdue) and due (its due date)."""
    calendar = services.reporting_calendar()
    current = calendar.containing(on).year
    last_ended = current - 1
    handed = (
        select(
            Report.company_id,
            func.count().label("handed"),
            func.max(Report.year).label("latest"),
        )
        .where(Report.state.in_(HANDED_IN))
        .group_by(Report.company_id)
        .subquery()
    )
    members = (
        select(
            Company.id.label("company_id"),
            _first_full_year(calendar, current + 1).label("first_full"),
            func.coalesce(handed.c.handed, 0).label("handed"),
            handed.c.latest,
        )
        .join(Membership, Membership.company_id == Company.id)
        .outerjoin(handed, handed.c.company_id == Company.id)
        .where(Company.stored_stage.in_((Stage.ACTIVE, Stage.SUSPENDED)), queries.visible_to(user))
        .subquery()
    )
    consecutive = members.c.latest - members.c.first_full + 1 == members.c.handed
    owed = case(
        (members.c.handed == 0, members.c.first_full),
        (consecutive, members.c.first_full + members.c.handed),
        else_=None,
    ).label("owed")
    with_owed = select(members.c.company_id, owed).subquery()
    extension = aliased(ReportExtension)
    latest_report = aliased(Report)
    due = func.coalesce(extension.due_on, _due_date(calendar, with_owed.c.owed, current + 1))
    owes = with_owed.c.owed <= last_ended
    kind = case(
        (with_owed.c.owed.is_(None), GAP),
        (and_(owes, due < on), ReportingStanding.OVERDUE.value),
        (and_(owes, extension.id.is_not(None)), ReportingStanding.EXTENDED.value),
        (owes, ReportingStanding.DUE.value),
        (latest_report.state == ReportState.SUBMITTED, ReportingStanding.UNDER_REVIEW.value),
        else_=ReportingStanding.GOOD.value,
    )
    return (
        select(
            with_owed.c.company_id,
            kind.label("kind"),
            with_owed.c.owed.label("year"),
            due.label("due"),
        )
        .outerjoin(
            extension,
            and_(
                extension.company_id == with_owed.c.company_id,
                extension.year == with_owed.c.owed,
            ),
        )
        .outerjoin(
            latest_report,
            and_(
                latest_report.company_id == with_owed.c.company_id,
                latest_report.year == last_ended,
            ),
        )
    )


def count_by_standing(user: User, on: date) -> dict[ReportingStanding, int]:
    """How many members `user` may see stand each way on `on`."""
    rows = standings(user, on).subquery()
    counts = dict.fromkeys(ReportingStanding, 0)
    for kind, count in db.session.execute(select(rows.c.kind, func.count()).group_by(rows.c.kind)):
        if kind != GAP:
            counts[ReportingStanding(kind)] += count
    for company_id in db.session.scalars(select(rows.c.company_id).where(rows.c.kind == GAP)):
        standing = services.standing_for(db.session.get(Company, company_id), on)
        counts[standing.kind] += 1
    return counts
