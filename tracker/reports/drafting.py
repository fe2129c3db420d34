"""Writing a report: start it (its training rows, last year's answers), save a draft.
They flush; views commit."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.auth.models import User
from tracker.companies.models import Company
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.reports.content import row_key
from tracker.reports.inputs import ANSWER_COLUMNS, Answers, GroupInput, TrainingInput, answer_errors
from tracker.reports.models import (
    NOT_APPLICABLE_SECTIONS,
    Report,
    ReportState,
    TrainingRow,
    not_applicable_field,
)
from tracker.reports.services import check_version, open_years, report_for, require_reporting
from tracker.reports.training import GROUP_COUNTS


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
