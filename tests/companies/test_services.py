"""Company services, called directly: applying, editing and signing."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm.exc import StaleDataError

from tests.factories import CompanyFactory, UserFactory, owner_of
from tracker import audit
from tracker.audit import AuditEntry
from tracker.auth.models import Role, User
from tracker.companies import services
from tracker.companies.enums import ApplicationStatus, CompanyType, RevenueBand, Stage
from tracker.companies.models import Company
from tracker.companies.services import CompanyDetails, OperationInput, SignatureInput
from tracker.companies.signatures import Signature
from tracker.domain import DomainError
from tracker.extensions import db

DETAILS = CompanyDetails(
    legal_name="Sunrise Tours Ltd",
    display_name="Sunrise Tours",
    type=CompanyType.TOUR_OPERATOR,
    hq_country="TH",
    revenue_band=RevenueBand.UP_TO_2_5M,
    contact_name="Ana Lee",
    contact_email="ana@sunrise.example",
    operations=(OperationInput("TH"), OperationInput("KH")),
    website="https://sunrise.example",
)
HOTEL = replace(
    DETAILS,
    type=CompanyType.HOTEL_CHAIN,
    operations=(
        OperationInput("TH", "Sunrise Phuket", "Phuket"),
        OperationInput("KH", "Sunrise Siem Reap", "Siem Reap"),
    ),
)
SIGNATURE = SignatureInput(
    signatory_name=" Ana Lee ",
    signatory_title=" CEO ",
    accepted_criteria=(1, 2, 3, 4, 5, 6),
    authority_confirmed=True,
)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def audit_rows() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def details_of(company: Company) -> CompanyDetails:
    """The details a company currently has, as an unchanged form would send them."""
    return CompanyDetails(
        legal_name=company.legal_name,
        display_name=company.display_name,
        type=company.type,
        hq_country=company.hq_country,
        revenue_band=company.revenue_band,
        contact_name=company.contact_name,
        contact_email=company.contact_email,
        operations=tuple(
            OperationInput(op.country_code, op.property_name, op.city) for op in company.operations
        ),
        website=company.website,
        contact_phone=company.contact_phone,
    )


# submit_application


@pytest.mark.parametrize("details", [DETAILS, HOTEL])
def test_submit_application(applicant, details):
    company = services.submit_application(applicant, details)
    db.session.commit()
    db.session.refresh(company)
    assert company.status is ApplicationStatus.SUBMITTED
    assert company.owner == applicant
    assert applicant.is_owner
    assert company.display_name == details.display_name
    assert company.country_codes == ["KH", "TH"]
    assert company.membership_number is None
    [entry] = audit_rows()
    assert entry.action == "application.submitted"
    assert (entry.actor_id, entry.company_id) == (applicant.id, company.id)
    assert (entry.from_status, entry.to_status) == (None, "submitted")


def test_submit_application_refuses_unconfirmed_user():
    user = UserFactory(email_confirmed_at=None)
    with pytest.raises(DomainError, match="Confirm your e-mail"):
        services.submit_application(user, DETAILS)
    db.session.rollback()
    assert count(Company) == 0


def test_submit_application_refuses_second_application(applicant):
    services.submit_application(applicant, DETAILS)
    db.session.commit()
    with pytest.raises(DomainError, match="This account already belongs to a company"):
        services.submit_application(applicant, replace(DETAILS, display_name="Again"))
    db.session.rollback()
    assert count(Company) == 1


def test_submit_application_that_loses_a_race_leaves_no_company(applicant):
    """A parallel request gave the user a company after this one read the user."""
    other = CompanyFactory(display_name="Won the race")
    with db.engine.begin() as parallel_request:
        parallel_request.execute(
            update(User).where(User.id == applicant.id).values(company_id=other.id, is_owner=True)
        )
    assert applicant.company_id is None  # this request's stale view of the user
    with pytest.raises(DomainError, match="already belongs to a company"):
        services.submit_application(applicant, DETAILS)
    db.session.rollback()
    assert [company.display_name for company in db.session.scalars(select(Company))] == [
        "Won the race"
    ]


def test_submit_application_refuses_colleague_of_a_company():
    company = CompanyFactory()
    colleague = UserFactory(company=company)
    with pytest.raises(DomainError, match="This account already belongs to a company"):
        services.submit_application(colleague, DETAILS)


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMIN, Role.REPRESENTATIVE])
def test_submit_application_refuses_staff(role):
    user = UserFactory(role=role)
    with pytest.raises(DomainError, match="This account already belongs to a company"):
        services.submit_application(user, DETAILS)
    db.session.rollback()
    assert count(Company) == 0


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (replace(DETAILS, hq_country="XX"), "hq_country"),
        (replace(DETAILS, hq_country="th"), "hq_country"),
        (replace(DETAILS, operations=(OperationInput("TH"), OperationInput("ZZ"))), "operations"),
        (replace(DETAILS, operations=()), "operations"),
        (replace(HOTEL, operations=(OperationInput("TH"),)), "operations"),
        (replace(HOTEL, operations=(OperationInput("TH", "Sunrise Phuket"),)), "operations"),
        (replace(HOTEL, type=CompanyType.HOTEL, operations=(OperationInput("TH"),)), "operations"),
    ],
)
def test_submit_application_refuses_bad_details(applicant, details, field):
    with pytest.raises(
        DomainError,
        match="Unknown country code|Choose a country|Add at least one country|Hotels name each",
    ) as excinfo:
        services.submit_application(applicant, details)
    assert [f for f, _ in excinfo.value.errors] == [field]
    db.session.rollback()
    assert count(Company) == 0
    assert audit_rows() == []
    assert not applicant.is_owner


# update_company


def test_resubmitting_a_returned_application(company_a, owner_a):
    company_a.status = ApplicationStatus.RETURNED
    db.session.commit()
    old_name, old_submitted_at = company_a.legal_name, company_a.submitted_at
    changes = services.update_company(
        company_a, replace(details_of(company_a), legal_name="Alpha Tours Co"), owner_a
    )
    db.session.commit()
    assert company_a.status is ApplicationStatus.SUBMITTED
    assert company_a.submitted_at > old_submitted_at
    assert changes == {"legal_name": [old_name, "Alpha Tours Co"]}
    [entry] = audit_rows()
    assert entry.action == "application.resubmitted"
    assert entry.actor_id == owner_a.id
    assert (entry.from_status, entry.to_status) == ("returned", "submitted")
    assert entry.details["changes"] == changes


def test_resubmitting_without_changes_still_goes_back_to_review(company_a, owner_a):
    company_a.status = ApplicationStatus.RETURNED
    db.session.commit()
    assert services.update_company(company_a, details_of(company_a), owner_a) == {}
    assert company_a.status is ApplicationStatus.SUBMITTED
    assert [e.action for e in audit_rows()] == ["application.resubmitted"]


def test_private_change_has_no_public_fields(company_a, owner_a):
    services.update_company(
        company_a, replace(details_of(company_a), revenue_band=RevenueBand.ABOVE_50M), owner_a
    )
    [entry] = audit_rows()
    assert entry.details["changes"] == {"revenue_band": ["up_to_500k", "above_50m"]}
    assert entry.details["public_fields"] == []


@pytest.mark.parametrize("stage", [Stage.SUBMITTED, Stage.APPROVED, Stage.ACTIVE])
def test_update_without_change_records_nothing(stage):
    company = CompanyFactory(stage=stage)
    owner = owner_of(company)
    version = company.version
    assert services.update_company(company, details_of(company), owner) == {}
    db.session.commit()
    assert audit_rows() == []
    assert company.stage is stage
    assert company.version == version


def test_updating_a_rejected_company_starts_a_new_application(company_a, owner_a):
    company_a.status = ApplicationStatus.REJECTED
    db.session.commit()
    changes = services.update_company(
        company_a, replace(details_of(company_a), display_name="Alpha Tours Again"), owner_a
    )
    db.session.commit()
    assert changes == {"display_name": ["Alpha Tours", "Alpha Tours Again"]}
    assert company_a.status is ApplicationStatus.SUBMITTED
    [entry] = audit_rows()
    assert (entry.action, entry.from_status, entry.to_status) == (
        "application.restarted",
        "rejected",
        "submitted",
    )


def test_update_refuses_bad_details_and_changes_nothing(company_a, owner_a):
    with pytest.raises(DomainError, match="Choose a country from the list"):
        services.update_company(
            company_a, replace(details_of(company_a), display_name="X", hq_country="XX"), owner_a
        )
    db.session.rollback()
    assert company_a.display_name == "Alpha Tours"
    assert company_a.country_codes == ["KH", "TH"]


# sign_code


@pytest.fixture()
def approved(owner_b):
    return owner_b.company


def test_sign_code(approved, owner_b):
    signature = services.sign_code(approved, owner_b, SIGNATURE)
    db.session.commit()
    db.session.refresh(approved)
    assert approved.is_member and approved.status is ApplicationStatus.APPROVED
    assert approved.membership_number == f"TC-{approved.id:06d}"
    assert approved.joined_at == signature.signed_at
    assert approved.joined_at is not None
    assert (datetime.now(UTC) - approved.joined_at).total_seconds() < 60
    [stored] = approved.signatures
    assert stored.user_id == owner_b.id
    assert stored.criteria_version == "2"
    assert stored.accepted_criteria == [1, 2, 3, 4, 5, 6]
    assert stored.authority_confirmed
    assert (stored.signatory_name, stored.signatory_title) == ("Ana Lee", "CEO")
    assert stored.signed_at is not None
    [entry] = audit_rows()
    assert entry.action == "company.signed"
    assert entry.actor_id == owner_b.id
    assert (entry.from_status, entry.to_status) == ("approved", "active")
    assert entry.details["membership_number"] == approved.membership_number
    assert entry.details["criteria_version"] == "2"


@pytest.mark.parametrize("stage", list(Stage))
def test_only_approved_company_can_sign(stage):
    company = CompanyFactory(stage=stage)
    owner = owner_of(company)
    if stage is Stage.APPROVED:
        services.sign_code(company, owner, SIGNATURE)
        assert company.stage is Stage.ACTIVE
    else:
        with pytest.raises(DomainError, match="Only an approved application"):
            services.sign_code(company, owner, SIGNATURE)
        db.session.rollback()
        assert company.stage is stage
        assert count(Signature) == 0


@pytest.mark.parametrize("who", ["colleague", "other_owner", "reviewer"])
def test_only_the_owner_can_sign(approved, who):
    signer = {
        "colleague": lambda: UserFactory(company=approved),
        "other_owner": lambda: owner_of(CompanyFactory(status=ApplicationStatus.APPROVED)),
        "reviewer": lambda: UserFactory(role=Role.REVIEWER),
    }[who]()
    with pytest.raises(DomainError, match="owner"):
        services.sign_code(approved, signer, SIGNATURE)


@pytest.mark.parametrize(
    ("signature", "match"),
    [
        (replace(SIGNATURE, criteria_version="2023.1"), "criteria have changed"),
        (replace(SIGNATURE, criteria_version=""), "criteria have changed"),
        (replace(SIGNATURE, accepted_criteria=(1, 2, 3, 4, 5)), "Accept all six"),
        (replace(SIGNATURE, accepted_criteria=()), "Accept all six"),
        (replace(SIGNATURE, accepted_criteria=(1, 2, 3, 4, 5, 6, 7)), "Accept all six"),
        (replace(SIGNATURE, authority_confirmed=False), "Confirm that you may sign"),
    ],
)
def test_sign_code_refuses_incomplete_signature(approved, owner_b, signature, match):
    with pytest.raises(DomainError, match=match):
        services.sign_code(approved, owner_b, signature)
    db.session.rollback()
    assert approved.status is ApplicationStatus.APPROVED
    assert approved.membership_number is None
    assert count(Signature) == 0
    assert audit_rows() == []


# one transaction per state change


class Boom(Exception):
    pass


@pytest.fixture()
def failing_audit(monkeypatch):
    """Make the audit row, the last step of every service, fail."""

    def record(*args, **kwargs):
        raise Boom

    monkeypatch.setattr(audit, "record", record)


def test_failed_signing_leaves_nothing_behind(approved, owner_b, failing_audit):
    with pytest.raises(Boom, match="^$"):
        services.sign_code(approved, owner_b, SIGNATURE)
    db.session.rollback()
    db.session.refresh(approved)
    assert approved.status is ApplicationStatus.APPROVED
    assert (approved.membership_number, approved.joined_at) == (None, None)
    assert count(Signature) == 0


def test_failed_application_leaves_nothing_behind(applicant, failing_audit):
    with pytest.raises(Boom, match="^$"):
        services.submit_application(applicant, DETAILS)
    db.session.rollback()
    db.session.refresh(applicant)
    assert count(Company) == 0
    assert (applicant.company_id, applicant.is_owner) == (None, False)


def test_failed_resubmission_leaves_nothing_behind(company_a, owner_a, failing_audit):
    company_a.status = ApplicationStatus.RETURNED
    db.session.commit()
    with pytest.raises(Boom, match="^$"):
        services.update_company(
            company_a, replace(details_of(company_a), display_name="Changed"), owner_a
        )
    db.session.rollback()
    db.session.refresh(company_a)
    assert company_a.status is ApplicationStatus.RETURNED
    assert company_a.display_name == "Alpha Tours"
    assert company_a.country_codes == ["KH", "TH"]


# the company row records every change


def test_change_of_operations_alone_updates_the_company_row(company_a, owner_a):
    version, updated_at = company_a.version, company_a.updated_at
    services.update_company(
        company_a, replace(details_of(company_a), operations=(OperationInput("LA"),)), owner_a
    )
    db.session.commit()
    db.session.refresh(company_a)
    assert company_a.country_codes == ["LA"]
    assert company_a.version == version + 1
    assert company_a.updated_at > updated_at


def test_unchanged_operations_keep_their_rows(company_a, owner_a):
    ids = sorted(op.id for op in company_a.operations)
    details = details_of(company_a)
    reordered = replace(details, operations=tuple(reversed(details.operations)))
    assert services.update_company(company_a, reordered, owner_a) == {}
    db.session.commit()
    db.session.refresh(company_a)
    assert sorted(op.id for op in company_a.operations) == ids


def test_edit_of_operations_conflicts_with_a_concurrent_decision(app, company_a, owner_a):
    from tracker.auth.models import User
    from tracker.review.services import approve_application

    reviewer_id = UserFactory(role=Role.REVIEWER).id
    company = db.session.get(Company, company_a.id)
    with app.app_context():  # the reviewer's request, with its own session
        approve_application(db.session.get(Company, company.id), db.session.get(User, reviewer_id))
        db.session.commit()
    with pytest.raises(StaleDataError, match="on table 'companies' expected to update 1 row"):
        services.update_company(
            company, replace(details_of(company), operations=(OperationInput("LA"),)), owner_a
        )
    db.session.rollback()
    db.session.refresh(company)
    assert company.status is ApplicationStatus.APPROVED
    assert company.country_codes == ["KH", "TH"]
