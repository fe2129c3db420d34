"""The staff dashboard's figures: members by standing, country and type; reporting rate and
training coverage (currently trained ÷ employees) per year, per country and per staff group;
the lists of overdue, extended and to-be-suspended members; fees per membership year, plans
waiting for review, and how many accepted reports show each criterion implemented. Everything
is counted in the database, for the companies the staff member may see.

One scoping rule: every figure counts the companies `queries.visible_to` lets the user see, and
nothing else narrows them. A representative's figures therefore include the members assigned
to its organisation wherever they operate (their countries appear by country) and leave out
the unassigned members outside its countries; filtering rows by the representative's countries
as well would drop its assigned members abroad."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import Select, and_, distinct, func, select, true

from tracker.auth.models import User
from tracker.billing.models import Invoice, InvoiceState
from tracker.companies.enums import CompanyType, Standing
from tracker.companies.models import Company, Membership
from tracker.companies.operations import Operation
from tracker.companies.queries import membership_reporting, visible_to
from tracker.extensions import db
from tracker.plans.models import Plan, PlanState
from tracker.reports import implementation, services
from tracker.reports.models import Report, ReportState, TrainingRow
from tracker.reports.standing import HANDED_IN, ReportingStanding
from tracker.reports.standing_query import FIRST_YEAR, due_of, standings, visible
from tracker.reports.training import StaffGroup, TrainingGroup

YEARS_SHOWN = 5
LIST_LIMIT = 50


@dataclass(frozen=True)
class YearFigures:
    year: int
    owed: int  # members who owed a report for the year
    handed_in: int  # of them, those who handed it in
    employees: int
    trained: int  # completed Code training in the year
    current: int  # currently trained (`TrainingRow.currently_trained`)

    @property
    def rate(self) -> float | None:
        return self.handed_in / self.owed if self.owed else None

    @property
    def coverage(self) -> float | None:
        """Currently trained ÷ employees, as every page counts coverage."""
        return self.current / self.employees if self.employees else None


@dataclass(frozen=True)
class GroupFigures:
    """One staff group's training in the reports handed in for a year."""

    staff_group: StaffGroup
    employees: int
    current: int

    @property
    def coverage(self) -> float | None:
        return self.current / self.employees if self.employees else None


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


@dataclass(frozen=True)
class Money:
    """How many invoices, and their amount in whole units of one currency."""

    count: int = 0
    amount: int = 0


@dataclass(frozen=True)
class FeeFigures:
    """The invoices of one membership year in one currency (cancelled ones are not counted)."""

    year: int
    currency: str
    invoiced: Money
    paid: Money
    waived: Money
    overdue: Money  # awaiting payment past their due date (`Invoice.is_overdue`)


@dataclass(frozen=True)
class ImplementationFigures:
    """For the latest reporting year with accepted reports: how many were accepted, and how
    many of them show each criterion (1-5) implemented under the configured rule."""

    year: int
    accepted: int
    met: dict[int, int]

    def rate(self, criterion: int) -> float | None:
        return self.met.get(criterion, 0) / self.accepted if self.accepted else None


def members(user: User) -> Select:
    """The company ids of the members `user` may see."""
    return select(Membership.company_id).where(membership_reporting(), visible(user))


def by_country(user: User, on: date) -> list[tuple[str, int, int]]:
    """(country, members, of them overdue) for each country where a member `user` may see
    operates, most members first."""
    rows = standings(user, on).subquery()
    overdue = select(rows.c.company_id).where(rows.c.kind == ReportingStanding.OVERDUE.value)
    totals = _per_country(members(user))
    late = _per_country(overdue)
    result = [(code, count, late.get(code, 0)) for code, count in totals.items()]
    return sorted(result, key=lambda row: (-row[1], row[0]))


def _per_country(company_ids: Select) -> dict[str, int]:
    """How many of the companies operate in each country (each once: a chain has many
    properties in one), from the index of operations by country and company."""
    query = (
        select(Operation.country_code, func.count(distinct(Operation.company_id)))
        .where(Operation.company_id.in_(company_ids))
        .group_by(Operation.country_code)
    )
    return dict(tuple(row) for row in db.session.execute(query))


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
        YearFigures(y, owed.get(y, 0), handed.get(y, 0), *training.get(y, (0, 0, 0))) for y in shown
    ]
    # Years before anyone owed a report say nothing: start at the first that does.
    while figures and figures[0].owed == 0 and figures[0].handed_in == 0:
        figures.pop(0)
    return figures


def _owed_per_year(user: User, shown: list[int]) -> dict[int, int]:
    """Today's members whose first full year is at or before each year: those who joined on
    or before its first day. One pass over the members, a count per year."""
    calendar = services.reporting_calendar()
    joined = members(user).add_columns(Membership.joined_at).subquery()
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


