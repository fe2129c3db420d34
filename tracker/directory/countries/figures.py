"""Public figures per country: members by type of business, and staff-training coverage
(currently trained ÷ employees, with those trained in the year beside it).

A member is counted in every country where it operates (a chain with hotels in three countries
counts in each), once per country however many properties it has there. Only members listed
publicly count (`listing`: suspended, withdrawn and expelled companies do not). Training figures
come from accepted reports only: a report under review may still change.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import distinct, func, select

from tracker.companies.enums import CompanyType
from tracker.companies.models import Company
from tracker.companies.operations import Operation
from tracker.companies.queries import listed_publicly
from tracker.extensions import db
from tracker.page_cache import public_cached_value
from tracker.reports import services
from tracker.reports.models import Report, ReportState, TrainingRow

COVERAGE_YEARS = 5  # reporting years shown on a country's page, the last ended one included


@dataclass(frozen=True)
class CountryCount:
    """The members operating in one country, in all and by type of business."""

    code: str  # ISO 3166-1 alpha-2
    total: int
    by_type: Mapping[CompanyType, int]  # only types with members


@dataclass(frozen=True)
class YearCoverage:
    """Staff training in one country in one reporting year, as accepted reports give it."""

    year: int
    reports: int
    employees: int
    trained: int  # completed Code training in the year
    current: int  # currently trained: within the validity period (tracker/reports/training.py)

    @property
    def coverage(self) -> float | None:
        """Currently trained ÷ employees, as `TrainingRow.coverage` reads one row."""
        return self.current / self.employees if self.employees else None


def members_by_country() -> list[CountryCount]:
    """Every country with members, by code; kept until the data changes (every public page of
    countries, and the API, ask for the same figures)."""
    return public_cached_value("members_by_country", (), _members_by_country)


def _members_by_country() -> list[CountryCount]:
    # One pass over the operations of listed members, grouped by country and type.
    query = (
        select(Operation.country_code, Company.type, func.count(distinct(Operation.company_id)))
        .join(Company, Company.id == Operation.company_id)
        .where(listed_publicly())
        .group_by(Operation.country_code, Company.type)
    )
    counts: dict[str, dict[CompanyType, int]] = {}
    for code, company_type, count in db.session.execute(query):
        counts.setdefault(code, {})[company_type] = count
    # A company has one type: the counts by type add up to the members, none counted twice.
    return [
        CountryCount(code, sum(by_type.values()), by_type)
        for code, by_type in sorted(counts.items())
    ]


def types_with_members(countries: list[CountryCount]) -> list[CompanyType]:
    """The types of business that have members anywhere, in the order CompanyType lists them."""
    present = {company_type for country in countries for company_type in country.by_type}
    return [company_type for company_type in CompanyType if company_type in present]


def coverage_years(on: date) -> list[int]:
    """The last COVERAGE_YEARS reporting years that have ended on `on`, oldest first."""
    last = services.reporting_calendar().containing(on).year - 1
    return list(range(last - COVERAGE_YEARS + 1, last + 1))


def training_coverage(country: str, on: date) -> list[YearCoverage]:
    """Staff trained in `country` per reporting year, from today's members' accepted reports;
    only years with figures, oldest first."""
    years = coverage_years(on)
    return public_cached_value(
        "training_coverage_current", (country, *years), lambda: _coverage(country, years)
    )


def _coverage(country: str, years: list[int]) -> list[YearCoverage]:
    current = TrainingRow.currently_trained_sql()
    query = (
        select(
            Report.year,
            func.count(distinct(Report.id)),
            func.sum(TrainingRow.employees),
            func.sum(TrainingRow.trained),
            func.sum(current),
        )
        .join(Report, TrainingRow.report_id == Report.id)
        .where(
            TrainingRow.country_code == country,
            TrainingRow.employees.is_not(None),
            current.is_not(None),
            Report.year.in_(years),
            Report.state == ReportState.ACCEPTED,
            Report.company_id.in_(select(Company.id).where(listed_publicly())),
        )
        .group_by(Report.year)
        .order_by(Report.year)
    )
    return [
        YearCoverage(year, reports, employees or 0, trained or 0, current or 0)
        for year, reports, employees, trained, current in db.session.execute(query)
    ]
