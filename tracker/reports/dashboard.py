"""The staff dashboard's figures: members by standing, country and type; reporting rate and
training coverage per year and per country; the lists of overdue, extended and to-be-suspended
members. Everything is counted in the database, for the members the staff member may see."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import Select, distinct, func, select

from tracker.auth.models import User
from tracker.companies import queries
from tracker.companies.models import Company, CompanyType, Membership, Operation, Stage
from tracker.extensions import db
from tracker.reports import services
from tracker.reports.models import Report, TrainingRow
from tracker.reports.standing import HANDED_IN, ReportingStanding
from tracker.reports.standing_query import FIRST_YEAR, due_of, standings

YEARS_SHOWN = 5
LIST_LIMIT = 50


@dataclass(frozen=True)
class YearFigures:
    year: int
    owed: int  # members who owed a report for the year
    handed_in: int  # of them, those who handed it in
    employees: int
    trained: int

    @property
    def rate(self) -> float | None:
        return self.handed_in / self.owed if self.owed else None

    @property
    def coverage(self) -> float | None:
        return self.trained / self.employees if self.employees else None


@dataclass(frozen=True)
class Listed:
    """A member in one of the dashboard's lists."""

    company_id: int
    name: str
    number: str
    hq_country: str
    year: int
    due: date
    days_overdue: int
    suspended: bool


def members(user: User) -> Select:
    return (
        select(Company.id)
        .join(Membership, Membership.company_id == Company.id)
        .where(Company.stored_stage.in_((Stage.ACTIVE, Stage.SUSPENDED)), queries.visible_to(user))
    )


def by_country(user: User, on: date, scope: list[str] | None) -> list[tuple[str, int, int]]:
    """(country, members, of them overdue) for each country with members, most members first;
    a representative's own countries only."""
    rows = standings(user, on).subquery()
    overdue = func.count(distinct(rows.c.company_id)).filter(
        rows.c.kind == ReportingStanding.OVERDUE.value
    )
    query = (
        select(Operation.country_code, func.count(distinct(rows.c.company_id)), overdue)
        .join(rows, rows.c.company_id == Operation.company_id)
        .group_by(Operation.country_code)
    )
    if scope is not None:
        query = query.where(Operation.country_code.in_(scope))
    result = [tuple(row) for row in db.session.execute(query)]
    return sorted(result, key=lambda row: (-row[1], row[0]))


def by_type(user: User, on: date) -> list[tuple[CompanyType, int, int]]:
    """(type of business, members, of them overdue), most members first."""
    rows = standings(user, on).subquery()
    overdue = func.count().filter(rows.c.kind == ReportingStanding.OVERDUE.value)
    query = (
        select(Company.type, func.count(), overdue)
        .join(rows, rows.c.company_id == Company.id)
        .group_by(Company.type)
    )
    return sorted((tuple(row) for row in db.session.execute(query)), key=lambda row: -row[1])


def years(user: User, on: date) -> list[YearFigures]:
    """The last ended reporting years: who owed a report, who handed it in, staff trained."""
    calendar = services.reporting_calendar()
    last = calendar.containing(on).year - 1
    shown = [y for y in range(last - YEARS_SHOWN + 1, last + 1) if y >= FIRST_YEAR]
    owed = _owed_per_year(user, shown)
    handed = _handed_per_year(user, shown)
    training = _training_per_year(user, shown)
    figures = [
        YearFigures(y, owed.get(y, 0), handed.get(y, 0), *training.get(y, (0, 0))) for y in shown
    ]
    # Years before anyone owed a report say nothing: start at the first that does.
    while figures and figures[0].owed == 0 and figures[0].handed_in == 0:
        figures.pop(0)
    return figures


def _owed_per_year(user: User, shown: list[int]) -> dict[int, int]:
    """Today's members whose first full year is at or before each year: those who joined on
    or before its first day. One pass over the members, a count per year."""
    calendar = services.reporting_calendar()
    joined = (
        select(Membership.joined_at)
        .join(Company, Membership.company_id == Company.id)
        .where(Company.id.in_(members(user)))
        .subquery()
    )
    counts = [
        func.count().filter(joined.c.joined_at < day_after(calendar.year(year).start))
        for year in shown
    ]
    if not counts:
        return {}
    return dict(zip(shown, db.session.execute(select(*counts)).one(), strict=True))


def day_after(day: date) -> datetime:
    return datetime.combine(day, time(), UTC) + timedelta(days=1)


def _handed_per_year(user: User, shown: list[int]) -> dict[int, int]:
    query = (
        select(Report.year, func.count())
        .where(
            Report.year.in_(shown),
            Report.state.in_(HANDED_IN),
            Report.company_id.in_(members(user)),
        )
        .group_by(Report.year)
    )
    return dict(tuple(row) for row in db.session.execute(query))


def _training_per_year(user: User, shown: list[int]) -> dict[int, tuple[int, int]]:
    query = (
        select(Report.year, func.sum(TrainingRow.employees), func.sum(TrainingRow.trained))
        .join(TrainingRow, TrainingRow.report_id == Report.id)
        .where(
            Report.year.in_(shown),
            Report.state.in_(HANDED_IN),
            Report.company_id.in_(members(user)),
        )
        .group_by(Report.year)
    )
    return {year: (emp or 0, trained or 0) for year, emp, trained in db.session.execute(query)}


def coverage_by_country(user: User, year: int, scope: list[str] | None) -> list:
    """(country, employees, trained) in the reports handed in for `year`, most employees first."""
    query = (
        select(
            TrainingRow.country_code,
            func.sum(TrainingRow.employees),
            func.sum(TrainingRow.trained),
        )
        .join(Report, TrainingRow.report_id == Report.id)
        .where(
            Report.year == year,
            Report.state.in_(HANDED_IN),
            Report.company_id.in_(members(user)),
            TrainingRow.employees.is_not(None),
        )
        .group_by(TrainingRow.country_code)
    )
    if scope is not None:
        query = query.where(TrainingRow.country_code.in_(scope))
    rows = [(code, emp or 0, trained or 0) for code, emp, trained in db.session.execute(query)]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def listed(user: User, on: date, kind: str, limit: int | None = LIST_LIMIT) -> list[Listed]:
    """Members overdue, extended, or overdue longer than OVERDUE_SUSPENSION_DAYS ("suspension"),
    the longest waiting first (at most `limit`; None for all)."""
    rows = standings(user, on).subquery()
    wanted = ReportingStanding.OVERDUE if kind == "suspension" else ReportingStanding(kind)
    due = func.coalesce(rows.c.extended, due_of(rows.c.year, on))
    query = (
        select(Company, rows.c.year, due)
        .join(rows, rows.c.company_id == Company.id)
        .where(rows.c.kind == wanted.value)
        .order_by(due, Company.id)
        .limit(limit)
    )
    if kind == "suspension":
        days = current_app.config["OVERDUE_SUSPENSION_DAYS"]
        # Suspended already: nothing left to decide.
        query = query.where(due < on - timedelta(days=days), Company.stored_stage == Stage.ACTIVE)
    return [entry(company, year, due, on) for company, year, due in db.session.execute(query)]


def entry(company: Company, year: int, due: date, on: date) -> Listed:
    return Listed(
        company.id,
        company.display_name,
        company.membership_number,
        company.hq_country,
        year,
        due,
        max((on - due).days, 0),
        company.is_suspended,
    )