def _training_per_year(user: User, shown: list[int]) -> dict[int, tuple[int, int, int]]:
    query = (
        select(
            Report.year,
            func.sum(TrainingRow.employees),
            func.sum(TrainingRow.trained),
            func.sum(TrainingRow.currently_trained_sql()),
        )
        .join(TrainingRow, TrainingRow.report_id == Report.id)
        .where(
            Report.year.in_(shown),
            Report.state.in_(HANDED_IN),
            Report.company_id.in_(members(user)),
        )
        .group_by(Report.year)
    )
    return {
        year: (emp or 0, trained or 0, current or 0)
        for year, emp, trained, current in db.session.execute(query)
    }


def coverage_by_country(user: User, year: int) -> list:
    """(country, employees, trained, currently trained) in the reports handed in for `year`,
    most employees first."""
    query = (
        select(
            TrainingRow.country_code,
            func.sum(TrainingRow.employees),
            func.sum(TrainingRow.trained),
            func.sum(TrainingRow.currently_trained_sql()),
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
    rows = [
        (code, emp or 0, trained or 0, current or 0)
        for code, emp, trained, current in db.session.execute(query)
    ]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def training_by_group(user: User, year: int) -> list[GroupFigures]:
    """Per staff group, employees and currently trained in the reports handed in for `year`,
    in StaffGroup's order; rows from before staff groups are in no group."""
    query = (
        select(
            TrainingGroup.staff_group,
            func.sum(func.coalesce(TrainingGroup.employees, 0)),
            func.sum(TrainingGroup.currently_trained_sql()),
        )
        .join(TrainingRow, TrainingGroup.training_id == TrainingRow.id)
        .join(Report, TrainingRow.report_id == Report.id)
        .where(
            Report.year == year,
            Report.state.in_(HANDED_IN),
            Report.company_id.in_(members(user)),
        )
        .group_by(TrainingGroup.staff_group)
    )
    found = {group: (emp or 0, current or 0) for group, emp, current in db.session.execute(query)}
    return [GroupFigures(group, *found[group]) for group in StaffGroup if group in found]


def lists(user: User, on: date, limit: int | None = LIST_LIMIT) -> dict[str, list[Listed]]:
    """The members overdue, extended, and overdue longer than OVERDUE_SUSPENSION_DAYS and not
    suspended yet ("suspension"), each the longest waiting first (at most `limit`; None for
    all). The overdue are read in that order only as far as both their lists need."""
    days = current_app.config["OVERDUE_SUSPENSION_DAYS"]
    found: dict[str, list[Listed]] = {"overdue": [], "extended": [], "suspension": []}
    for item in _in_due_order(user, on, ReportingStanding.OVERDUE):
        if limit is None or len(found["overdue"]) < limit:
            found["overdue"].append(item)
        if item.days_overdue > days and not item.suspended:  # suspended: nothing to decide
            found["suspension"].append(item)
        if limit is not None and min(len(found["overdue"]), len(found["suspension"])) >= limit:
            break
    for item in _in_due_order(user, on, ReportingStanding.EXTENDED):
        if limit is not None and len(found["extended"]) >= limit:
            break
        found["extended"].append(item)
    return {name: items[:limit] if limit is not None else items for name, items in found.items()}


def _in_due_order(user: User, on: date, kind: ReportingStanding) -> Iterator[Listed]:
    rows = standings(user, on).subquery()
    due = func.coalesce(rows.c.extended, due_of(rows.c.year, on))
    query = (
        select(
            Company.id,
            Company.display_name,
            Membership.number,
            Company.hq_country,
            Membership.standing,
            rows.c.year,
            due,
        )
        .join(rows, rows.c.company_id == Company.id)
        .join(Membership, Membership.company_id == Company.id)
        .where(rows.c.kind == kind.value)
        .order_by(due, Company.id)
    )
    result = db.session.execute(query)
    try:
        for company_id, name, number, hq, standing, year, due_on in result:
            days = max((on - due_on).days, 0)
            suspended = standing is Standing.SUSPENDED
            yield Listed(company_id, name, number, hq, year, due_on, days, suspended)
    finally:
        result.close()


def listed(user: User, on: date, kind: str, limit: int | None = LIST_LIMIT) -> list[Listed]:
    """One of the `lists`: "overdue", "extended" or "suspension"."""
    if kind not in ("overdue", "extended", "suspension"):
        raise ValueError(f"no list {kind!r}")
    return lists(user, on, limit)[kind]


def standing_by_type(user: User, on: date) -> dict[tuple[ReportingStanding, CompanyType], int]:
    """How many members of each type stand each way: the counts by standing and by type in
    one pass."""
    rows = standings(user, on).subquery()
    query = (
        select(rows.c.kind, Company.type, func.count())
        .join(Company, Company.id == rows.c.company_id)
        .group_by(rows.c.kind, Company.type)
    )
    return {
        (ReportingStanding(kind), kind_of_company): count
        for kind, kind_of_company, count in db.session.execute(query)
    }


def _companies(user: User):
    """The condition on a company id column for the companies `user` may see (applicants too:
    they are invoiced and plan before they are members); None when they see them all."""
    condition = visible_to(user)
    if condition.compare(true()):
        return None
    return select(Company.id).where(condition)


def fees(user: User, on: date) -> list[FeeFigures]:
    """Invoiced, paid, waived and overdue per membership year and currency, the latest year
    first, for the YEARS_SHOWN years up to the one after `on`'s (renewals are issued ahead)."""
    cancelled = Invoice.state == InvoiceState.CANCELLED
    paid = Invoice.state == InvoiceState.PAID
    waived = Invoice.state == InvoiceState.WAIVED
    overdue = Invoice.overdue_clause(on)

    def money(condition):
        return (
            func.count().filter(condition),
            func.coalesce(func.sum(Invoice.amount).filter(condition), 0),
        )

    query = (
        select(
            Invoice.year,
            Invoice.currency,
            *money(~cancelled),
            *money(paid),
            *money(waived),
            *money(overdue),
        )
        .where(Invoice.year.between(on.year - YEARS_SHOWN + 2, on.year + 1))
        .group_by(Invoice.year, Invoice.currency)
        .order_by(Invoice.year.desc(), Invoice.currency)
    )
    companies = _companies(user)
    if companies is not None:
        query = query.where(Invoice.company_id.in_(companies))
    result = []
    for year, currency, *counts in db.session.execute(query):
        amounts = [Money(int(counts[i]), int(counts[i + 1])) for i in range(0, 8, 2)]
        if amounts[0].count:
            result.append(FeeFigures(year, currency, *amounts))
    return result


def plans_pending(user: User) -> dict[PlanState, int]:
    """How many plans wait for review (submitted) and how many were returned to the company."""
    waiting = (PlanState.SUBMITTED, PlanState.RETURNED)
    query = select(Plan.state, func.count()).where(Plan.state.in_(waiting)).group_by(Plan.state)
    companies = _companies(user)
    if companies is not None:
        query = query.where(Plan.company_id.in_(companies))
    counts = dict.fromkeys(waiting, 0)
    counts.update((state, count) for state, count in db.session.execute(query))
    return counts


def implementation_rates(user: User) -> ImplementationFigures | None:
    """Per criterion, the accepted reports of the latest year with any (of today's members)
    that show it implemented, counted by the rule's SQL twin; None before any is accepted."""
    accepted = and_(Report.state == ReportState.ACCEPTED, Report.company_id.in_(members(user)))
    year = db.session.scalar(select(func.max(Report.year)).where(accepted))
    if year is None:
        return None
    conditions = implementation.criterion_implemented()
    counts = [func.count().filter(condition) for condition in conditions.values()]
    total, *met = db.session.execute(
        select(func.count(), *counts).where(accepted, Report.year == year)
    ).one()
    return ImplementationFigures(year, total, dict(zip(conditions, met, strict=True)))


def figures(user: User, on: date, year: int | None) -> dict:
    """Everything the dashboard shows, for `user` on `on`; coverage by country for `year`
    (the last ended year when that is not one of those shown)."""
    shown = years(user, on)
    coverage_year = year if year in {y.year for y in shown} else None
    if coverage_year is None and shown:
        coverage_year = shown[-1].year
    by_both = standing_by_type(user, on)
    counts = dict.fromkeys(ReportingStanding, 0)
    types: dict[CompanyType, list[int]] = {}
    for (kind, company_type), count in by_both.items():
        counts[kind] += count
        totals = types.setdefault(company_type, [0, 0])
        totals[0] += count
        totals[1] += count if kind is ReportingStanding.OVERDUE else 0
    return {
        "counts": counts,
        "by_type": sorted(((t, *n) for t, n in types.items()), key=lambda row: -row[1]),
        "by_country": by_country(user, on),
        "years": shown,
        "coverage_year": coverage_year,
        "coverage": coverage_by_country(user, coverage_year) if coverage_year else [],
        "by_group": training_by_group(user, coverage_year) if coverage_year else [],
        "lists": lists(user, on),
        "fees": fees(user, on),
        "plans": plans_pending(user),
        "implementation": implementation_rates(user),
    }
