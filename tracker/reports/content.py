"""A report's answers as plain data: what a submission keeps, previews show and diffs compare.

`snapshot` turns a report into a dict of JSON values; `answers_in_words` and `differences` read
such dicts (a live report's, a submitted version's, last year's) the same way.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, format_decimal, format_percent
from flask_babel import lazy_gettext as _l

from tracker.countries import country_name
from tracker.reports.models import (
    NOT_APPLICABLE_SECTIONS,
    Report,
    Section,
    TrainingFormat,
    TravellerChannel,
    not_applicable_field,
)


@dataclass(frozen=True)
class Field:
    name: str
    section: Section
    label: str
    kind: str  # how the value reads: text, number, bool, date, channels, document


NOT_APPLICABLE_LABEL = _l("Not applicable, because")
EVIDENCE_LABEL = _l("Evidence")
FIELDS: tuple[Field, ...] = (
    *(
        Field(not_applicable_field(section), section, NOT_APPLICABLE_LABEL, "text")
        for section in NOT_APPLICABLE_SECTIONS
    ),
    Field("policy_adopted", Section.POLICY, _l("Policy adopted"), "bool"),
    Field("policy_adopted_on", Section.POLICY, _l("Adopted on"), "date"),
    Field("policy_document_name", Section.POLICY, _l("Policy document"), "text"),
    Field("policy_focal_person", Section.POLICY, _l("Focal person"), "text"),
    Field("policy_focal_person_role", Section.POLICY, _l("Focal person's role"), "text"),
    Field(
        "policy_reporting_procedure",
        Section.POLICY,
        _l("How staff report a suspected case"),
        "text",
    ),
    Field("policy_board_approved_on", Section.POLICY, _l("Approved by the board on"), "date"),
    Field("contracts_total", Section.CONTRACTS, _l("Supplier contracts"), "number"),
    Field(
        "contracts_with_clause",
        Section.CONTRACTS,
        _l("Contracts that include the clause"),
        "number",
    ),
    Field("traveller_channels", Section.TRAVELLERS, _l("How travellers are informed"), "channels"),
    Field("travellers_text", Section.TRAVELLERS, _l("Details"), "text"),
    Field(
        "stakeholder_organisations",
        Section.STAKEHOLDERS,
        _l("Organisations you worked with"),
        "text",
    ),
    Field("stakeholder_activities", Section.STAKEHOLDERS, _l("Activities"), "text"),
    Field("cases_reported", Section.CASES, _l("Suspected cases reported"), "number"),
    Field("cases_text", Section.CASES, _l("What happened and to whom you reported"), "text"),
)
FIELD_NAMES = tuple(field.name for field in FIELDS)
TRAINING_NUMBERS = ("employees", "trained", "format", "hours")
DATE_FIELDS = tuple(field.name for field in FIELDS if field.kind == "date")


def snapshot(report: Report) -> dict:
    """The report's answers as JSON values (dates as ISO text), training rows included."""
    answers = {name: getattr(report, name) for name in FIELD_NAMES}
    for name in DATE_FIELDS:
        if answers[name] is not None:
            answers[name] = answers[name].isoformat()
    answers["traveller_channels"] = list(answers["traveller_channels"] or [])
    answers["evidence"] = [
        {"id": item.id, "section": item.section.value, "name": item.name, "size": item.size}
        for item in getattr(report, "evidence", None) or []
    ]
    answers["training"] = [
        {
            "country_code": row.country_code,
            "property_name": row.property_name,
            "city": row.city,
            "employees": row.employees,
            "trained": row.trained,
            "format": row.format.value if row.format else None,
            "hours": row.hours,
        }
        for row in report.training
    ]
    return answers


def not_applicable(answers: dict, section: Section) -> bool:
    """Whether a set of answers says the section does not apply (a reason is given)."""
    return section.may_be_not_applicable and bool(answers.get(not_applicable_field(section)))


def row_key(row: dict) -> tuple[str, str]:
    """What names a training row across versions and years: its country and property."""
    return row["country_code"], (row.get("property_name") or "").casefold()


def training_totals(training: list[dict]) -> tuple[int, int]:
    """Employees and trained people over every row that gives both."""
    rows = [r for r in training if r.get("employees") is not None and r.get("trained") is not None]
    return sum(r["employees"] for r in rows), sum(r["trained"] for r in rows)


def coverage(employees: int | None, trained: int | None) -> float | None:
    if not employees or trained is None:
        return None
    return trained / employees


def in_words(kind: str, value) -> str:
    """One answer as a person reads it; an unanswered question reads as an empty string."""
    if value is None or value == [] or value == "":
        return ""
    if kind == "bool":
        return str(_l("Yes") if value else _l("No"))
    if kind == "date":
        return format_date(date.fromisoformat(value), "long")
    if kind == "number":
        return format_decimal(value)
    if kind == "channels":
        return ", ".join(str(TravellerChannel(v).label) for v in value)
    return str(value)


def percent(value: float | None) -> str:
    return "" if value is None else format_percent(value, "#,##0%")


def row_label(row: dict) -> str:
    """A training row as a person names it: the property and city, or the country."""
    country = country_name(row["country_code"])
    if row.get("property_name"):
        place = ", ".join(part for part in (row.get("city"), country) if part)
        return f"{row['property_name']} ({place})"
    return country


def row_in_words(row: dict) -> dict[str, str]:
    return {
        "employees": in_words("number", row.get("employees")),
        "trained": in_words("number", row.get("trained")),
        "coverage": percent(coverage(row.get("employees"), row.get("trained"))),
        "format": str(TrainingFormat(row["format"]).label) if row.get("format") else "",
        "hours": in_words("number", row.get("hours")),
    }


@dataclass(frozen=True)
class Difference:
    section: Section
    label: str
    before: str
    after: str


def differences(before: dict, after: dict) -> list[Difference]:
    """What changed from one set of answers to another, in the report's order."""
    found = [
        Difference(field.section, str(field.label), *pair)
        for field in FIELDS
        if (
            pair := (
                in_words(field.kind, before.get(field.name)),
                in_words(field.kind, after.get(field.name)),
            )
        )[0]
        != pair[1]
    ]
    found += _evidence_differences(before.get("evidence", []), after.get("evidence", []))
    return found + _training_differences(before.get("training", []), after.get("training", []))


def evidence_names(items: list[dict], section: Section) -> str:
    return ", ".join(item["name"] for item in items if item["section"] == section.value)


def _evidence_differences(before: list[dict], after: list[dict]) -> list[Difference]:
    return [
        Difference(section, str(EVIDENCE_LABEL), *pair)
        for section in NOT_APPLICABLE_SECTIONS
        if (pair := (evidence_names(before, section), evidence_names(after, section)))[0] != pair[1]
    ]


def _training_differences(before: list[dict], after: list[dict]) -> list[Difference]:
    old = {row_key(row): row for row in before}
    new = {row_key(row): row for row in after}
    found = []
    for key in sorted(old.keys() | new.keys()):
        then = row_in_words(old[key]) if key in old else {}
        now = row_in_words(new[key]) if key in new else {}
        label = row_label(new.get(key) or old[key])
        for name, title in TRAINING_TITLES.items():
            if then.get(name, "") != now.get(name, ""):
                found.append(
                    Difference(
                        Section.TRAINING,
                        f"{label}: {title}",
                        then.get(name, ""),
                        now.get(name, ""),
                    )
                )
    return found


TRAINING_TITLES = {
    "employees": _l("Employees at year end"),
    "trained": _l("Trained during the year"),
    "format": _l("Format"),
    "hours": _l("Hours per person"),
}
