"""No form tells an outsider whether an address has an account."""

from tests.factories import CompanyFactory, UserFactory, owner_of
from tests.fixtures.sql import sql_statements


def test_reset_does_the_same_work_for_known_and_unknown_addresses(app, client, monkeypatch):
    """Equal work means equal time: the look-up happens at delivery, after the response."""
    monkeypatch.setitem(app.config, "MAIL_DELIVER_AFTER_RESPONSE", False)
    UserFactory(email="ana@example.com")
    token = client.csrf_token()
    answers, work = [], []
    for email in ("ana@example.com", "nobody@example.com"):
        with sql_statements() as seen:
            response = client.post("/account/reset", data={"email": email, "csrf_token": token})
        answers.append((response.status_code, response.location, response.data))
        work.append(seen)
    assert answers[0] == answers[1]
    assert work[0] == work[1]
    assert any(statement.startswith("INSERT INTO outbox_messages") for statement in work[0])
    assert not any("FROM users" in statement for statement in work[0])


def invite(client, email: str):
    response = client.submit("/company/colleagues", {"email": email})
    return response.status_code, response.location, client.get(response.location).data


def test_inviting_an_address_of_another_company_looks_like_any_other(client, auth, smtp):
    owner = owner_of(CompanyFactory(display_name="Alpha Tours"), email="owner@example.com")
    UserFactory(email="taken@example.com", company=CompanyFactory(display_name="Beta Hotels"))
    auth.login(owner.email)
    taken_status, taken_location, taken_page = invite(client, "taken@example.com")
    fresh_status, fresh_location, fresh_page = invite(client, "fresh@example.com")
    assert (taken_status, taken_location) == (fresh_status, fresh_location)
    assert taken_status == 302
    assert b"We sent an invitation to taken@example.com." in taken_page
    assert b"Beta Hotels" not in taken_page
    assert len(smtp.to("taken@example.com")) == len(smtp.to("fresh@example.com")) == 1


def test_an_invitee_with_an_account_learns_it_when_following_the_link(client, auth, smtp):
    owner = owner_of(CompanyFactory(display_name="Alpha Tours"), email="owner@example.com")
    UserFactory(email="taken@example.com")
    auth.login(owner.email)
    client.submit("/company/colleagues", {"email": "taken@example.com"})
    auth.logout()
    link = smtp.link("taken@example.com", "/account/invitation/")
    form = {"name": "Someone", "password": "long enough pw", "confirm": "long enough pw"}
    response = client.submit(link, form)
    assert (response.status_code, response.location) == (302, "/account/login")
    page = client.get("/account/login").get_data(as_text=True)
    assert "This e-mail address already has an account. Sign in with it instead." in page
