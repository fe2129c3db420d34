"""Mailed links come from PUBLIC_BASE_URL; unknown hosts are refused; proxies only if configured."""

import re

import pytest

from config import TestingConfig
from tests.factories import UserFactory
from tracker.urls import public_url


@pytest.mark.parametrize("host", ["evil.example", "tracker.example.evil.example", "127.0.0.2"])
def test_a_request_naming_an_unknown_host_is_refused(client, smtp, host):
    UserFactory(email="ana@example.com")
    form = {"email": "ana@example.com"}
    response = client.post("/account/reset", data=form, headers={"Host": host})
    assert response.status_code == 400
    assert smtp.messages == []


def test_mailed_links_use_the_public_base_url_not_the_host(client, smtp):
    UserFactory(email="ana@example.com")
    page = client.get("/account/reset", base_url="http://127.0.0.1").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = {"email": "ana@example.com", "csrf_token": token}
    assert client.post("/account/reset", data=form, base_url="http://127.0.0.1").status_code == 302
    [message] = smtp.to("ana@example.com")
    assert "https://tracker.test/account/reset/" in message.get_payload()
    assert "127.0.0.1" not in message.get_payload()


def test_public_url_needs_no_request(app):
    assert public_url("auth.login") == "https://tracker.test/account/login"


def test_public_url_keeps_a_path_prefix(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://ecpat.example/code/")
    assert public_url("auth.login") == "https://ecpat.example/code/account/login"


def test_production_mails_https_links_to_its_own_host_only(make_production_app, smtp):
    production = make_production_app(WTF_CSRF_ENABLED=False)
    UserFactory(email="ana@example.com")
    form = {"email": "ana@example.com"}
    client = production.test_client()
    evil = client.post("/account/reset", data=form, headers={"Host": "evil.example"}, buffered=True)
    assert evil.status_code == 400
    assert smtp.messages == []
    # Plain http to the app, as from a TLS-terminating proxy that PROXY_COUNT does not name.
    sent = client.post(
        "/account/reset", data=form, base_url="http://tracker.example", buffered=True
    )
    assert sent.status_code == 302
    [message] = smtp.to("ana@example.com")
    assert "https://tracker.example/account/reset/" in message.get_payload()


@pytest.mark.parametrize(
    ("proxies", "forwarded_host", "status"),
    [(0, "evil.example", 200), (1, "evil.example", 400), (1, "tracker.example", 200)],
)
def test_forwarded_host_is_believed_only_behind_a_configured_proxy(
    make_production_app, proxies, forwarded_host, status
):
    production = make_production_app(PROXY_COUNT=proxies)
    response = production.test_client().get(
        "/account/login",
        base_url="https://tracker.example",
        headers={"X-Forwarded-Host": forwarded_host, "X-Forwarded-Proto": "https"},
    )
    assert response.status_code == status


def test_behind_a_tls_proxy_the_request_is_https(make_production_app):
    production = make_production_app(PROXY_COUNT=1)

    @production.get("/_scheme")
    def scheme():
        from flask import request

        return request.scheme

    client = production.test_client()
    plain = client.get("/_scheme", base_url="http://tracker.example")
    proxied = client.get(
        "/_scheme", base_url="http://tracker.example", headers={"X-Forwarded-Proto": "https"}
    )
    assert (plain.text, proxied.text) == ("http", "https")


def test_testing_trusts_its_own_hosts_only(app):
    assert app.config["TRUSTED_HOSTS"] == ["tracker.test", "localhost", "127.0.0.1"]
    assert TestingConfig.PUBLIC_BASE_URL == "https://tracker.test"
