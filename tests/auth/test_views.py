"""Account pages through the test client, with e-mail going over SMTP."""

import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from tests.factories import PASSWORD, CompanyFactory, UserFactory, owner_of, staff
from tracker.auth.models import Role, User
from tracker.auth.services import find_user
from tracker.extensions import db

NEW_PASSWORD = "a brand new password"
CHECK_INBOX = (
    "Check your inbox: we sent a message to ana@sunrise.example. Open its link to confirm your "
    "address, then sign in."
)
REGISTRATION = {
    "name": "Ana Lee",
    "email": "Ana@Sunrise.example",
    "password": "long enough pw",
    "confirm": "long enough pw",
}


class Clock:
    """Moves itsdangerous' idea of "now" so that tokens can expire during a test."""

    def __init__(self):
        self.offset = 0

    def advance(self, seconds: int) -> None:
        self.offset += seconds


@pytest.fixture()
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(
        TimestampSigner, "get_timestamp", lambda self: int(time.time()) + clock.offset
    )
    return clock


def flashes(client) -> list[str]:
    """The flashed messages waiting in the client's session, left unread."""
    with client.session_transaction() as session:
        return [message for _, message in session.get("_flashes", [])]


def signed_in(client) -> bool:
    response = client.get("/account/password")
    assert response.status_code in (200, 302)
    return response.status_code == 200


# registration and confirmation


def test_register_sends_confirmation_whose_link_confirms(client, smtp):
    response = client.submit("/account/register", REGISTRATION)
    assert response.status_code == 302
    assert response.location == "/account/login"
    assert flashes(client) == [CHECK_INBOX]
    user = find_user("ana@sunrise.example")
    assert user is not None and not user.email_confirmed
    assert not signed_in(client)  # registering proves nothing yet: sign in after confirming

    [message] = smtp.to("ana@sunrise.example")
    assert message["Subject"] == "[The Code] Confirm your e-mail address"
    assert "Ana Lee" not in message.get_payload()  # no text typed by whoever registered
    response = client.get(smtp.link("ana@sunrise.example", "/account/confirm/"))
    assert response.status_code == 302
    assert response.location == "/account/login"
    assert "Thank you, your e-mail address is confirmed." in flashes(client)
    db.session.refresh(user)
    assert user.email_confirmed


def test_register_with_taken_email_answers_the_same_and_tells_the_owner(client, smtp):
    UserFactory(email="ana@sunrise.example", name="The Real Ana")
    taken = client.submit("/account/register", {**REGISTRATION, "name": "Visit evil.example"})
    assert (taken.status_code, taken.location) == (302, "/account/login")
    assert flashes(client) == [CHECK_INBOX]
    assert db.session.query(User).count() == 1
    assert find_user("ana@sunrise.example").name == "The Real Ana"

    [message] = smtp.to("ana@sunrise.example")
    assert message["Subject"] == "[The Code] Someone tried to register with your address"
    body = message.get_payload()
    assert "evil.example" not in body
    assert "https://tracker.test/account/reset" in body
    assert "/account/confirm/" not in body


@pytest.mark.parametrize(
    ("age", "confirmed"),
    [(7 * 24 * 3600 - 60, True), (7 * 24 * 3600 + 1, False)],
)
def test_confirmation_link_expires(client, smtp, clock, age, confirmed):
    client.submit("/account/register", REGISTRATION)
    link = smtp.link("ana@sunrise.example", "/account/confirm/")
    clock.advance(age)
    response = client.get(link)
    assert response.status_code == 302
    user = find_user("ana@sunrise.example")
    assert user.email_confirmed is confirmed
    if not confirmed:
        assert response.location == "/account/login"
        assert any("invalid or has expired" in message for message in flashes(client))


def test_confirmation_link_follows_config(client, smtp, app, monkeypatch):
    client.submit("/account/register", REGISTRATION)
    monkeypatch.setitem(app.config, "CONFIRM_TOKEN_MAX_AGE", -1)
    client.get(smtp.link("ana@sunrise.example", "/account/confirm/"))
    assert not find_user("ana@sunrise.example").email_confirmed


@pytest.mark.parametrize("token", ["garbage", "eyJpZCI6MX0.aaaa.bbbb"])
def test_forged_confirmation_link_is_refused(client, token):
    response = client.get(f"/account/confirm/{token}")
    assert response.status_code == 302
    assert response.location == "/account/login"


# password reset


