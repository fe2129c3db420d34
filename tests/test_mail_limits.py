"""Every form that sends e-mail is limited per client address (429) and per recipient (silent)."""

import re

import pytest

from tests.factories import CompanyFactory, UserFactory, owner_of

# The defaults in config.py: 10 mail-sending requests an hour per address, 5 mails an hour per
# recipient.
PER_ADDRESS, PER_RECIPIENT = 10, 5


def from_address(n: int) -> dict:
    """Test-client options for a request from the n-th client address (TEST-NET-3)."""
    return {"environ_base": {"REMOTE_ADDR": f"203.0.113.{n}"}}


def reset(client, email: str, n: int = 1):
    return client.submit("/account/reset", {"email": email}, **from_address(n))


def register(client, email: str, n: int = 1):
    password = "long enough pw"
    data = {"name": "Ana", "email": email, "password": password, "confirm": password}
    return client.submit("/account/register", data, **from_address(n))


def test_one_address_is_refused_with_429_after_its_share(client, smtp):
    for i in range(PER_ADDRESS):
        assert reset(client, f"person{i}@example.com").status_code == 302
    refused = reset(client, "one.more@example.com")
    assert refused.status_code == 429
    retry_after = int(refused.headers["Retry-After"])
    assert 0 < retry_after <= 3600
    page = refused.get_data(as_text=True)
    said = int(re.search(r"Please try again in (\d+) minutes?\.", page).group(1))
    assert said in (-(-retry_after // 60), -(-retry_after // 60) + 1)  # rounded up, a moment apart
    assert 'href="/account/reset"' in page
    assert reset(client, "one.more@example.com", n=2).status_code == 302


def test_the_address_limit_is_shared_by_every_mail_form(client, smtp):
    for i in range(PER_ADDRESS // 2):
        assert reset(client, f"person{i}@example.com").status_code == 302
        assert register(client, f"new{i}@example.com").status_code == 302
    assert register(client, "one.more@example.com").status_code == 429
    assert reset(client, "one.more@example.com").status_code == 429


def test_showing_the_forms_is_not_limited(client):
    for _ in range(PER_ADDRESS + 2):
        assert client.get("/account/reset").status_code == 200


def test_resets_for_one_recipient_stop_silently(client, smtp):
    UserFactory(email="ana@example.com")
    answers = {
        (r.status_code, r.location) for r in (reset(client, "ana@example.com", n) for n in range(8))
    }
    assert answers == {(302, "/account/login")}, "the limit must not change the answer"
    assert len(smtp.to("ana@example.com")) == PER_RECIPIENT


def test_registrations_with_one_address_stop_silently(client, smtp):
    UserFactory(email="ana@example.com")
    for n in range(8):
        response = register(client, "ana@example.com", n)
        assert (response.status_code, response.location) == (302, "/account/login")
    assert len(smtp.to("ana@example.com")) == PER_RECIPIENT


def test_confirmation_resends_are_limited(client, auth, smtp):
    UserFactory(email="ana@example.com", email_confirmed_at=None)
    auth.login("ana@example.com")
    statuses = [client.submit("/account/confirm/resend").status_code for _ in range(12)]
    assert statuses == [302] * PER_ADDRESS + [429] * 2
    assert len(smtp.to("ana@example.com")) == PER_RECIPIENT


def test_invitations_are_limited_per_address_and_per_recipient(client, auth, smtp):
    owner = owner_of(CompanyFactory(), email="owner@example.com")
    auth.login(owner.email)
    for _ in range(PER_RECIPIENT + 2):
        response = client.submit("/company/colleagues", {"email": "colleague@example.com"})
        assert response.status_code == 302
    assert len(smtp.to("colleague@example.com")) == PER_RECIPIENT
    for i in range(PER_ADDRESS - PER_RECIPIENT - 2):
        client.submit("/company/colleagues", {"email": f"c{i}@example.com"})
    refused = client.submit("/company/colleagues", {"email": "last@example.com"})
    assert refused.status_code == 429
    assert smtp.to("last@example.com") == []


@pytest.mark.parametrize("forwarded", ["198.51.100.1", "198.51.100.1, 203.0.113.9"])
def test_a_forged_forwarded_for_header_does_not_reset_the_count(client, smtp, forwarded):
    """Without PROXY_COUNT, X-Forwarded-For is the client's own text and is not believed."""
    for _ in range(PER_ADDRESS):
        reset(client, "x@example.com")
    refused = client.submit(
        "/account/reset",
        {"email": "y@example.com"},
        headers={"X-Forwarded-For": forwarded},
        **from_address(1),
    )
    assert refused.status_code == 429
