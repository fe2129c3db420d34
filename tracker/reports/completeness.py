"""What a report still lacks before it can be submitted, section by section.

A criterion the member says does not apply (with its reason) asks nothing more; suspected
cases reported are always asked (0 when there were none).
"""

from flask_babel import gettext as _

from tracker.reports.models import Report, Section, TravellerChannel


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
    missing: list[tuple[Section, str]] = []
    add = missing.append
    for row in report.training:
        if row.employees is None or row.trained is None:
            add((Section.TRAINING, _("Give employees and trained people for every row.")))
            break
    if any(row.trained and row.format is None for row in report.training):
        add((Section.TRAINING, _("Give the training format for every row with trained people.")))
    return missing


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
