"""Failed sign-ins are limited per address and per account, yet the owner's own browser gets in."""

import pytest
from werkzeug.http import parse_date

from tests.factories import PASSWORD, UserFactory
from tracker.auth.login_limits import DEVICE_COOKIE
from tracker.auth.services import reset_token_payload
from tracker.tokens import make_token

WRONG = "not the password at all"
# Documentation addresses (TEST-NET-1/2/3), one per attacking machine.
ATTACKERS = [f"203.0.113.{n}" for n in range(1, 21)]
OWNER_ADDRESS = "198.51.100.10"
ACCOUNT_LIMIT = 5  # LOGIN_LIMIT_PER_ACCOUNT and LOGIN_LIMIT_PER_DEVICE: 5 per minute
ADDRESS_LIMIT = 10  # LOGIN_LIMIT_PER_ADDRESS: 10 per minute


def attempt(client, email: str, password: str, address: str = OWNER_ADDRESS):
    data = {"email": email, "password": password}
    return client.submit("/account/login", data, environ_base={"REMOTE_ADDR": address})


def assert_refused(response) -> None:
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60


def assert_signed_in(response) -> None:
    assert (response.status_code, response.location) == (302, "/company/")


def attack(app, email: str, attempts: int = ACCOUNT_LIMIT) -> list[int]:
    """Wrong passwords for `email`, each from a fresh browser at another address."""
    return [
        attempt(app.test_client(), email, WRONG, address).status_code
        for address in ATTACKERS[:attempts]
    ]


@pytest.fixture()
def owners_browser(client, owner_a):
    """The owner's browser, which signed in to the account once and signed out again."""
    assert_signed_in(attempt(client, owner_a.email, PASSWORD))
    client.submit("/account/logout")
    return client


# the attacker is slowed


def test_after_the_account_limit_an_attacker_is_refused_even_with_the_right_password(app, owner_a):
    assert attack(app, owner_a.email) == [200] * ACCOUNT_LIMIT
    for password in (WRONG, PASSWORD):
        assert_refused(attempt(app.test_client(), owner_a.email, password, ATTACKERS[-1]))


def test_the_account_limit_counts_unknown_addresses_too(app):
    """Guessing at an address with no account costs the same, so the limit reveals nothing."""
    assert attack(app, "nobody@example.com") == [200] * ACCOUNT_LIMIT
    assert_refused(attempt(app.test_client(), "NOBODY@example.com", WRONG, ATTACKERS[-1]))


def test_one_address_trying_many_accounts_hits_the_address_limit(app, client, owner_a):
    statuses = [
        attempt(client, f"someone{n}@example.com", WRONG, ATTACKERS[0]).status_code
        for n in range(ADDRESS_LIMIT)
    ]
    assert statuses == [200] * ADDRESS_LIMIT
    assert_refused(attempt(client, owner_a.email, PASSWORD, ATTACKERS[0]))
    # Per address, not for everyone: the account itself has had no failure yet.
    assert_signed_in(attempt(app.test_client(), owner_a.email, PASSWORD, ATTACKERS[1]))


# the owner signs in


def test_the_owners_browser_signs_in_during_the_attack(app, owners_browser, owner_a):
    attack(app, owner_a.email)
    assert_refused(attempt(app.test_client(), owner_a.email, PASSWORD, ATTACKERS[-1]))

    assert attempt(owners_browser, owner_a.email, WRONG).status_code == 200  # a typo: form again
    assert_signed_in(attempt(owners_browser, owner_a.email, PASSWORD))


def test_the_owners_browser_signs_in_from_an_address_the_attacker_exhausted(
    app, owners_browser, owner_a
):
    for n in range(ADDRESS_LIMIT):
        attempt(app.test_client(), f"someone{n}@example.com", WRONG, OWNER_ADDRESS)
    assert_refused(attempt(app.test_client(), owner_a.email, PASSWORD, OWNER_ADDRESS))
    assert_signed_in(attempt(owners_browser, owner_a.email, PASSWORD, OWNER_ADDRESS))


def test_a_password_reset_makes_the_browser_known(app, client, owner_a):
    attack(app, owner_a.email)
    assert_refused(attempt(client, owner_a.email, PASSWORD))
    new = "a brand new password"
    link = "/account/reset/" + make_token("reset", reset_token_payload(owner_a))
    assert client.submit(link, {"password": new, "confirm": new}).status_code == 302
    assert_signed_in(attempt(client, owner_a.email, new))


