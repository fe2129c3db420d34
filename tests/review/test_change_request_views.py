"""Staff see an approved company's requested change, before and after, and approve or return it."""

import pytest

from tests.factories import CompanyFactory, owner_of
from tracker.companies import change_requests
from tracker.companies.applications import ChangeRequest, ChangeRequestStatus
from tracker.companies.enums import Stage
from tracker.companies.models import Company
from tracker.countries import country_name
from tracker.extensions import db


@pytest.fixture()
def member():
    company = CompanyFactory(display_name="Lotus Hotel", stage=Stage.ACTIVE, countries=("TH",))
    owner = owner_of(company, email="owner@lotus.example")
    db.session.add(
        ChangeRequest(
            company=company,
            requested_by_id=owner.id,
            status=ChangeRequestStatus.PENDING,
            proposed={"display_name": "Lotus Hotels", "hq_country": "LA"},
        )
    )
    db.session.commit()
    return company


def post(client, company, action, data=None):
    url = f"/review/companies/{company.id}/change/{action}"
    return client.submit(url, {**(data or {}), "version": str(company.version)})


def reload(company) -> Company:
    db.session.expire_all()
    return db.session.get(Company, company.id)


def test_the_page_shows_each_requested_change_before_and_after(client, auth, reviewer, member):
    auth.login(reviewer.email)
    page = client.get(f"/review/companies/{member.id}").get_data(as_text=True)
    assert "Change awaiting review" in page
    now = '<td class="break-anywhere" data-label="Now">'
    asked = '<td class="break-anywhere" data-label="Asked for">'
    assert f'<th scope="row">Public name</th>{now}Lotus Hotel</td>{asked}Lotus Hotels</td>' in page
    assert f"{now}Thailand</td>{asked}{country_name('LA')}</td>" in page
    assert "Approve the change" in page and "Return the change for corrections" in page


def test_approving_applies_the_change_and_tells_the_owner(client, auth, smtp, reviewer, member):
    auth.login(reviewer.email)
    response = post(client, member, "approve")
    assert response.status_code == 302
    assert response.location == f"/review/companies/{member.id}"
    member = reload(member)
    assert (member.display_name, member.hq_country) == ("Lotus Hotels", "LA")
    assert change_requests.open_request(member) is None
    assert smtp.to("owner@lotus.example")[-1]["Subject"].endswith("change of details is approved")
    page = client.get(response.location).get_data(as_text=True)
    assert "Change of details approved" in page and "Public name" in page


def test_returning_needs_a_comment_and_keeps_the_approved_details(
    client, auth, smtp, reviewer, member
):
    auth.login(reviewer.email)
    response = post(client, member, "return", {"change_comment": ""})
    assert response.status_code == 200
    assert 'id="change_comment-error"' in response.get_data(as_text=True)
    response = post(client, member, "return", {"change_comment": "Show the registration."})
    assert response.status_code == 302
    member = reload(member)
    assert member.display_name == "Lotus Hotel"
    request = change_requests.open_request(member)
    assert (request.status, request.comment) == (
        ChangeRequestStatus.RETURNED,
        "Show the registration.",
    )
    body = smtp.to("owner@lotus.example")[-1].get_payload(decode=True).decode()
    assert "Show the registration." in body


def test_a_change_amended_after_the_page_was_read_is_not_approved(client, auth, reviewer, member):
    auth.login(reviewer.email)
    seen = member.version
    request = change_requests.open_request(member)
    request.proposed = {"display_name": "Something Else"}
    # An amendment moves the company's version, as propose() does.
    db.session.execute(
        Company.__table__.update()
        .where(Company.id == member.id)
        .values(version=Company.version + 1)
    )
    db.session.commit()
    response = client.submit(
        f"/review/companies/{member.id}/change/approve", {"version": str(seen)}
    )
    assert response.status_code == 409
    assert reload(member).display_name == "Lotus Hotel"


def test_the_queue_finds_changes_awaiting_review(client, auth, reviewer, rep_fr, member):
    CompanyFactory(display_name="Other Member", stage=Stage.ACTIVE)
    auth.login(reviewer.email)
    page = client.get("/review/?status=changes").get_data(as_text=True)
    assert "Lotus Hotel" in page and "Other Member" not in page
    assert "Change of details to review" in page
    assert "Change of details awaiting review</a>: 1" in page
    # Among all members too, the row says so.
    members = client.get("/review/?status=active").get_data(as_text=True)
    assert members.count("Change of details to review") == 1

    post(client, member, "approve", {})
    client.get("/review/")  # shows the decision's message
    page = client.get("/review/?status=changes").get_data(as_text=True)
    assert "Lotus Hotel" not in page
    assert "Change of details awaiting review</a>: 0" in page

    auth.logout()
    auth.login(rep_fr.email)  # Thailand is not theirs
    assert "Change of details awaiting review</a>: 0" in client.get("/review/").get_data(
        as_text=True
    )
