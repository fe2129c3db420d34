"""Annual reports: which years a member reports on and when each is due; submit, return,
accept; extensions. They flush; views commit.

Every rule about a report is enforced in this module, drafting.py (start, save a draft) and
inputs.py (the rules every save keeps), whatever form or command calls in.
"""

from datetime import date

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from tracker import audit
from tracker.audit import AuditAction
from tracker.auth.decisions import may_decide
from tracker.auth.models import Decision, User
from tracker.companies.models import Company
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.reports import lifecycle
from tracker.reports.completeness import missing_answers
from tracker.reports.content import snapshot
from tracker.reports.models import (
    Report,
    ReportExtension,
    ReportState,
    ReportSubmission,
    ReviewOutcome,
    Section,
)
from tracker.reports.periods import ReportingCalendar, ReportingYear
from tracker.reports.standing import DueDate, Standing, due_date, standing_of


def reporting_calendar() -> ReportingCalendar:
    return ReportingCalendar.from_config(current_app.config)


def today() -> date:
    return utcnow().date()


class ReportConflict(Exception):
    """The report changed after the person saving it loaded it: nothing was saved."""

    def __init__(self, report: Report):
        super().__init__(f"report {report.id} changed (now version {report.version})")
        self.report = report


# -- Which reports a company writes ------------------------------------------------------------


def require_reporting(company: Company) -> None:
    """:raises DomainError: for a company that has left The Code (its reports stay on record)."""
    if not company.is_reporting_member:
        raise DomainError.on(None, _("Only members of The Code report."))


def joined_on(company: Company) -> date:
    return company.joined_at.date()


def open_years(company: Company, on: date) -> list[ReportingYear]:
    """The years a member may write a report for on `on`: each ended year it owes, and the
    year in progress (a draft may start early; it is submitted once the year has ended)."""
    if not company.is_reporting_member:
        return []
    calendar = reporting_calendar()
    years = calendar.ended_years(joined_on(company), on)
    current = calendar.containing(on)
    if current.start >= calendar.first_full_year(joined_on(company)).start:
        years.append(current)
    return years


def reports_of(company: Company) -> list[Report]:
    """The company's reports, newest year first."""
    query = select(Report).where(Report.company_id == company.id).order_by(Report.year.desc())
    return list(db.session.scalars(query))


def report_for(company: Company, year: int) -> Report | None:
    query = select(Report).where(Report.company_id == company.id, Report.year == year)
    return db.session.scalar(query)


def standing_for(company: Company, on: date) -> Standing | None:
    """The member's reporting standing on `on`; None for a company that does not report."""
    if not company.is_reporting_member:
        return None
    states = {
        year: state
        for year, state in db.session.execute(
            select(Report.year, Report.state).where(Report.company_id == company.id)
        )
    }
    return standing_of(joined_on(company), on, reporting_calendar(), states, extensions_of(company))


def extensions_of(company: Company) -> dict[int, date]:
    """The company's extended due dates by reporting year."""
    query = select(ReportExtension.year, ReportExtension.due_on).where(
        ReportExtension.company_id == company.id
    )
    return {year: due_on for year, due_on in db.session.execute(query)}


def due_dates(company: Company, years: list[ReportingYear]) -> dict[int, DueDate]:
    """When each of `years`' reports is due, extensions applied (`standing.due_date`): the one
    rule every page showing a report's due date uses."""
    extensions = extensions_of(company)
    return {year.year: due_date(year, extensions) for year in years}


def due_date_of(report: Report) -> DueDate:
    """When `report` is due, extensions applied."""
    year = reporting_calendar().year(report.year)
    return due_dates(report.company, [year])[report.year]


def check_version(report: Report, seen_version: int) -> None:
    """:raises ReportConflict: if the report changed since the caller read version `seen`."""
    if seen_version != report.version:
        raise ReportConflict(report)


# -- Submitting and reviewing ---------------------------------------------------------------


