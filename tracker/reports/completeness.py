"""What a report still lacks before it can be submitted, section by section.

A criterion the member says does not apply (with its reason) asks nothing more; suspected
cases reported are always asked (0 when there were none).
"""

from flask_babel import gettext as _
from flask_babel import ngettext

from tracker.reports.content import row_label
from tracker.reports.models import Report, Section, TrainingRow, TravellerChannel
from tracker.reports.training import StaffGroup

STAFF_GROUPS = list(StaffGroup)
MAX_NAMED = 10  # rows named in the list of what is missing; the rest are counted


def missing_answers(report: Report) -> list[tuple[Section, str]]:
    """What a report still lacks before it can be submitted, section by section."""
    missing = [
        item
        for section, check in _SECTION_CHECKS
        if not report.is_not_applicable(section)
        for item in check(report)
    ]
    if report.cases_reported is None:
        missing.append(
            (Section.CASES, _("Give the number of suspected cases reported (0 if none)."))
        )
    elif report.cases_reported > 0 and not report.cases_text:
        missing.append((Section.CASES, _("Describe the cases you reported and to whom.")))
    return missing


def _missing_policy(report: Report) -> list[tuple[Section, str]]:
    missing: list[tuple[Section, str]] = []
    add = missing.append
    if report.policy_adopted is None:
        add((Section.POLICY, _("Say whether your company has adopted a policy.")))
    elif report.policy_adopted and report.policy_adopted_on is None:
        add((Section.POLICY, _("Give the date the policy was adopted.")))
    if report.policy_adopted and not report.policy_document:
        add((Section.POLICY, _("Upload the policy document (PDF).")))
    if report.policy_adopted and not report.policy_focal_person:
        add((Section.POLICY, _("Name the focal person for child protection.")))
    if report.policy_adopted and not report.policy_reporting_procedure:
        add((Section.POLICY, _("Describe how staff report a suspected case.")))
    return missing


def _missing_training(report: Report) -> list[tuple[Section, str]]:
    """Per row: employees of at least one staff group, and the currently trained of every
    group with employees (blank training counts read as 0). Hundreds of rows (a chain's
    properties) are named up to MAX_NAMED, then counted."""
    missing, more = [], 0
    for row in report.training:
        gaps = training_gaps(row)
        if gaps and len(missing) >= MAX_NAMED:
            more += 1
        else:
            missing += [(Section.TRAINING, message) for message in gaps]
    if more:
        message = ngettext(
            "Training answers are missing in %(num)d more row.",
            "Training answers are missing in %(num)d more rows.",
            more,
        )
        missing.append((Section.TRAINING, message))
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


def _missing_contracts(report: Report) -> list[tuple[Section, str]]:
    if report.contracts_total is None or report.contracts_with_clause is None:
        message = _("Give the number of contracts and how many have the clause.")
        return [(Section.CONTRACTS, message)]
    return []


def _missing_travellers(report: Report) -> list[tuple[Section, str]]:
    if not report.traveller_channels:
        return [(Section.TRAVELLERS, _("Say how travellers are informed."))]
    if TravellerChannel.OTHER.value in report.traveller_channels and not report.travellers_text:
        return [(Section.TRAVELLERS, _("Describe the other ways travellers are informed."))]
    return []


def _missing_stakeholders(report: Report) -> list[tuple[Section, str]]:
    if not (report.stakeholder_organisations or report.stakeholder_activities):
        message = _("Name the organisations you worked with, or what you did.")
        return [(Section.STAKEHOLDERS, message)]
    return []


# Criteria 1-5 in the report's order; a section the member says does not apply asks nothing.
_SECTION_CHECKS = (
    (Section.POLICY, _missing_policy),
    (Section.TRAINING, _missing_training),
    (Section.CONTRACTS, _missing_contracts),
    (Section.TRAVELLERS, _missing_travellers),
    (Section.STAKEHOLDERS, _missing_stakeholders),
)
