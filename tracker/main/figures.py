"""The home page's live figures: members, the countries they work in, staff trained.

Each figure is one aggregate query, and all of them are kept until the data changes
(`page_cache.public_cached_value`): every visitor to the home page sees the same numbers, and a new
member, a change of countries or an accepted report moves the public data version.
"""

from dataclasses import dataclass

from sqlalchemy import distinct, func, select

from tracker.companies.models import Company
from tracker.companies.operations import Operation
from tracker.companies.queries import publicly_listed
from tracker.extensions import db
from tracker.page_cache import public_cached_value
from tracker.reports import services
from tracker.reports.models import Report, ReportState, TrainingRow

TOP_COUNTRIES = 8


@dataclass(frozen=True)
class HomeFigures:
    members: int
    countries: int  # where members operate, each once
    top_countries: tuple[tuple[str, int], ...]  # (code, members), most members first
    year: int  # the last reporting year that has ended
    trained: int  # staff trained in it, by accepted reports
    current: int  # staff currently trained at its end (within the validity period), by them


def home_figures() -> HomeFigures:
    """The figures, counted once per data version (and per reporting year, which the day moves)."""
    year = last_ended_year()
    # Named for the figures' shape: a cache shared across a release never serves an older one.
    return public_cached_value("home-figures-current", (year,), lambda: count_figures(year))


def last_ended_year() -> int:
    return services.reporting_calendar().containing(services.today()).year - 1


def count_figures(year: int) -> HomeFigures:
    countries = members_per_country()
    return HomeFigures(
        members=member_count(),
        countries=len(countries),
        top_countries=tuple(countries[:TOP_COUNTRIES]),
        year=year,
        **training_in(year),
    )


def member_count() -> int:
    return db.session.scalar(publicly_listed().with_only_columns(func.count(Company.id)))


def members_per_country() -> list[tuple[str, int]]:
    """(country, members operating there) for every country with a member, most first; a chain
    with many properties in one country counts once there."""
    members = publicly_listed().with_only_columns(Company.id)
    count = func.count(distinct(Operation.company_id))
    query = (
        select(Operation.country_code, count)
        .where(Operation.company_id.in_(members))
        .group_by(Operation.country_code)
        .order_by(count.desc(), Operation.country_code)
    )
    return [(code, members) for code, members in db.session.execute(query)]


def training_in(year: int) -> dict[str, int]:
    """Staff trained in `year`, and currently trained at its end (as `TrainingRow.coverage`
    counts them), by the reports ECPAT accepted: one query. Unlike the staff dashboard (which
    counts reports handed in, to follow reporting), a public figure counts only checked ones;
    and a company that has left since still trained those people, so its report counts."""
    query = (
        select(
            func.coalesce(func.sum(TrainingRow.trained), 0),
            func.coalesce(func.sum(TrainingRow.currently_trained_sql()), 0),
        )
        .join(Report, TrainingRow.report_id == Report.id)
        .where(Report.year == year, Report.state == ReportState.ACCEPTED)
    )
    trained, current = db.session.execute(query).one()
    return {"trained": trained, "current": current}
