"""What a company does next about reporting, for the top of its dashboard: the report to write
now (or when the next one opens), the reports ECPAT returned, and whether it may read the
report's questions ahead of its first report.

Dates come from the member's standing and `services.due_dates`, the one place extensions are
applied; nothing here re-derives a due date.
"""

from dataclasses import dataclass
from datetime import date

from tracker.companies.models import Company
from tracker.reports import services
from tracker.reports.models import Report, Section
from tracker.reports.standing import DueDate, Standing, next_year


@dataclass(frozen=True)
class NextStep:
    """The report a member works on next: one owed (its year ended), else the year in
    progress, whose draft may start early. `days_left` counts to its due date, `days_overdue`
    past it; `opens_on` is set instead when the member's first reporting year has not begun.
    `report` is the report already started, if any."""

    year: int
    due: DueDate
    report: Report | None
    opens_on: date | None = None
    days_left: int = 0
    days_overdue: int = 0
    has_previous: bool = False  # a report for the year before, to start from
    in_progress: bool = False  # its year has not ended: a draft now, submitted after the year

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def may_start(self) -> bool:
        return self.opens_on is None and self.report is None

    @property
    def may_continue(self) -> bool:
        return self.report is not None and self.report.is_editable


@dataclass(frozen=True)
class ReturnedReport:
    """A report ECPAT returned for changes, with the reviewer's comments."""

    report: Report
    comment: str | None
    comments: tuple[tuple[Section, str], ...]  # per section, in the report's order


def next_step_of(company: Company, standing: Standing | None, on: date) -> NextStep | None:
    """The member's next report on `on`, from its `standing` (`services.standing_for`); None
    for a company that does not report."""
    if standing is None:
        return None
    reports = {report.year: report for report in services.reports_of(company)}
    if standing.kind.is_owed:
        year, due = standing.year, DueDate(standing.due, standing.extended_from)
    else:
        upcoming = next_year(services.joined_on(company), on, services.reporting_calendar())
        year, due = upcoming.year, services.due_dates(company, [upcoming])[upcoming.year]
        if upcoming.year not in {open_.year for open_ in services.open_years(company, on)}:
            return NextStep(year, due, None, opens_on=upcoming.start)
    return NextStep(
        year=year,
        due=due,
        report=reports.get(year),
        days_left=max((due.on - on).days, 0),
        days_overdue=standing.days_overdue,  # 0 unless overdue
        has_previous=year - 1 in reports,
        in_progress=not standing.kind.is_owed,
    )


def returned_reports(company: Company) -> list[ReturnedReport]:
    """The company's reports ECPAT returned for changes, oldest year first."""
    return [
        ReturnedReport(
            report,
            report.latest_submission.comment if report.latest_submission else None,
            tuple(
                (section, text)
                for section in Section
                if (text := services.returned_comments(report).get(section.value))
            ),
        )
        for report in reversed(services.reports_of(company))
        if report.is_returned
    ]


def may_read_questions(company: Company) -> bool:
    """Whether the company's people may read the report's questions: once ECPAT approved its
    application, so it can prepare its first report while it plans, pays and signs."""
    return company.may_sign or company.has_membership
