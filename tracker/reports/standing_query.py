"""Every member's reporting standing in one query: the SQL twin of `standing.standing_of`.

The staff dashboard counts and lists 100,000 members. The rule is the same as in Python: the
oldest report owed decides. Each membership keeps the first year it has not handed in a report
for (`first_unreported_year`, see position.py), so per member the query only compares that year
with thresholds worked out once in Python for the day asked about:

- after the last ended year: nothing owed (good standing, or under review while the last ended
  year's report waits for a decision);
- with an extension for that year: extended, or overdue once its date (never later than the
  latest an extension may reach) has passed;
- at or before the last year whose due date has passed: overdue;
- otherwise: due.

`overdue` is the same rule reduced to the one distinction the public sees (a report owed is
past its due date), for the directory's lists. The tests compare both with `standing_of` member
by member.
"""

from datetime import date

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    Select,
    and_,
    case,
    false,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import aliased

from tracker.auth.models import User
from tracker.companies import queries
from tracker.companies.models import Company, Membership
from tracker.extensions import db
from tracker.reports import position
from tracker.reports.models import Report, ReportExtension, ReportState
from tracker.reports.standing import ReportingStanding

FIRST_YEAR = 2000  # no reporting year before this is asked about


def thresholds(on: date) -> tuple[int, int]:
    """The last reporting year that has ended by `on`, and the last whose due date has passed."""
    calendar = position.calendar()
    last_ended = calendar.containing(on).year - 1
    passed = last_ended
    while passed >= FIRST_YEAR and not calendar.year(passed).due < on:
        passed -= 1
    return last_ended, passed


def due_of(year_column, on: date):
    """The normal due date of the year in `year_column`, for the few years a list can show."""
    calendar = position.calendar()
    last = calendar.containing(on).year
    whens = [
        (year_column == y, literal(calendar.year(y).due, Date)) for y in range(FIRST_YEAR, last)
    ]
    return case(*whens, else_=literal(calendar.year(last).due, Date))


def latest_extension_of(year_column, on: date):
    """The latest date an extension of the year in `year_column` may reach (`ReportingYear.
    latest_extension`), for the few years a list can show."""
    calendar = position.calendar()
    last = calendar.containing(on).year
    whens = [
        (year_column == y, literal(calendar.year(y).latest_extension, Date))
        for y in range(FIRST_YEAR, last)
    ]
    return case(*whens, else_=literal(calendar.year(last).latest_extension, Date))


def extended_due(extension, year_column, on: date):
    """An extension's date, never past the latest it may reach (`standing.effective_due`)."""
    latest = latest_extension_of(year_column, on)
    return case((extension.due_on > latest, latest), else_=extension.due_on)


def late(owed, extended_until, on: date, passed: int) -> ColumnElement[bool]:
    """The report of `owed` (a year that has ended) is past its due date on `on`: its
    extension's (`extended_until`, capped by `extended_due`; NULL without one), else the normal
    one, passed for every year up to `passed` (`thresholds`). NULL, not false, when an extension
    has not run out: callers that negate it wrap it (see `overdue`)."""
    return or_(extended_until < on, and_(extended_until.is_(None), owed <= passed))


def overdue(on: date) -> ColumnElement[bool]:
    """On Membership (joined to nothing else): a report owed is past its due date on `on`; the
    SQL twin of `standing_of(...).kind is ReportingStanding.OVERDUE`, for the public lists."""
    last_ended, passed = thresholds(on)
    owed = Membership.first_unreported_year
    extension = aliased(ReportExtension)
    extended_until = (
        select(extended_due(extension, owed, on))
        .where(extension.company_id == Membership.company_id, extension.year == owed)
        .scalar_subquery()
    )
    # Two-valued on purpose: without an extension `extended_until < on` is NULL, and a NULL
    # would drop the member from `~overdue(on)` (good standing, Top Member) as well. COALESCE
    # rather than a third test of the subquery: it runs once per membership.
    is_late = func.coalesce(late(owed, extended_until, on, passed), false(), type_=Boolean)
    return and_(owed <= last_ended, is_late)


def standings(user: User, on: date) -> Select:
    """One row per member `user` may see: company_id, kind (a ReportingStanding value), year
    (the first report not handed in) and extended (its extension's due date, if any)."""
    last_ended, passed = thresholds(on)
    owed = Membership.first_unreported_year
    extension = aliased(ReportExtension)
    latest = aliased(Report)
    kind = case(
        (
            owed > last_ended,
            case(
                (latest.state == ReportState.SUBMITTED, ReportingStanding.UNDER_REVIEW.value),
                else_=ReportingStanding.GOOD.value,
            ),
        ),
        (
            late(owed, extended_due(extension, owed, on), on, passed),
            ReportingStanding.OVERDUE.value,
        ),
        (extension.id.is_not(None), ReportingStanding.EXTENDED.value),
        else_=ReportingStanding.DUE.value,
    )
    return (
        select(
            Membership.company_id,
            kind.label("kind"),
            owed.label("year"),
            extended_due(extension, owed, on).label("extended"),
        )
        .outerjoin(
            extension,
            and_(extension.company_id == Membership.company_id, extension.year == owed),
        )
        .outerjoin(
            latest,
            and_(latest.company_id == Membership.company_id, latest.year == last_ended),
        )
        .where(queries.membership_reporting(), visible(user))
    )


def visible(user: User):
    """`queries.visible_to` on memberships: no join to the companies when staff see them all."""
    condition = queries.visible_to(user)
    if condition.compare(true()):
        return condition
    return Membership.company_id.in_(select(Company.id).where(condition))


def count_by_standing(user: User, on: date) -> dict[ReportingStanding, int]:
    """How many members `user` may see stand each way on `on`."""
    rows = standings(user, on).subquery()
    counts = dict.fromkeys(ReportingStanding, 0)
    for kind, count in db.session.execute(select(rows.c.kind, func.count()).group_by(rows.c.kind)):
        counts[ReportingStanding(kind)] = count
    return counts
