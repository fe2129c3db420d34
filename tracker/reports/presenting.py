"""What report pages show: answers in words by section, training rows, last year beside them.

Every page reads answers as a snapshot dict (a live report's, a submitted version's, last
year's), so the preview, the printable report and the reviewer's page show the same thing.
"""

from dataclasses import dataclass

from tracker.reports import services
from tracker.reports.content import (
    FIELDS,
    coverage_of,
    current_total,
    groups_in_words,
    in_words,
    not_applicable,
    percent,
    row_in_words,
    row_key,
    row_label,
    snapshot,
    training_totals,
)
from tracker.reports.models import Report, Section, not_applicable_field


@dataclass(frozen=True)
class Line:
    name: str
    label: str
    value: str
    last_year: str | None  # None when there is no report of last year to compare with


@dataclass(frozen=True)
class TrainingLine:
    label: str
    values: dict[str, str]
    last_year: dict[str, str] | None
    # (staff group, its figures in words) for each group given; none in older snapshots.
    groups: tuple[tuple[str, dict[str, str]], ...] = ()


@dataclass(frozen=True)
class SectionView:
    section: Section
    lines: list[Line]
    comment: str | None  # the reviewer's, when the report came back
    not_applicable: bool = False  # the member says why the criterion does not apply
    evidence: tuple[dict, ...] = ()  # the files backing the answers (id, name, size)


def sections_of(answers: dict, last_year: dict | None, comments: dict[str, str]) -> list:
    """The answers grouped by section in the report's order (training has its own table)."""
    views = []
    for section in Section:
        na = not_applicable(answers, section)
        lines = [
            Line(
                field.name,
                str(field.label),
                in_words(field.kind, answers.get(field.name)),
                in_words(field.kind, last_year.get(field.name)) if last_year else None,
            )
            for field in FIELDS
            # A section that does not apply reads as its reason; other questions were skipped.
            if field.section is section
            and (not na or field.name == not_applicable_field(section))
            # The reason line only where the member gave one, this year or last.
            and (
                field.name != not_applicable_field(section)
                or na
                or (last_year is not None and not_applicable(last_year, section))
            )
        ]
        files = tuple(i for i in answers.get("evidence", []) if i["section"] == section.value)
        views.append(SectionView(section, lines, comments.get(section.value), na, files))
    return views


def training_of(answers: dict, last_year: dict | None) -> list[TrainingLine]:
    before = {row_key(row): row for row in (last_year or {}).get("training", [])}
    return [
        TrainingLine(
            row_label(row),
            row_in_words(row),
            row_in_words(before[row_key(row)]) if row_key(row) in before else None,
            tuple(groups_in_words(row)),
        )
        for row in answers.get("training", [])
    ]


def totals_of(answers: dict) -> dict[str, str]:
    employees, trained = training_totals(answers.get("training", []))
    current = current_total(answers.get("training", []))
    return {
        "employees": in_words("number", employees),
        "trained": in_words("number", trained),
        "coverage": percent(coverage_of(answers.get("training", []))),
        "current": in_words("number", current),
    }


def last_year_of(report: Report) -> dict | None:
    """Last year's answers: as ECPAT accepted or last received them, else the draft."""
    previous = services.report_for(report.company, report.year - 1)
    if previous is None:
        return None
    submission = previous.latest_submission
    return submission.content if submission is not None else snapshot(previous)


def report_page_context(report: Report, answers: dict | None = None) -> dict:
    """What every report page needs; `answers` shows a given version instead of the report."""
    live = snapshot(report)
    answers = answers if answers is not None else live
    last_year = last_year_of(report)
    comments = services.returned_comments(report)
    sections = sections_of(answers, last_year, comments)
    return {
        "report": report,
        "company": report.company,
        "period": services.reporting_calendar().year(report.year),
        "due": services.due_date_of(report),
        "answers": answers,
        "sections": sections,
        "training": training_of(answers, last_year),
        "totals": totals_of(answers),
        "last_year": last_year,
        # Every answer of last year, whatever this year's sections show.
        "last_year_lines": {
            field.name: in_words(field.kind, last_year.get(field.name))
            for field in FIELDS
            if last_year is not None
        },
        "sections_by_name": {section.value: section for section in Section},
        # The form's rows are the live report's: last year beside each, by row id.
        "rows_last_year": {
            row.id: line.last_year
            for row, line in zip(report.training, training_of(live, last_year), strict=True)
        },
        "comments": comments,
    }
