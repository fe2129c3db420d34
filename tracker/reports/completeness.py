"""What a report still lacks before it can be submitted, section by section.

A criterion the member says does not apply (with its reason) asks nothing more; suspected
cases reported are always asked (0 when there were none).
"""

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_babel.speaklater import LazyString

from tracker.reports.content import row_label
from tracker.reports.models import Report, Section, TrainingRow, TravellerChannel
from tracker.reports.training import StaffGroup

STAFF_GROUPS = list(StaffGroup)
MAX_NAMED = 10  # rows named in the list of what is missing; the rest are counted


def missing_answers(report: Report) -> list[tuple[Section, str]]:
    """What a report still lacks before it can be submitted, section by section."""
    return [
        (section, message)
        for section, check in _RULES
        if section is Section.CASES or not report.is_not_applicable(section)
        for message in check(report)
    ]


def _asks(lacks: Callable[[Report], bool], message: LazyString) -> Callable[[Report], list[str]]:
    """A rule of one question: `message` while `lacks(report)` holds."""
    return lambda report: [str(message)] if lacks(report) else []


def _missing_training(report: Report) -> list[str]:
    """Per row: employees of at least one staff group, and the currently trained of every
    group with employees (blank training counts read as 0). Hundreds of rows (a chain's
    properties) are named up to MAX_NAMED, then counted."""
    missing, more = [], 0
    for row in report.training:
        gaps = training_gaps(row)
        if gaps and len(missing) >= MAX_NAMED:
            more += 1
        else:
            missing += gaps
    if more:
        message = ngettext(
            "Training answers are missing in %(num)d more row.",
            "Training answers are missing in %(num)d more rows.",
            more,
        )
        missing.append(message)
    return missing


def training_gaps(row: TrainingRow) -> list[str]:
    """What one training row lacks, each message naming the row (and the staff group)."""
    label = row_label(
        {"country_code": row.country_code, "property_name": row.property_name, "city": row.city}
    )
    if not any(group.employees is not None for group in row.groups):
        return [_("%(row)s: give the employees of at least one staff group.", row=label)]
    return [
        _(
            "%(row)s, %(group)s: give the number currently trained.",
            row=label,
            group=group.staff_group.label,
        )
        for group in sorted(row.groups, key=lambda g: STAFF_GROUPS.index(g.staff_group))
        if group.employees and group.current is None
    ]


def _adopted_without(name: str) -> Callable[[Report], bool]:
    """A policy said to be adopted, without `name` given."""
    return lambda report: bool(report.policy_adopted) and not getattr(report, name)


def _other_channel_undescribed(report: Report) -> bool:
    channels = report.traveller_channels or ()
    return TravellerChannel.OTHER.value in channels and not report.travellers_text


# Every question of criteria 1-5, in the report's order, then the cases (always asked: 0 when
# there were none). A section the member says does not apply asks nothing.
_RULES: tuple[tuple[Section, Callable[[Report], list[str]]], ...] = (
    (
        Section.POLICY,
        _asks(
            lambda r: r.policy_adopted is None,
            _l("Say whether your company has adopted a policy."),
        ),
    ),
    (
        Section.POLICY,
        _asks(
            lambda r: bool(r.policy_adopted) and r.policy_adopted_on is None,
            _l("Give the date the policy was adopted."),
        ),
    ),
    (
        Section.POLICY,
        _asks(_adopted_without("policy_document"), _l("Upload the policy document (PDF).")),
    ),
    (
        Section.POLICY,
        _asks(
            _adopted_without("policy_focal_person"),
            _l("Name the focal person for child protection."),
        ),
    ),
    (
        Section.POLICY,
        _asks(
            _adopted_without("policy_reporting_procedure"),
            _l("Describe how staff report a suspected case."),
        ),
    ),
    (Section.TRAINING, _missing_training),
    (
        Section.CONTRACTS,
        _asks(
            lambda r: r.contracts_total is None or r.contracts_with_clause is None,
            _l("Give the number of contracts and how many have the clause."),
        ),
    ),
    (
        Section.TRAVELLERS,
        _asks(lambda r: not r.traveller_channels, _l("Say how travellers are informed.")),
    ),
    (
        Section.TRAVELLERS,
        _asks(_other_channel_undescribed, _l("Describe the other ways travellers are informed.")),
    ),
    (
        Section.STAKEHOLDERS,
        _asks(
            lambda r: not (r.stakeholder_organisations or r.stakeholder_activities),
            _l("Name the organisations you worked with, or what you did."),
        ),
    ),
    (
        Section.CASES,
        _asks(
            lambda r: r.cases_reported is None,
            _l("Give the number of suspected cases reported (0 if none)."),
        ),
    ),
    (
        Section.CASES,
        _asks(
            lambda r: (r.cases_reported or 0) > 0 and not r.cases_text,
            _l("Describe the cases you reported and to whom."),
        ),
    ),
)
