"""A member's public profile: who it is, where it operates, its standing, and what its accepted
reports show of the six criteria, year by year.

Only what the public may know: drafts and returned reports stay private; a year's report shows
when it was handed in and whether ECPAT accepted it. Training figures come from the latest
accepted report only (one under review may still change), as on the country pages; an extended
due date shows only where the public sees reporting standings at all (`shows_overdue`).
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.billing import services as billing
from tracker.companies.criteria import Criterion, criteria, explanation
from tracker.companies.models import Company, CompanySlug
from tracker.companies.publication import shows_overdue
from tracker.directory.search.listing import Listed, listed
from tracker.extensions import db
from tracker.reports import services as reports
from tracker.reports.content import coverage_of, current_total, percent, training_totals
from tracker.reports.models import Report, ReportState, ReportSubmission, ReviewOutcome
from tracker.reports.recognition import criteria_met
from tracker.reports.standing import ReportingStanding, Standing

REPORTING = 6  # the criterion met by an accepted report itself


@dataclass(frozen=True)
class YearReported:
    year: int
    submitted_at: datetime
    accepted_at: datetime | None


@dataclass(frozen=True)
class CriterionReported:
    criterion: Criterion
    year: int | None  # the latest year an accepted report showed it implemented

    @property
    def explanation(self) -> str:
        return explanation(self.criterion.number)


@dataclass(frozen=True)
class TrainingHeadline:
    """The headline training figures of one accepted report, counted as the report shows them."""

    year: int
    employees: int
    current: int | None  # currently trained
    coverage: float | None  # currently trained ÷ employees

    @property
    def coverage_text(self) -> str:
        return percent(self.coverage)


@dataclass(frozen=True)
class Profile:
    listed: Listed
    criteria: list[CriterionReported]
    history: list[YearReported]
    training: TrainingHeadline | None = None
    membership_year: int | None = None  # the membership year that makes it current
    extension: Standing | None = None  # an extended report, when the public sees standings

    @property
    def company(self) -> Company:
        return self.listed.company


def find(slug: str) -> tuple[Company | None, str | None]:
    """The company whose profile is at `slug`, or the slug a listed member moved to (renamed
    members); a company not listed now moved nowhere, as far as the public knows."""
    if len(slug) > Company.slug.type.length:  # no address is longer: nothing to look up
        return None, None
    company = db.session.scalar(
        select(Company).where(Company.slug == slug).options(selectinload(Company.operations))
    )
    if company is not None:
        return company, None
    moved = db.session.scalar(
        select(Company)
        .join(CompanySlug, CompanySlug.company_id == Company.id)
        .where(CompanySlug.slug == slug)
    )
    if moved is None or not moved.is_listed_publicly:
        return None, None
    return None, moved.slug


def profile_of(company: Company, on: date) -> Profile:
    (entry,) = listed([company.id], on)
    accepted = _accepted_contents(company)
    return Profile(
        listed=entry,
        criteria=_criteria(accepted),
        history=_history(company),
        training=_headline(accepted),
        membership_year=billing.current_year(company, on),
        extension=_extension(company, on),
    )


def _headline(accepted: dict[int, dict]) -> TrainingHeadline | None:
    """The latest accepted report's training totals; None before any report is accepted."""
    if not accepted:
        return None
    year = max(accepted)
    rows = accepted[year].get("training", [])
    employees, _trained = training_totals(rows)
    return TrainingHeadline(year, employees, current_total(rows), coverage_of(rows))


def _extension(company: Company, on: date) -> Standing | None:
    standing = reports.standing_for(company, on)
    if standing is None or standing.kind is not ReportingStanding.EXTENDED:
        return None
    return standing if shows_overdue() else None


def _accepted_contents(company: Company) -> dict[int, dict]:
    """Year -> the content of that year's accepted submission, newest year first."""
    rows = db.session.execute(
        select(Report.year, ReportSubmission.content)
        .join(ReportSubmission, ReportSubmission.report_id == Report.id)
        .where(
            Report.company_id == company.id,
            Report.state == ReportState.ACCEPTED,
            ReportSubmission.outcome == ReviewOutcome.ACCEPTED,
        )
        .order_by(Report.year.desc())
    )
    return dict(rows.all())


def _criteria(accepted: dict[int, dict]) -> list[CriterionReported]:
    latest: dict[int, int] = {}
    for year, content in accepted.items():  # newest first: the first year seen is the latest
        for number, met in criteria_met(content).items():
            if met:
                latest.setdefault(number, year)
    if accepted:
        latest[REPORTING] = max(accepted)
    return [CriterionReported(item, latest.get(item.number)) for item in criteria()]


def _history(company: Company) -> list[YearReported]:
    """Each year's report once handed in: when first submitted, and when accepted."""
    first_submitted = (
        select(ReportSubmission.submitted_at)
        .where(ReportSubmission.report_id == Report.id, ReportSubmission.number == 1)
        .scalar_subquery()
    )
    accepted_at = (
        select(ReportSubmission.decided_at)
        .where(
            ReportSubmission.report_id == Report.id,
            ReportSubmission.outcome == ReviewOutcome.ACCEPTED,
        )
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Report.year, first_submitted, accepted_at)
        .where(Report.company_id == company.id)
        .order_by(Report.year.desc())
    )
    return [
        YearReported(year, submitted, accepted)
        for year, submitted, accepted in rows
        if submitted is not None
    ]