def submit_report(report: Report, user: User, seen_version: int, on: date) -> ReportSubmission:
    """Lock the report and hand it to ECPAT: it becomes a new version on record.

    :raises ReportConflict: if someone saved the report after version `seen_version`.
    :raises DomainError: before the year has ended, or while answers are missing.
    """
    require_reporting(report.company)
    check_version(report, seen_version)
    year = reporting_calendar().year(report.year)
    if on <= year.end:
        raise DomainError.on(
            None,
            _(
                "The %(year)s report can be submitted once the year has ended.",
                year=report.year,
            ),
        )
    missing = missing_answers(report)
    if missing:
        raise DomainError(*((None, message) for _section, message in missing))
    action = (
        AuditAction.REPORT_RESUBMITTED
        if report.state is ReportState.RETURNED
        else AuditAction.REPORT_SUBMITTED
    )
    submission = ReportSubmission(
        report=report,
        number=len(report.submissions) + 1,
        submitted_by_id=user.id,
        content=snapshot(report),
        # The file as submitted: reviewers of this version get it, whatever the draft gets later.
        policy_document=report.policy_document,
    )
    report.submitted_at = utcnow()
    db.session.add(submission)
    lifecycle.transition(report, action, user, submission=submission.number)
    return submission


def return_report(
    report: Report, staff: User, comments: dict[Section, str], comment: str, seen_version: int
) -> None:
    """Send the report back with a comment on each section that needs changes.

    :raises DomainError: without a comment on any section, or for a report not under review.
    """
    check_version(report, seen_version)
    comments = {section: text.strip() for section, text in comments.items() if text.strip()}
    if not comments:
        raise DomainError.on(None, _("Say what needs changing in at least one section."))
    _decide(report, staff, ReviewOutcome.RETURNED, comment, comments)
    lifecycle.transition(
        report,
        AuditAction.REPORT_RETURNED,
        staff,
        comment=comment.strip() or None,
        sections=[section.value for section in comments],
    )


def accept_report(report: Report, staff: User, comment: str, seen_version: int) -> None:
    """:raises DomainError: for a report not under review, or staff who may not see it."""
    check_version(report, seen_version)
    _decide(report, staff, ReviewOutcome.ACCEPTED, comment, {})
    lifecycle.transition(
        report, AuditAction.REPORT_ACCEPTED, staff, comment=comment.strip() or None
    )


def _decide(report, staff, outcome, comment: str, comments: dict[Section, str]) -> None:
    submission = report.latest_submission
    if report.state is not ReportState.SUBMITTED or submission is None:
        raise DomainError.on(None, _("This report is not waiting for a decision."))
    submission.outcome = outcome
    submission.decided_at = utcnow()
    submission.decided_by_id = staff.id
    submission.comment = comment.strip() or None
    submission.comments = {section.value: text for section, text in comments.items()}


def returned_comments(report: Report) -> dict[str, str]:
    """The reviewer's comments per section on a returned report, for the company to act on."""
    submission = report.latest_submission
    if report.state is not ReportState.RETURNED or submission is None:
        return {}
    return dict(submission.comments or {})


# -- Extensions -------------------------------------------------------------------------------


def grant_extension(
    company: Company, year: int, due_on: date, reason: str, staff: User, on: date
) -> ReportExtension:
    """Give a member a later due date for one year's report (or move an extension again).

    :raises DomainError: without a reason, for a date not after the normal due date, in the
        past or after the latest an extension may reach, or for a year the member does not owe
        a report for, or a representative (ECPAT staff set due dates).
    """
    if not may_decide(staff, Decision.GRANT_EXTENSION):
        raise DomainError.on(None, _("Only ECPAT staff may take this decision."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError.on("reason", _("Give the reason for the later date."))
    owed = {y.year: y for y in open_years(company, on)}
    if year not in owed:
        raise DomainError.on("year", _("The member owes no report for %(year)s.", year=year))
    if due_on <= owed[year].due or due_on < on:
        raise DomainError.on(
            "due_on", _("Choose a date after the normal due date and not in the past.")
        )
    if due_on > owed[year].latest_extension:
        latest = format_date(owed[year].latest_extension, "long")
        message = _("An extension may run until %(date)s at the latest.", date=latest)
        raise DomainError.on("due_on", message)
    extension = db.session.scalar(
        select(ReportExtension).where(
            ReportExtension.company_id == company.id, ReportExtension.year == year
        )
    )
    before = extension.due_on.isoformat() if extension else None
    if extension is None:
        extension = ReportExtension(company_id=company.id, year=year)
    extension.due_on, extension.reason, extension.granted_by_id = due_on, reason, staff.id
    extension.granted_at = utcnow()
    db.session.add(extension)
    db.session.flush()
    audit.record(
        AuditAction.REPORT_EXTENSION_GRANTED,
        actor=staff,
        company=company,
        comment=reason,
        year=year,
        changes={"due_on": [before or owed[year].due.isoformat(), due_on.isoformat()]},
    )
    return extension
