"""Rate limits count an IPv6 client by its /64, so rotating addresses in it gains nothing."""

import pytest

from tracker.client_address import client_key


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("not an address", "not an address"),
        ("", "unknown"),
    ],
)
def test_an_ipv6_client_is_keyed_by_its_64(app, address, key):
    with app.test_request_context():
        assert client_key(address) == key


def test_rotating_ipv6_addresses_in_one_64_meets_the_api_limit(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    rotating = [f"2001:db8:5:6::{n:x}" for n in range(1, 5)]
    statuses = [
        client.get("/api/v1/countries", environ_base={"REMOTE_ADDR": address}).status_code
        for address in rotating
    ]
    assert statuses == [200, 200, 200, 429]
    next_network = client.get("/api/v1/countries", environ_base={"REMOTE_ADDR": "2001:db8:5:7::1"})
    assert next_network.status_code == 200


def test_rotating_ipv6_addresses_meets_the_sign_in_address_limit(app, client):
    # LOGIN_LIMIT_PER_ADDRESS is 10 a minute: ten failures from ten addresses of one /64.
    def fail(address: str, email: str) -> int:
        data = {"email": email, "password": "not the password at all"}
        here = {"REMOTE_ADDR": address}
        return app.test_client().submit("/account/login", data, environ_base=here).status_code

    statuses = [fail(f"2001:db8:9:9::{n:x}", f"nobody{n}@example.org") for n in range(1, 12)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
