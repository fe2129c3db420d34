"""After approval, reviewed details change only when staff approve; contact details at once."""

from dataclasses import replace

import pytest
from sqlalchemy import select

from tests.companies.test_services import details_of
from tests.factories import CompanyFactory, UserFactory, owner_of, staff
from tracker.audit import AuditEntry
from tracker.auth.models import Role
from tracker.companies import change_requests, services
from tracker.companies.applications import ChangeRequestStatus
from tracker.companies.enums import CompanyType, Stage
from tracker.companies.services import OperationInput
from tracker.domain import DomainError
from tracker.extensions import db


@pytest.fixture(params=[Stage.APPROVED, Stage.ACTIVE, Stage.SUSPENDED])
def approved(request):
    return CompanyFactory(display_name="Lotus Hotel", countries=("TH",), stage=request.param)


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_reviewed_fields_wait_and_contact_details_change_at_once(approved):
    colleague = UserFactory(company=approved)  # not the owner: still only a request
    new = replace(
        details_of(approved),
        display_name="Lotus Hotels",
        type=CompanyType.TRAVEL_AGENCY,
        contact_name="New Contact",
        operations=(OperationInput("TH"), OperationInput("LA")),
    )
    changes = services.update_company(approved, new, colleague)
    db.session.commit()
    assert (approved.display_name, approved.type) == ("Lotus Hotel", CompanyType.TOUR_OPERATOR)
    assert approved.country_codes == ["TH"]
    assert approved.contact_name == "New Contact"
    request = change_requests.open_request(approved)
    assert request.status is ChangeRequestStatus.PENDING
    assert request.requested_by_id == colleague.id
    assert changes == {
        "display_name": ["Lotus Hotel", "Lotus Hotels"],
        "type": ["tour_operator", "travel_agency"],
        "countries": [["TH"], ["LA", "TH"]],
        "contact_name": ["Contact Person", "New Contact"],
    }
    assert actions() == ["change.requested", "company.updated"]
    requested = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "change.requested"))
    assert set(requested.details["changes"]) == {"display_name", "type", "countries"}


def test_approval_applies_the_proposal(approved):
    owner, reviewer = owner_of(approved), staff(Role.REVIEWER)
    new = replace(
        details_of(approved),
        legal_name="Lotus Hotels Co.",
        website="",
        operations=(OperationInput("LA"),),
    )
    services.update_company(approved, new, owner)
    version = approved.version
    changes = change_requests.approve_change_request(approved, reviewer)
    db.session.commit()
    assert approved.legal_name == "Lotus Hotels Co." and approved.website is None
    assert approved.country_codes == ["LA"]
    assert approved.version > version
    assert change_requests.open_request(approved) is None
    assert changes["legal_name"][1] == "Lotus Hotels Co."
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "change.approved"))
    assert entry.actor_id == reviewer.id and entry.details["changes"] == changes


def test_a_returned_request_is_amended_and_goes_back_to_review(approved):
    owner, reviewer = owner_of(approved), staff(Role.REVIEWER)
    services.update_company(approved, replace(details_of(approved), display_name="Lotus"), owner)
    with pytest.raises(DomainError, match="Say what the company should correct"):
        change_requests.return_change_request(approved, reviewer, "  ")
    change_requests.return_change_request(approved, reviewer, "Use the registered name.")
    request = change_requests.open_request(approved)
    assert (request.status, request.comment) == (
        ChangeRequestStatus.RETURNED,
        "Use the registered name.",
    )
    with pytest.raises(DomainError, match="No change"):
        change_requests.approve_change_request(approved, reviewer)
    services.update_company(
        approved, replace(details_of(approved), display_name="Lotus Hotels"), owner
    )
    assert change_requests.open_request(approved).status is ChangeRequestStatus.PENDING
    assert change_requests.open_request(approved).proposed == {"display_name": "Lotus Hotels"}
    assert actions() == ["change.requested", "change.returned", "change.requested"]


def test_going_back_to_the_approved_values_withdraws_the_request(approved):
    owner = owner_of(approved)
    services.update_company(approved, replace(details_of(approved), display_name="Lotus"), owner)
    services.update_company(approved, details_of(approved), owner)
    assert change_requests.open_request(approved) is None
    assert actions() == ["change.requested", "change.withdrawn"]


def test_saving_the_same_proposal_again_records_nothing_new(approved):
    owner = owner_of(approved)
    new = replace(details_of(approved), display_name="Lotus")
    services.update_company(approved, new, owner)
    services.update_company(approved, new, owner)
    assert actions() == ["change.requested"]


def test_properties_in_approved_countries_change_at_once():
    chain = CompanyFactory(type=CompanyType.HOTEL_CHAIN, stage=Stage.ACTIVE, countries=())
    chain.operations = []
    db.session.commit()
    owner = owner_of(chain)
    first = replace(details_of(chain), operations=(OperationInput("TH", "Lotus", "Bangkok"),))
    # The factory gave no operations; approve a first country the way staff would.
    services.update_company(chain, first, owner)
    change_requests.approve_change_request(chain, staff(Role.ADMIN))
    more = replace(
        details_of(chain),
        operations=(
            OperationInput("TH", "Lotus", "Bangkok"),
            OperationInput("TH", "Lotus Beach", "Phuket"),
        ),
    )
    services.update_company(chain, more, owner)
    assert len(chain.operations) == 2
    assert change_requests.open_request(chain) is None


def test_only_staff_who_see_the_company_decide(approved):
    owner = owner_of(approved)
    services.update_company(approved, replace(details_of(approved), display_name="Lotus"), owner)
    for outsider in (owner, staff(Role.REPRESENTATIVE, ("FR",))):
        with pytest.raises(DomainError, match="may see the company"):
            change_requests.approve_change_request(approved, outsider)
    change_requests.approve_change_request(approved, staff(Role.REPRESENTATIVE, ("TH",)))
    assert approved.display_name == "Lotus"


def test_before_approval_the_application_itself_changes():
    company = CompanyFactory(stage=Stage.SUBMITTED)
    services.update_company(
        company, replace(details_of(company), display_name="Renamed"), owner_of(company)
    )
    assert company.display_name == "Renamed"
    assert change_requests.open_request(company) is None
