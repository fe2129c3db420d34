"""Members with a known joining date, and reports filled in as a complete draft."""

from datetime import UTC, date, datetime

from tests.factories import CompanyFactory, owner_of
from tracker.companies.enums import CompanyType, Stage
from tracker.companies.operations import Operation
from tracker.extensions import db
from tracker.reports import drafting, inputs, services
from tracker.reports.models import Report, TravellerChannel
from tracker.reports.training import StaffGroup


def member(joined: date = date(2024, 5, 1), countries=("TH", "KH"), **kwargs):
    """An active member who joined on `joined`, with its owner."""
    company = CompanyFactory(stage=Stage.ACTIVE, countries=countries, **kwargs)
    company.membership.joined_at = datetime(joined.year, joined.month, joined.day, tzinfo=UTC)
    db.session.commit()
    return company, owner_of(company)


def hotel_chain(properties, **kwargs):
    """A member hotel chain with (country, property, city) operations."""
    company, owner = member(type=CompanyType.HOTEL_CHAIN, countries=(), **kwargs)
    company.operations = [
        Operation(country_code=c, property_name=p, city=city) for c, p, city in properties
    ]
    db.session.commit()
    return company, owner


def complete_answers(report: Report, trained: int = 8) -> inputs.Answers:
    """Answers to every question; each training row 10 employees, `trained` of them trained."""
    return inputs.Answers(
        policy_adopted=True,
        policy_adopted_on=date(2024, 2, 1),
        policy_focal_person="Mai Chan",
        policy_focal_person_role="Human Resources Manager",
        policy_reporting_procedure="Staff tell the duty manager, who calls the police.",
        contracts_total=20,
        contracts_with_clause=15,
        traveller_channels=(TravellerChannel.WEBSITE.value, TravellerChannel.BOOKING.value),
        travellers_text="On every booking confirmation.",
        stakeholder_organisations="ECPAT Thailand",
        stakeholder_activities="Joint awareness week",
        cases_reported=0,
        training=tuple(
            inputs.TrainingInput(row.id, training_groups(10, trained), 2.5)
            for row in report.training
        ),
    )


def training_groups(employees: int, trained: int, current: int | None = None) -> tuple:
    """Front-line staff only: `employees` of them, `trained` this year (new training, in person
    and by e-learning), `current` (default: those trained) currently trained."""
    return (
        inputs.GroupInput(
            StaffGroup.FRONT_LINE,
            employees=employees,
            new_in_person=trained - trained // 2,
            new_e_learning=trained // 2,
            current=trained if current is None else current,
        ),
    )


def ready_report(company, user, year: int = 2025, on: date = date(2026, 2, 1)) -> Report:
    """A complete draft with a policy document on record, saved and committed."""
    report = drafting.start_report(company, year, user, on)
    drafting.save_draft(report, complete_answers(report), user, report.version)
    report.policy_document, report.policy_document_name = "stored-name", "policy.pdf"
    report.policy_document_size = 1000
    db.session.commit()
    return report


def accepted_report(company, user, reviewer, year: int = 2025, answers=None) -> Report:
    """The member's report for `year`, submitted and accepted (with `answers(report)` if given)."""
    report = ready_report(company, user, year)
    if answers is not None:
        drafting.save_draft(report, answers(report), user, report.version)
    services.submit_report(report, user, report.version, date(year + 1, 2, 1))
    services.accept_report(report, reviewer, "", report.version)
    db.session.commit()
    return report


def top_member(company, user, reviewer, year: int = 2025):
    """The member, its report for `year` accepted, named a Top Member of `year`."""
    from tracker.reports import recognition

    accepted_report(company, user, reviewer, year)
    award = recognition.name_top_member(company, year, reviewer)
    db.session.commit()
    return award
