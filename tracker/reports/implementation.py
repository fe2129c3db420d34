"""When a report shows a criterion of The Code "implemented": the one rule, its settings, its
SQL twin, and the words staff read on "How implementation is judged".

The thresholds are settings (config keys with the defaults below), so ECPAT can tighten them
without a release. Never one trained person or one contract: training and contracts count as a
share. A criterion the member says does not apply, with its reason, counts as met: reviewers
read the reason and return the report if they do not accept it.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, func, or_, select

from tracker.reports.content import currently_trained, not_applicable
from tracker.reports.models import Report, Section, TrainingRow, not_applicable_field
from tracker.reports.training import (
    DEFAULT_VALIDITY_YEARS,
    StaffGroup,
    TrainingGroup,
    validity_years,
)

# Setting -> default. Percentages are of employees (training) and of contracts (the clause).
# Criterion 2 reads front-line employees currently trained (`training_share`).
DEFAULTS = {
    "TRAINING_COVERAGE_MIN": 50,
    "CONTRACT_CLAUSE_MIN": 50,
    "TRAVELLER_CHANNELS_MIN": 1,
    # Read by tracker/reports/training.py; listed here so staff see it beside the rule.
    "TRAINING_VALIDITY_YEARS": DEFAULT_VALIDITY_YEARS,
}


@dataclass(frozen=True)
class Thresholds:
    training_coverage: float  # percent of front-line employees currently trained (see below)
    contract_clause: float  # percent of supplier contracts with the clause
    traveller_channels: int  # ways of informing travellers

    @classmethod
    def from_config(cls, config) -> "Thresholds":
        """The configured thresholds; a missing key takes its default.

        :raises ValueError: for a percentage outside 1-100 or fewer than one channel, so a
            mistyped setting stops the app instead of calling every criterion met.
        """
        value = {key: config.get(key, default) for key, default in DEFAULTS.items()}
        thresholds = cls(
            float(value["TRAINING_COVERAGE_MIN"]),
            float(value["CONTRACT_CLAUSE_MIN"]),
            int(value["TRAVELLER_CHANNELS_MIN"]),
        )
        if not (0 < thresholds.training_coverage <= 100 and 0 < thresholds.contract_clause <= 100):
            raise ValueError("TRAINING_COVERAGE_MIN and CONTRACT_CLAUSE_MIN are percentages 1-100")
        if thresholds.traveller_channels < 1:
            raise ValueError("TRAVELLER_CHANNELS_MIN must be at least 1")
        return thresholds


def thresholds() -> Thresholds:
    return Thresholds.from_config(current_app.config)


def _share_met(part: int, whole: int, percent: float) -> bool:
    """`part` is at least `percent` % of `whole` (and there is a whole to count)."""
    return whole > 0 and part * 100 >= percent * whole


def criteria_met(content: dict, limits: Thresholds | None = None) -> dict[int, bool]:
    """Criterion number (1-5) -> whether a report's answers show it implemented. The sixth,
    reporting annually, is met by the report being accepted at all."""
    limits = limits or thresholds()
    current, employees = training_share(content.get("training") or [])
    rules = {
        Section.POLICY: content.get("policy_adopted") is True
        and bool(content.get("policy_focal_person"))
        and bool(content.get("policy_reporting_procedure")),
        Section.TRAINING: _share_met(current, employees, limits.training_coverage),
        Section.CONTRACTS: _share_met(
            content.get("contracts_with_clause") or 0,
            content.get("contracts_total") or 0,
            limits.contract_clause,
        ),
        Section.TRAVELLERS: len(content.get("traveller_channels") or [])
        >= limits.traveller_channels,
        Section.STAKEHOLDERS: bool(content.get("stakeholder_organisations")),
    }
    return {
        section.criterion: not_applicable(content, section) or met for section, met in rules.items()
    }


def training_share(training: list[dict]) -> tuple[int, int]:
    """(currently trained, employees) that criterion 2 compares: the front-line staff of all
    the report's rows, who meet travellers and children; where the report has no front-line
    employees (reports from before staff groups, or a company with office staff only), all
    staff over the rows that give both figures."""
    front_line = [
        group
        for row in training
        for group in row.get("groups") or []
        if group.get("staff_group") == StaffGroup.FRONT_LINE.value
    ]
    employees = sum(group.get("employees") or 0 for group in front_line)
    if employees:
        return sum(currently_trained(group) or 0 for group in front_line), employees
    rows = [
        row
        for row in training
        if row.get("employees") is not None and currently_trained(row) is not None
    ]
    return sum(currently_trained(row) for row in rows), sum(row["employees"] for row in rows)


def _training_met_sql(percent: float) -> ColumnElement[bool]:
    """On Report: the SQL twin of criterion 2 read through `training_share`."""
    in_report = TrainingRow.report_id == Report.id
    front_line = (
        select(TrainingGroup)
        .join(TrainingRow, TrainingGroup.training_id == TrainingRow.id)
        .where(in_report, TrainingGroup.staff_group == StaffGroup.FRONT_LINE)
    )
    front_employees = front_line.with_only_columns(
        func.coalesce(func.sum(func.coalesce(TrainingGroup.employees, 0)), 0)
    ).scalar_subquery()
    front_current = front_line.with_only_columns(
        func.coalesce(func.sum(TrainingGroup.currently_trained_sql()), 0)
    ).scalar_subquery()
    current = TrainingRow.currently_trained_sql()
    counted = and_(in_report, TrainingRow.employees.is_not(None), current.is_not(None))
    all_employees = select(func.coalesce(func.sum(TrainingRow.employees), 0)).where(counted)
    all_current = select(func.coalesce(func.sum(current), 0)).where(counted)
    return or_(
        and_(front_employees > 0, _share_met_sql(front_current, front_employees, percent)),
        and_(
            front_employees == 0,
            _share_met_sql(all_current.scalar_subquery(), all_employees.scalar_subquery(), percent),
        ),
    )


def _filled(column) -> ColumnElement[bool]:
    return and_(column.is_not(None), column != "")


def _share_met_sql(part, whole, percent: float) -> ColumnElement[bool]:
    return and_(whole > 0, part * 100 >= whole * percent)


def criteria_implemented(limits: Thresholds | None = None) -> ColumnElement[bool]:
    """On Report: `criteria_met` all true, from the report's columns (an accepted report's
    answers are its last submission's: it is locked from submission on)."""
    return and_(*criterion_implemented(limits).values())


