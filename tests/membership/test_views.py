"""Staff suspend, reinstate and expel on the company's page; an owner withdraws, confirming."""

import re

import pytest

from tests.factories import CompanyFactory, UserFactory, owner_of
from tracker.audit import AuditEntry
from tracker.companies.enums import Stage
from tracker.companies.models import Company
from tracker.extensions import db


@pytest.fixture()
def member():
    return CompanyFactory(display_name="Lotus Hotels", stage=Stage.ACTIVE, countries=("TH",))


@pytest.fixture()
def member_owner(member):
    return owner_of(member, email="owner@lotus.example")


def post(client, company, action: str, data: dict, version=None):
    seen = company.version if version is None else version
    return client.submit(f"/review/companies/{company.id}/{action}", {**data, "version": str(seen)})


def text(response) -> str:
    return response.get_data(as_text=True)


def reload(company: Company) -> Company:
    db.session.expire_all()
    return db.session.get(Company, company.id)


def test_detail_offers_suspension_to_staff_and_expulsion_to_admins(
    client, auth, member, reviewer, admin
):
    auth.login(reviewer.email)
    page = text(client.get(f"/review/companies/{member.id}"))
    assert "Suspend membership" in page and "Expel from The Code" not in page
    assert member.membership_number in page
    auth.logout()
    auth.login(admin.email)
    page = text(client.get(f"/review/companies/{member.id}"))
    assert "Suspend membership" in page and "Expel from The Code" in page
    assert "Reinstate membership" not in page


def test_suspend_then_reinstate_mails_the_owner_and_shows_in_history(
    client, auth, smtp, member, member_owner, reviewer
):
    auth.login(reviewer.email)
    response = post(client, member, "suspend", {"suspend_reason": "Report two years overdue."})
    assert response.status_code == 302
    assert response.location == f"/review/companies/{member.id}"
    member = reload(member)
    assert member.stage is Stage.SUSPENDED
    [message] = smtp.to(member_owner.email)
    assert message["Subject"] == "[The Code] Your membership of The Code is suspended"
    assert "Report two years overdue." in message.get_payload(decode=True).decode()
    page = text(client.get(response.location))
    assert "Membership suspended" in page and "Report two years overdue." in page
    assert "Reinstate membership" in page and "Suspend membership" not in page

    response = post(client, member, "reinstate", {"reinstate_note": ""})
    assert response.status_code == 302
    assert reload(member).is_member
    assert smtp.to(member_owner.email)[-1]["Subject"].endswith("is reinstated")


def test_suspension_without_reason_shows_the_error_beside_it(client, auth, smtp, member, reviewer):
    auth.login(reviewer.email)
    response = post(client, member, "suspend", {"suspend_reason": "  "})
    assert response.status_code == 200
    assert re.search(r'id="suspend_reason-error">\s*This field is required', text(response))
    assert reload(member).is_member and smtp.messages == []


def test_a_stale_page_cannot_suspend(client, auth, member, reviewer):
    auth.login(reviewer.email)
    seen = member.version
    member.display_name = "Lotus Hotels & Spa"
    db.session.commit()
    response = post(client, member, "suspend", {"suspend_reason": "Overdue."}, version=seen)
    assert response.status_code == 409
    assert "Overdue." in text(response)  # what was typed is kept
    assert reload(member).is_member


def test_expelling_needs_the_confirmation_box(client, auth, smtp, member, member_owner, admin):
    auth.login(admin.email)
    response = post(client, member, "expel", {"expel_reason": "Exploitation found."})
    assert response.status_code == 200
    page = text(response)
    assert "Tick the box to confirm" in page and "Exploitation found." in page
    assert reload(member).is_member
    response = post(
        client, member, "expel", {"expel_reason": "Exploitation found.", "expel_confirm": "y"}
    )
    assert response.status_code == 302
    member = reload(member)
    assert member.stage is Stage.EXPELLED and member.membership_number
    assert smtp.to(member_owner.email)[-1]["Subject"].endswith("no longer a member of The Code")


def test_reviewers_cannot_expel(client, auth, member, reviewer):
    auth.login(reviewer.email)
    response = post(client, member, "expel", {"expel_reason": "x", "expel_confirm": "y"})
    assert response.status_code == 403
    assert reload(member).is_member


def test_withdrawing_asks_for_a_reason_then_a_confirmation(
    client, auth, smtp, member, member_owner
):
    auth.login(member_owner.email)
    assert "Withdraw Lotus Hotels" in text(client.get("/company/withdraw"))
    response = client.submit("/company/withdraw", {"reason": ""})
    assert response.status_code == 200 and "Tell ECPAT why" in text(response)

    reason = "We sold the hotel.\nThe new owner will apply."
    response = client.submit("/company/withdraw", {"reason": reason})
    page = text(response)
    assert response.status_code == 200 and "Yes, withdraw" in page
    assert reload(member).is_member  # nothing happens before the confirmation

    response = client.submit("/company/withdraw", {"reason": reason, "confirmed": "yes"})
    assert response.status_code == 302 and response.location == "/company/"
    member = reload(member)
    assert member.stage is Stage.WITHDRAWN
    entry = db.session.query(AuditEntry).order_by(AuditEntry.id.desc()).first()
    assert (entry.action, entry.actor_id, entry.comment) == (
        "membership.withdrawn",
        member_owner.id,
        reason,
    )
    [message] = smtp.to(member_owner.email)
    assert "withdrawn" in message["Subject"]
    assert client.get("/company/withdraw").status_code == 403  # only once


def test_a_colleague_cannot_withdraw(client, auth, member, member_owner):
    colleague = UserFactory(company=member)
    auth.login(colleague.email)
    assert client.get("/company/withdraw").status_code == 403
    response = client.submit("/company/withdraw", {"reason": "x", "confirmed": "yes"})
    assert response.status_code == 403
    assert reload(member).is_member
