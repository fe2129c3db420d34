"""Annual reports: start, save a draft, submit, return, accept. They flush; views commit.

Every rule about a report is enforced here, whatever form or command calls in.
"""

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker import audit
from tracker.audit import AuditAction
from tracker.auth.models import Decision, User
from tracker.companies.enums import Stage
from tracker.companies.models import Company
from tracker.decisions import may_decide
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.reports import lifecycle, position  # noqa: F401 (position keeps its hooks)
from tracker.reports.completeness import missing_answers
from tracker.reports.content import row_key, snapshot
from tracker.reports.models import (
    NOT_APPLICABLE_SECTIONS,
    Report,
    ReportExtension,
    ReportState,
    ReportSubmission,
    ReviewOutcome,
    Section,
    TrainingRow,
    TravellerChannel,
    not_applicable_field,
)
from tracker.reports.periods import ReportingCalendar, ReportingYear
from tracker.reports.standing import DueDate, Standing, due_date, standing_of
from tracker.reports.training import GROUP_COUNTS, TRAINED_THIS_YEAR, StaffGroup

# Members report; a suspended member too (reporting is how it gets reinstated).
REPORTING_STAGES = frozenset({Stage.ACTIVE, Stage.SUSPENDED})
MAX_COUNT = 10_000_000  # employees, contracts, cases: larger numbers are typing mistakes
MAX_HOURS = 1_000


def reporting_calendar() -> ReportingCalendar:
    return ReportingCalendar.from_config(current_app.config)


def today() -> date:
    return utcnow().date()


@dataclass(frozen=True)
class GroupInput:
    """One staff group's figures in one training row, as typed (None: not given)."""

    staff_group: StaffGroup
    employees: int | None = None
    new_in_person: int | None = None
    new_e_learning: int | None = None
    refresher_in_person: int | None = None
    refresher_e_learning: int | None = None
    current: int | None = None

    @property
    def trained(self) -> int:
        """Trained this year, blanks read as 0 (what `current` may not be below)."""
        return sum(getattr(self, name) or 0 for name in TRAINED_THIS_YEAR)

    @property
    def is_blank(self) -> bool:
        return all(getattr(self, name) is None for name in GROUP_COUNTS)


@dataclass(frozen=True)
class TrainingInput:
    """One training row: its staff groups' figures and the hours per person. The format is
    never typed: `TrainingRow.add_up` derives it from the groups."""

    row_id: int
    groups: tuple[GroupInput, ...] = ()
    hours: float | None = None


@dataclass(frozen=True)
class Answers:
    """Everything a draft save may change (the policy document has its own upload)."""

    policy_adopted: bool | None = None
    policy_adopted_on: date | None = None
    policy_focal_person: str | None = None
    policy_focal_person_role: str | None = None
    policy_reporting_procedure: str | None = None
    policy_board_approved_on: date | None = None
    contracts_total: int | None = None
    contracts_with_clause: int | None = None
    traveller_channels: tuple[str, ...] = ()
    travellers_text: str | None = None
    stakeholder_organisations: str | None = None
    stakeholder_activities: str | None = None
    cases_reported: int | None = None
    cases_text: str | None = None
    # "Not applicable, because ...": the reason per section; None where the criterion applies.
    policy_na_reason: str | None = None
    training_na_reason: str | None = None
    contracts_na_reason: str | None = None
    travellers_na_reason: str | None = None
    stakeholders_na_reason: str | None = None
    # The sections the member ticked "not applicable" for: each needs its reason.
    not_applicable: frozenset[Section] = frozenset()
    training: tuple[TrainingInput, ...] = field(default_factory=tuple)


# The answers that are columns of Report under the same name.
ANSWER_COLUMNS = tuple(
    name for name in Answers.__dataclass_fields__ if name not in ("training", "not_applicable")
)


def answers_of(report: Report, **changes) -> Answers:
    """The report's answers as they stand (its "not applicable" boxes too), with `changes`."""
    kept = {name: getattr(report, name) for name in ANSWER_COLUMNS}
    kept["traveller_channels"] = tuple(report.traveller_channels or ())
    kept["not_applicable"] = frozenset(
        section for section in NOT_APPLICABLE_SECTIONS if report.is_not_applicable(section)
    )
    return Answers(**(kept | changes))


class ReportConflict(Exception):
    """The report changed after the person saving it loaded it: nothing was saved."""

    def __init__(self, report: Report):
        super().__init__(f"report {report.id} changed (now version {report.version})")
        self.report = report


# -- Which reports a company writes ------------------------------------------------------------


def is_reporting(company: Company) -> bool:
    return company.stage in REPORTING_STAGES


def require_reporting(company: Company) -> None:
    """:raises DomainError: for a company that has left The Code (its reports stay on record)."""
    if not is_reporting(company):
        raise DomainError.on(None, _("Only members of The Code report."))


