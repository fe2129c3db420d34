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
from tracker.reports.training import GROUP_COUNTS, TRAINED_THIS_YEAR, StaffGroup

STAFF_GROUPS = list(StaffGroup)


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
            "current": row.current,
            "groups": [
                {"staff_group": group.staff_group.value}
                | {name: getattr(group, name) for name in GROUP_COUNTS}
                for group in sorted(row.groups, key=lambda g: STAFF_GROUPS.index(g.staff_group))
            ],
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


def current_total(training: list[dict]) -> int | None:
    """Currently trained people over the rows that give them (None when no row does)."""
    given = [currently_trained(row) for row in training]
    given = [count for count in given if count is not None]
    return sum(given) if given else None


def currently_trained(figures: dict) -> int | None:
    """A snapshot row's or group's currently trained, as `TrainingRow.currently_trained` and
    `TrainingGroup.currently_trained` read them: without that figure (submissions from before
    staff groups), those trained this year, who are current by definition."""
    if figures.get("current") is not None:
        return figures["current"]
    if "trained" in figures:
        return figures["trained"]
    return group_trained(figures)


def coverage_of(training: list[dict]) -> float | None:
    """Coverage over the rows that give both their employees and their currently trained."""
    counted = [
        (row["employees"], currently_trained(row))
        for row in training
        if row.get("employees") is not None and currently_trained(row) is not None
    ]
    return coverage(sum(e for e, _ in counted), sum(c for _, c in counted))


def coverage(employees: int | None, current: int | None) -> float | None:
    """Currently trained ÷ employees: the one coverage every page shows."""
    if not employees or current is None:
        return None
    return current / employees


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
    """A training row's figures as people read them. A snapshot from before staff groups
    (no "groups", no "current") reads as its totals and format."""
    groups = row.get("groups") or []
    return {
        "employees": in_words("number", row.get("employees")),
        "trained": in_words("number", row.get("trained")),
        "current": in_words("number", row.get("current")),
        "coverage": percent(coverage(row.get("employees"), currently_trained(row))),
        "format": formats_in_words(groups) if groups else _format_label(row.get("format")),
        "hours": in_words("number", row.get("hours")),
    }


def _format_label(value: str | None) -> str:
    return str(TrainingFormat(value).label) if value else ""


def formats_in_words(groups: list[dict]) -> str:
    """How many were trained in person and by e-learning this year, over the given groups."""
    if all(group.get(name) is None for group in groups for name in TRAINED_THIS_YEAR):
        return ""
    in_person = sum(
        (g.get("new_in_person") or 0) + (g.get("refresher_in_person") or 0) for g in groups
    )
    e_learning = sum(
        (g.get("new_e_learning") or 0) + (g.get("refresher_e_learning") or 0) for g in groups
    )
    return str(
        _l(
            "%(in_person)s in person, %(e_learning)s by e-learning",
            in_person=format_decimal(in_person),
            e_learning=format_decimal(e_learning),
        )
    )


def group_trained(group: dict) -> int | None:
    """Trained this year in one group's snapshot: the four counts, None when none is given."""
    counts = [group.get(name) for name in TRAINED_THIS_YEAR]
    return None if all(c is None for c in counts) else sum(c or 0 for c in counts)


def _sum(group: dict, *names: str) -> int:
    return sum(group.get(name) or 0 for name in names)


def groups_in_words(row: dict) -> list[tuple[str, dict[str, str]]]:
    """Each staff group of a training row, named, with its figures in words (none for a
    snapshot from before staff groups, or a group left blank)."""
    found = []
    for group in row.get("groups") or []:
        if all(group.get(name) is None for name in GROUP_COUNTS):
            continue
        trained = group_trained(group)
        values = {name: in_words("number", group.get(name)) for name in GROUP_COUNTS}
        values |= {
            "trained": in_words("number", trained),
            "coverage": percent(coverage(group.get("employees"), currently_trained(group))),
            "format": formats_in_words([group]),
            "new": in_words("number", _sum(group, "new_in_person", "new_e_learning")),
            "refresher": in_words(
                "number", _sum(group, "refresher_in_person", "refresher_e_learning")
            ),
        }
        found.append((str(StaffGroup(group["staff_group"]).label), values))
    return found


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
        found += _changed(f"{label}: ", TRAINING_TITLES, then, now)
        groups_then = dict(groups_in_words(old[key])) if key in old else {}
        groups_now = dict(groups_in_words(new[key])) if key in new else {}
        for group in StaffGroup:
            name = str(group.label)
            if name in groups_then or name in groups_now:
                before_values, after_values = groups_then.get(name, {}), groups_now.get(name, {})
                found += _changed(f"{label}, {name}: ", GROUP_TITLES, before_values, after_values)
    return found


def _changed(prefix: str, titles: dict, then: dict, now: dict) -> list[Difference]:
    return [
        Difference(Section.TRAINING, f"{prefix}{title}", then.get(name, ""), now.get(name, ""))
        for name, title in titles.items()
        if then.get(name, "") != now.get(name, "")
    ]


TRAINING_TITLES = {
    "employees": _l("Employees at year end"),
    "trained": _l("Trained during the year"),
    "current": _l("Currently trained"),
    "format": _l("Format"),
    "hours": _l("Hours per person"),
}
# A staff group's typed figures; its trained-this-year total follows from them.
GROUP_TITLES = {
    "employees": _l("Employees at year end"),
    "new_in_person": _l("New training, in person"),
    "new_e_learning": _l("New training, e-learning"),
    "refresher_in_person": _l("Refresher training, in person"),
    "refresher_e_learning": _l("Refresher training, e-learning"),
    "current": _l("Currently trained"),
}
