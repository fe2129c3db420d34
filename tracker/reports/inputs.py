"""What a draft save is given (the answers, the training figures as typed) and the rules
every save keeps, each refusal on the form field it concerns."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from tracker.reports import services
from tracker.reports.models import (
    NOT_APPLICABLE_SECTIONS,
    Report,
    Section,
    TravellerChannel,
    not_applicable_field,
)
from tracker.reports.training import GROUP_COUNTS, TRAINED_THIS_YEAR, StaffGroup

MAX_COUNT = 10_000_000  # employees, contracts, cases: larger numbers are typing mistakes
MAX_HOURS = 1_000


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
        if getattr(answers, name) is not None and getattr(answers, name) > services.today():
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