def joined_on(company: Company) -> date:
    return company.joined_at.date()


def open_years(company: Company, on: date) -> list[ReportingYear]:
    """The years a member may write a report for on `on`: each ended year it owes, and the
    year in progress (a draft may start early; it is submitted once the year has ended)."""
    if not is_reporting(company):
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
    if not is_reporting(company):
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


# -- Drafts -----------------------------------------------------------------------------------


def start_report(
    company: Company, year: int, user: User, on: date, from_last_year: bool = False
) -> Report:
    """The company's report for `year`, started now if it has none; `from_last_year` copies
    the answers of the year before (when there is one) into the new draft.

    :raises DomainError: for a year the company does not report on (yet).
    """
    existing = report_for(company, year)
    if existing is not None:
        return existing
    if year not in {y.year for y in open_years(company, on)}:
        raise DomainError.on(None, _("There is no report to write for %(year)s.", year=year))
    report = Report(company=company, year=year, state=ReportState.DRAFT, updated_by=user)
    report.training = training_rows(company)
    previous = report_for(company, year - 1) if from_last_year else None
    if previous is not None:
        copy_answers(previous, report)
    db.session.add(report)
    db.session.flush()
    return report


def load_training(report: Report) -> list[TrainingRow]:
    """The report's training rows with their staff groups in two queries, not one per row (a
    chain's 2,000 rows read one by one took seconds)."""
    query = (
        select(TrainingRow)
        .where(TrainingRow.report_id == report.id)
        .options(selectinload(TrainingRow.groups))
    )
    db.session.scalars(query).all()
    return report.training


def training_rows(company: Company) -> list[TrainingRow]:
    """One row per property for hotels, one per country of operation for everyone else."""
    if company.type.has_properties:
        seen, rows = set(), []
        for operation in company.operations:
            row = TrainingRow(
                country_code=operation.country_code,
                property_name=operation.property_name,
                city=operation.city,
            )
            key = row_key({"country_code": row.country_code, "property_name": row.property_name})
            if key not in seen:
                seen.add(key)
                rows.append(row)
        return rows
    return [TrainingRow(country_code=code) for code in company.country_codes]


def copy_answers(source: Report, target: Report) -> None:
    """Last year's answers into a new draft; its training numbers where the row still exists."""
    for name in (
        "policy_adopted",
        "policy_adopted_on",
        "policy_focal_person",
        "policy_focal_person_role",
        "policy_reporting_procedure",
        "policy_board_approved_on",
        *(not_applicable_field(section) for section in NOT_APPLICABLE_SECTIONS),
        "policy_document",
        "policy_document_name",
        "policy_document_size",
        "contracts_total",
        "contracts_with_clause",
        "travellers_text",
        "stakeholder_organisations",
        "stakeholder_activities",
    ):
        setattr(target, name, getattr(source, name))
    target.traveller_channels = list(source.traveller_channels or [])
    before = {row_key(_row_dict(row)): row for row in source.training}
    for row in target.training:
        old = before.get(row_key(_row_dict(row)))
        if old is not None:
            copy_training(old, row)


def copy_training(old: TrainingRow, row: TrainingRow) -> None:
    """Last year's staff and currently trained per group, and the hours: this year's training
    starts blank (who is trained this year is new each year). A row from before staff groups
    has no group figures to carry, only its hours."""
    row.hours = old.hours
    for before in old.groups:
        if before.employees is not None or before.current is not None:
            group = row.group(before.staff_group)
            group.employees, group.current = before.employees, before.current
    if row.groups:
        row.add_up()


def _row_dict(row: TrainingRow) -> dict:
    return {"country_code": row.country_code, "property_name": row.property_name}


def set_training(row: TrainingRow, given: TrainingInput) -> None:
    """The row's staff groups and hours as given; its totals and format added up from them.
    A row from before staff groups (totals, no groups) keeps its totals until a group figure
    is typed."""
    row.hours = given.hours
    for typed in given.groups:
        if typed.is_blank and typed.staff_group not in {g.staff_group for g in row.groups}:
            continue  # nothing to keep: no empty group rows
        group = row.group(typed.staff_group)
        for name in GROUP_COUNTS:
            setattr(group, name, getattr(typed, name))
    if row.groups:
        row.add_up()


def training_input_of(row: TrainingRow) -> TrainingInput:
    """The row as it stands, as an input that saves it unchanged."""
    groups = tuple(
        GroupInput(group.staff_group, **{name: getattr(group, name) for name in GROUP_COUNTS})
        for group in row.groups
    )
    return TrainingInput(row.id, groups, row.hours)


def check_version(report: Report, seen_version: int) -> None:
    """:raises ReportConflict: if the report changed since the caller read version `seen`."""
    if seen_version != report.version:
        raise ReportConflict(report)


