"""Every refused request leaves one log line with its reason and nothing personal."""

import logging
import re

import pytest

from config import TestingConfig
from tracker.extensions import limiter
from tracker.security_log import anonymised_network

CLIENT = {"REMOTE_ADDR": "203.0.113.77"}
NETWORK = "client=203.0.113.0/24"
EMAIL, LOCAL_PART, DOMAIN = "jane.doe@secret-corp.example", "jane.doe", "secret-corp.example"
PASSWORD = "hunter2-Correct-Staple"
SECRETS = ("203.0.113.77", LOCAL_PART, PASSWORD, "hunter2")


@pytest.fixture()
def refusals(caplog):
    """The messages logged on tracker.security during the test."""
    caplog.set_level(logging.WARNING, logger="tracker.security")

    def lines() -> list[str]:
        records = [r for r in caplog.records if r.name == "tracker.security"]
        assert all(r.levelno == logging.WARNING for r in records)
        return [r.getMessage() for r in records]

    return lines


def assert_nothing_personal(line: str) -> None:
    for secret in SECRETS:
        assert secret not in line, (secret, line)


def test_csrf_refusal_is_logged_with_the_email_domain_only(client, refusals):
    form = {"csrf_token": "forged-token-value", "email": EMAIL, "password": PASSWORD}
    response = client.post("/account/login?next=/secret-query", data=form, environ_base=CLIENT)
    assert response.status_code == 400
    [line] = refusals()
    assert line.startswith("refused reason=csrf method=POST path=/account/login ")
    assert NETWORK in line and f"email_domain={DOMAIN}" in line
    assert_nothing_personal(line)
    assert "forged-token-value" not in line and "secret-query" not in line


def test_a_token_in_the_path_is_not_logged(client, refusals):
    token = "eyJpZCI6MX0.ZmFrZS10b2tlbg.c2lnbmF0dXJl"
    client.post(f"/account/reset/{token}", data={"password": PASSWORD}, environ_base=CLIENT)
    [line] = refusals()
    assert "reason=csrf" in line and "path=/account/reset/<token>" in line
    assert token not in line
    assert_nothing_personal(line)


def test_oversized_body_is_logged_as_size(client, refusals):
    response = client.post(
        "/account/login",
        data=f"email={EMAIL}&password={PASSWORD}&x=".encode() + b"a" * (2 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
        environ_base=CLIENT,
    )
    assert response.status_code == 413
    [line] = refusals()
    assert line.startswith("refused reason=size method=POST path=/account/login ")
    assert NETWORK in line and "detail=2097" in line  # the announced length, in bytes
    assert_nothing_personal(line)


def test_unknown_host_is_logged_without_reading_the_host_again(client, refusals):
    # A line break in the path must not let a client forge a second log line.
    response = client.get("/x%0Arefused reason=fake", headers={"Host": "evil.example"})
    assert response.status_code == 400
    [line] = refusals()
    assert line.startswith("refused reason=host method=GET path=/x\\x0arefused\\x20reason=fake ")
    assert "detail=evil.example" in line and "\n" not in line


@pytest.fixture()
def limited_app(app, make_app):
    """A throwaway app with one route allowing a single POST a minute, on the real limiter."""

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]

    limited = make_app(Config)

    @limited.post("/limited")
    @limiter.limit("1 per minute")
    def limited_view():
        return "ok"

    yield limited
    limiter.reset()


def test_rate_limit_breach_is_logged_with_the_limit(limited_app, refusals):
    client = limited_app.test_client()
    page = client.get("/account/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "email": EMAIL, "password": PASSWORD}
    statuses = [client.post("/limited", data=form, environ_base=CLIENT).status_code for _ in "ab"]
    assert statuses == [200, 429]
    [line] = refusals()
    assert line.startswith("refused reason=rate_limit method=POST path=/limited ")
    assert NETWORK in line and f"email_domain={DOMAIN}" in line
    assert "detail=1\\x20per\\x201\\x20minute" in line
    assert_nothing_personal(line)


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("10.1.2.3", "10.1.2.0/24"),
        ("2001:db8:abcd:12::1", "2001:db8:abcd::/48"),
        ("::ffff:198.51.100.9", "198.51.100.0/24"),
        (None, "unknown"),
        ("not an address", "unknown"),
    ],
)
def test_client_addresses_are_reduced_to_their_network(address, network):
    assert anonymised_network(address) == network