# what a device cookie is worth


def test_a_stolen_device_cookie_gets_a_bounded_number_of_guesses(app, owners_browser, owner_a):
    stolen = owners_browser.get_cookie(DEVICE_COOKIE, path="/account/").value
    thieves = [app.test_client() for _ in range(ACCOUNT_LIMIT + 1)]
    for thief in thieves:
        thief.set_cookie(DEVICE_COOKIE, stolen, path="/account/")
    statuses = [
        attempt(thief, owner_a.email, WRONG, address).status_code
        for thief, address in zip(thieves, ATTACKERS, strict=False)
    ]
    # Counted per device, however many machines and addresses share the cookie.
    assert statuses == [200] * ACCOUNT_LIMIT + [429]


@pytest.mark.parametrize("kind", ["garbage", "tampered", "other account"])
def test_only_a_valid_device_cookie_for_the_account_helps(app, owner_a, kind):
    other = UserFactory(email="other@example.com")
    browser = app.test_client()
    assert_signed_in(attempt(browser, other.email, PASSWORD))
    cookie = browser.get_cookie(DEVICE_COOKIE, path="/account/").value
    value = {"garbage": "x.y.z", "tampered": "A" + cookie[1:], "other account": cookie}[kind]
    browser.submit("/account/logout")
    browser.set_cookie(DEVICE_COOKIE, value, path="/account/")

    attack(app, owner_a.email)
    assert_refused(attempt(browser, owner_a.email, PASSWORD))


def test_one_cookie_names_several_accounts(app, client, owner_a):
    colleague = UserFactory(email="colleague@example.com")
    for user in (owner_a, colleague):
        assert_signed_in(attempt(client, user.email, PASSWORD))
        client.submit("/account/logout")
    for user in (owner_a, colleague):
        attack(app, user.email)
        assert_signed_in(attempt(client, user.email, PASSWORD))
        client.submit("/account/logout")


def test_device_cookie_is_httponly_lax_and_long_lived(client, owner_a):
    response = attempt(client, owner_a.email, PASSWORD)
    [cookie] = [
        header
        for header in response.headers.getlist("Set-Cookie")
        if header.startswith(f"{DEVICE_COOKIE}=")
    ]
    assert "; HttpOnly" in cookie and "; SameSite=Lax" in cookie and "; Path=/account/" in cookie
    assert "Max-Age=31536000" in cookie
    assert parse_date(cookie.split("Expires=")[1].split(";")[0]) is not None


# only failures count


def test_successes_do_not_use_up_the_account_allowance(app, owner_a):
    assert attack(app, owner_a.email, ACCOUNT_LIMIT - 1) == [200] * (ACCOUNT_LIMIT - 1)
    for address in ATTACKERS[:8]:  # fresh browsers each time: none is known to the account
        assert_signed_in(attempt(app.test_client(), owner_a.email, PASSWORD, address))
    assert attempt(app.test_client(), owner_a.email, WRONG).status_code == 200
    assert_refused(attempt(app.test_client(), owner_a.email, WRONG))


def test_successes_do_not_use_up_the_address_allowance(app, owner_a):
    for _ in range(ADDRESS_LIMIT + 2):
        assert_signed_in(attempt(app.test_client(), owner_a.email, PASSWORD, ATTACKERS[0]))
    statuses = [
        attempt(app.test_client(), f"someone{n}@example.com", WRONG, ATTACKERS[0]).status_code
        for n in range(ADDRESS_LIMIT + 1)
    ]
    assert statuses == [200] * ADDRESS_LIMIT + [429]


def test_successes_do_not_use_up_the_device_allowance(owners_browser, owner_a):
    for _ in range(ACCOUNT_LIMIT - 1):
        assert attempt(owners_browser, owner_a.email, WRONG).status_code == 200
    assert_signed_in(attempt(owners_browser, owner_a.email, PASSWORD))
    owners_browser.submit("/account/logout")
    assert attempt(owners_browser, owner_a.email, WRONG).status_code == 200
    assert_refused(attempt(owners_browser, owner_a.email, WRONG))