def criterion_implemented(limits: Thresholds | None = None) -> dict[int, ColumnElement[bool]]:
    """On Report: criterion number (1-5) -> the SQL twin of `criteria_met` for it (the
    criterion's rule, or the member's reason why it does not apply)."""
    limits = limits or thresholds()
    rules = {
        Section.POLICY: and_(
            Report.policy_adopted.is_(True),
            _filled(Report.policy_focal_person),
            _filled(Report.policy_reporting_procedure),
        ),
        Section.TRAINING: _training_met_sql(limits.training_coverage),
        Section.CONTRACTS: _share_met_sql(
            func.coalesce(Report.contracts_with_clause, 0),
            func.coalesce(Report.contracts_total, 0),
            limits.contract_clause,
        ),
        Section.TRAVELLERS: func.coalesce(func.json_array_length(Report.traveller_channels), 0)
        >= limits.traveller_channels,
        Section.STAKEHOLDERS: _filled(Report.stakeholder_organisations),
    }
    return {
        section.criterion: or_(_filled(getattr(Report, not_applicable_field(section))), met)
        for section, met in rules.items()
    }


@dataclass(frozen=True)
class Rule:
    criterion: int
    title: str
    rule: str


def rules(limits: Thresholds | None = None) -> list[Rule]:
    """The rule per criterion in words, with the configured thresholds, in the reader's language."""
    limits = limits or thresholds()
    coverage = _number(limits.training_coverage)
    words = {
        Section.POLICY: _(
            "A policy adopted, with its procedures: a focal person named and the procedure for "
            "reporting a suspected case described"
        ),
        Section.TRAINING: ngettext(
            "At least %(coverage)s%% of front-line employees (reception, security, guides, "
            "drivers, crew; over all countries and properties) currently trained, that is "
            "trained within the last year; where the report gives no front-line employees "
            "(reports from before staff groups, or a company with office staff only), at least "
            "%(coverage)s%% of all employees",
            "At least %(coverage)s%% of front-line employees (reception, security, guides, "
            "drivers, crew; over all countries and properties) currently trained, that is "
            "trained within the last %(num)d years; where the report gives no front-line "
            "employees (reports from before staff groups, or a company with office staff only), "
            "at least %(coverage)s%% of all employees",
            validity_years(),
            coverage=coverage,
        ),
        Section.CONTRACTS: _(
            "At least %(share)s%% of supplier contracts include the clause",
            share=_number(limits.contract_clause),
        ),
        Section.TRAVELLERS: ngettext(
            "Travellers informed in at least %(num)d of the listed ways",
            "Travellers informed in at least %(num)d of the listed ways",
            limits.traveller_channels,
        ),
        Section.STAKEHOLDERS: _("At least one stakeholder organisation named"),
    }
    return [
        Rule(
            section.criterion,
            str(section.label),
            _("%(rule)s, or the member says why the criterion does not apply.", rule=text),
        )
        for section, text in words.items()
    ]


def _number(value: float) -> str:
    return format_decimal(value)


SETTINGS_HELP = {
    "TRAINING_COVERAGE_MIN": _l(
        "Percent of front-line employees (of all employees where a report gives none) currently "
        "trained for criterion 2 (default 50)."
    ),
    "TRAINING_VALIDITY_YEARS": _l("Years Code training counts as current (default 2)."),
    "CONTRACT_CLAUSE_MIN": _l(
        "Percent of supplier contracts with the clause for criterion 3 (default 50)."
    ),
    "TRAVELLER_CHANNELS_MIN": _l("Ways of informing travellers for criterion 4 (default 1)."),
}