def save_draft(report: Report, answers: Answers, user: User, seen_version: int) -> None:
    """Save what the company typed so far; anything may still be missing.

    :raises ReportConflict: if someone saved the report after version `seen_version`.
    :raises DomainError: for a report that is not editable, or answers that break a rule.
    """
    require_reporting(report.company)
    if not report.is_editable:
        raise DomainError.on(None, _("This report is submitted and can no longer be changed."))
    check_version(report, seen_version)
    errors = answer_errors(report, answers)
    if errors:
        raise DomainError(*errors)
    for name in ANSWER_COLUMNS:
        setattr(report, name, getattr(answers, name))
    for section in NOT_APPLICABLE_SECTIONS:  # a reason without the box ticked is not kept
        if section not in answers.not_applicable:
            setattr(report, not_applicable_field(section), None)
    report.traveller_channels = list(answers.traveller_channels)
    rows = {row.id: row for row in report.training}
    for given in answers.training:
        set_training(rows[given.row_id], given)
    # Always touch the report itself: its version then moves even when only rows changed.
    report.updated_at = utcnow()
    report.updated_by = user
    db.session.flush()


def answer_errors(
    report: Report, answers: Answers, refused: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """The rules every save keeps, as (form field, message) pairs.

    `refused` names the form fields the form itself refused (unreadable or out of range, each
    with its own message already): a rule comparing such a field with another is left out,
    since it would compare a value the person must retype anyway (or a blank never left).
    """
    errors = []
    for name in ("policy_adopted_on", "policy_board_approved_on"):
        if getattr(answers, name) is not None and getattr(answers, name) > today():
            errors.append((name, _("The date cannot be in the future.")))
    for section in answers.not_applicable:
        name = not_applicable_field(section)
        if not section.may_be_not_applicable:
            errors.append((None, _("Only criteria 1 to 5 may be not applicable.")))
        elif not (getattr(answers, name) or "").strip():
            errors.append((name, _("Say why this criterion does not apply to your company.")))
    if not _in_range(answers.contracts_total) or not _in_range(answers.contracts_with_clause):
        errors.append(("contracts_total", _("Give a whole number from 0 to 10,000,000.")))
    elif refused & {"contracts_total", "contracts_with_clause"}:
        pass  # compared once both are readable
    elif (answers.contracts_with_clause or 0) > (answers.contracts_total or 0):
        errors.append(
            ("contracts_with_clause", _("This cannot be more than the number of contracts."))
        )
    if not _in_range(answers.cases_reported):
        errors.append(("cases_reported", _("Give a whole number from 0 to 10,000,000.")))
    unknown = set(answers.traveller_channels) - {c.value for c in TravellerChannel}
    if unknown:
        errors.append(("traveller_channels", _("Choose from the list.")))
    return errors + _training_errors(report, answers.training, refused)


def _training_errors(
    report: Report, training: tuple[TrainingInput, ...], refused: frozenset[str] = frozenset()
) -> list:
    ids = [row.id for row in report.training]
    if sorted(given.row_id for given in training) != sorted(ids) or any(
        len({g.staff_group for g in given.groups}) != len(given.groups) for given in training
    ):
        # Rows come from the report itself; another list means the page was not ours (or old).
        return [(None, _("The training rows on this page are out of date. Reload the page."))]
    errors = []
    for index, given in enumerate(training):
        prefix = f"training-{index}-"
        for number, group in enumerate(given.groups):
            group_prefix = f"{prefix}groups-{number}-"
            if not any(name.startswith(group_prefix) for name in refused):
                errors += group_errors(group, group_prefix)
        if given.hours is not None and not 0 <= given.hours <= MAX_HOURS:
            errors.append((prefix + "hours", _("Give a number of hours from 0 to 1,000.")))
    return errors


def group_errors(group: GroupInput, prefix: str) -> list[tuple[str, str]]:
    """One staff group's figures against the rules of `TrainingGroup`'s constraints, each
    message on the field it concerns (`prefix` + the count's name)."""
    out_of_range = [name for name in GROUP_COUNTS if not _in_range(getattr(group, name))]
    if out_of_range:
        message = _("Give a whole number from 0 to 10,000,000.")
        return [(prefix + name, message) for name in out_of_range]
    errors = []
    employees = group.employees or 0
    if group.trained > employees:
        errors.append((prefix + "employees", _("Trained people cannot outnumber employees.")))
    if group.current is not None and group.current > employees:
        message = _("Currently trained people cannot outnumber employees.")
        errors.append((prefix + "current", message))
    elif group.current is not None and group.current < group.trained:
        message = _(
            "Everyone trained this year is currently trained: at least %(num)d.",
            num=group.trained,
        )
        errors.append((prefix + "current", message))
    return errors


def _in_range(number: int | None) -> bool:
    return number is None or 0 <= number <= MAX_COUNT


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