def test_password_reset_journey(client, auth, smtp):
    UserFactory(email="ana@example.com")
    response = client.submit("/account/reset", {"email": "ANA@example.com"})
    assert response.status_code == 302
    assert response.location == "/account/login"
    link = smtp.link("ana@example.com", "/account/reset/")

    assert client.get(link).status_code == 200
    response = client.submit(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.location == "/account/login"

    assert auth.login("ana@example.com", PASSWORD).status_code == 200  # refused, form again
    assert not signed_in(client)
    assert auth.login("ana@example.com", NEW_PASSWORD).status_code == 302
    assert signed_in(client)

    # The link was single-use: the password it would set cannot be set again.
    auth.logout()
    response = client.submit(
        link, {"password": "yet another password", "confirm": "yet another password"}
    )
    assert response.status_code == 302
    assert response.location == "/account/reset"
    assert find_user("ana@example.com").check_password(NEW_PASSWORD)


def test_password_reset_confirms_the_address(client, smtp):
    UserFactory(email="ana@example.com", email_confirmed_at=None)
    client.submit("/account/reset", {"email": "ana@example.com"})
    link = smtp.link("ana@example.com", "/account/reset/")
    client.submit(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert find_user("ana@example.com").email_confirmed


def test_password_reset_link_expires(client, smtp, clock):
    UserFactory(email="ana@example.com")
    client.submit("/account/reset", {"email": "ana@example.com"})
    link = smtp.link("ana@example.com", "/account/reset/")
    clock.advance(3601)
    response = client.submit(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.location == "/account/reset"
    assert find_user("ana@example.com").check_password(PASSWORD)


def test_reset_request_for_unknown_email_looks_the_same(client, smtp):
    UserFactory(email="ana@example.com")
    known = client.submit("/account/reset", {"email": "ana@example.com"})
    known_flashes = flashes(client)
    client.get("/account/login")  # consume the flash
    unknown = client.submit("/account/reset", {"email": "nobody@example.com"})
    assert (unknown.status_code, unknown.location) == (known.status_code, known.location)
    assert flashes(client) == known_flashes
    assert len(smtp.messages) == 1
    assert smtp.to("nobody@example.com") == []


# change password and sessions


@pytest.mark.parametrize("remember", ["", "y"])
def test_change_password_signs_out_other_sessions_only(app, client, auth, remember):
    UserFactory(email="ana@example.com")
    other = app.test_client()
    auth.login("ana@example.com")
    other.submit(
        "/account/login", {"email": "ana@example.com", "password": PASSWORD, "remember": remember}
    )
    assert signed_in(client) and signed_in(other)

    response = client.submit(
        "/account/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert signed_in(client)
    assert not signed_in(other)
    assert find_user("ana@example.com").check_password(NEW_PASSWORD)


def test_change_password_with_wrong_current_password(client, auth):
    UserFactory(email="ana@example.com")
    auth.login("ana@example.com")
    response = client.submit(
        "/account/password",
        {"current_password": "not it at all", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert b"This is not your current password." in response.data
    assert find_user("ana@example.com").check_password(PASSWORD)
    assert signed_in(client)


def test_change_password_requires_login(client):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.location.startswith("/account/login")


# logout


def test_logout_requires_post(client, auth):
    UserFactory(email="ana@example.com")
    auth.login("ana@example.com")
    assert client.get("/account/logout").status_code == 405
    assert signed_in(client)


def test_logout_requires_csrf(client, auth):
    UserFactory(email="ana@example.com")
    auth.login("ana@example.com")
    assert client.post("/account/logout").status_code == 400
    assert signed_in(client)
    response = auth.logout()
    assert response.status_code == 302
    assert not signed_in(client)


# invitations


def pending_section(response) -> str:
    page = response.get_data(as_text=True)
    assert "Invitations not yet accepted" in page
    return page.split("Invitations not yet accepted")[1]


def test_owner_invites_colleague_who_joins_the_company(app, client, auth, smtp):
    company = CompanyFactory(display_name="Alpha Tours")
    owner_of(company, email="owner@example.com")
    auth.login("owner@example.com")
    response = client.submit("/company/colleagues", {"email": "Col@Example.com"})
    assert response.status_code == 302
    [message] = smtp.to("col@example.com")
    assert "Alpha Tours" in message["Subject"]
    link = smtp.link("col@example.com", "/account/invitation/")
    assert "col@example.com" in pending_section(client.get("/company/colleagues"))

    colleague = app.test_client()
    assert colleague.get(link).status_code == 200
    response = colleague.submit(
        link, {"name": "Col League", "password": "long enough pw", "confirm": "long enough pw"}
    )
    assert response.status_code == 302
    assert response.location == "/company/"
    user = find_user("col@example.com")
    assert user.company_id == company.id
    assert not user.is_owner
    assert user.email_confirmed
    assert signed_in(colleague)
    # Accepted: the colleague is listed, the invitation no longer pending.
    page = client.get("/company/colleagues").get_data(as_text=True)
    assert "Col League" in page
    assert "not yet accepted" not in page

    # A second use of the link is refused.
    again = app.test_client()
    response = again.submit(
        link, {"name": "Someone", "password": "long enough pw", "confirm": "long enough pw"}
    )
    assert response.status_code == 302
    assert response.location == "/"
    assert db.session.scalar(select(User).where(User.email == "col@example.com")) == user


def test_non_owner_cannot_invite(client, auth, smtp):
    company = CompanyFactory()
    owner_of(company)
    UserFactory(company=company, email="col@example.com")
    auth.login("col@example.com")
    response = client.submit("/company/colleagues", {"email": "friend@example.com"})
    assert response.status_code == 200
    assert b"Only the company&#39;s owner can invite colleagues." in response.data
    assert smtp.messages == []


# login


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Role.COMPANY, "/company/"),
        (Role.REVIEWER, "/review/"),
        (Role.ADMIN, "/review/"),
        (Role.REPRESENTATIVE, "/review/"),
    ],
)
def test_login_redirects_by_role(auth, role, home):
    countries = ("TH",) if role is Role.REPRESENTATIVE else ()
    staff(role, countries, email="someone@example.com")
    response = auth.login("someone@example.com")
    assert response.status_code == 302
    assert response.location == home


@pytest.mark.parametrize(
    ("next_url", "location"),
    [
        ("/account/password", "/account/password"),
        ("//evil.example/", "/company/"),
        ("https://evil.example/", "/company/"),
        ("/\\evil.example", "/company/"),
    ],
)
def test_login_follows_only_local_next(client, next_url, location):
    UserFactory(email="ana@example.com")
    response = client.submit(
        "/account/login",
        {"email": "ana@example.com", "password": PASSWORD},
        query_string={"next": next_url},
    )
    assert response.location == location


def test_login_with_wrong_password(client, auth):
    UserFactory(email="ana@example.com")
    response = auth.login("ana@example.com", "wrong password")
    assert response.status_code == 200
    assert b"The e-mail address or password is not right." in response.data
    assert not signed_in(client)
