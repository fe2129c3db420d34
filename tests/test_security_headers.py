"""Security headers on every kind of response, and HSTS in production only."""

import pytest

from tests.fixtures.headers import assert_security_headers

HSTS = "max-age=31536000; includeSubDomains"


def boom():
    raise RuntimeError("a bug in a view")


@pytest.fixture()
def failing_home(app, monkeypatch):
    """The home page raising, with exceptions turned into the 500 page as in production."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setitem(app.view_functions, "main.index", boom)


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/", {}, 200),
        ("/account/register", {}, 200),
        ("/company/", {}, 302),  # redirect to the sign-in page
        ("/no/such/page", {}, 404),
        ("/no/such/page", {"Accept": "application/json"}, 404),
        ("/", {"Host": "evil.example"}, 400),
        ("/static/css/app.css", {}, 200),
        ("/static/js/app.js", {}, 200),
        ("/static/missing.css", {}, 404),
    ],
)
def test_every_response_carries_the_security_headers(client, path, headers, status):
    response = client.get(path, headers=headers)
    response.close()
    assert response.status_code == status
    assert_security_headers(response)


def test_a_csrf_refusal_and_a_too_large_form_carry_the_headers(client):
    refused = client.post("/account/logout", data={"csrf_token": "forged"})
    too_large = client.post(
        "/account/logout",
        data="x" * 2_000_000,
        content_type="application/x-www-form-urlencoded",
    )
    assert (refused.status_code, too_large.status_code) == (400, 413)
    assert_security_headers(refused)
    assert_security_headers(too_large)


def test_a_500_page_carries_the_security_headers(client, failing_home):
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert_security_headers(response)


def test_no_hsts_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


@pytest.fixture()
def production_app(make_production_app):
    return make_production_app()


@pytest.mark.parametrize(
    ("path", "host", "status"),
    [
        ("/", "tracker.example", 200),
        ("/static/css/app.css", "tracker.example", 200),
        ("/no/such/page", "tracker.example", 404),
        ("/", "evil.example", 400),
    ],
)
def test_production_sends_hsts_even_on_plain_http_behind_a_proxy(
    production_app, path, host, status
):
    # No X-Forwarded-Proto and PROXY_COUNT=0: the request looks like plain http, as it does
    # behind a TLS proxy that the app was not told about. HSTS must be sent all the same.
    response = production_app.test_client().get(path, base_url=f"http://{host}")
    response.close()
    assert response.status_code == status
    assert response.headers.get("Strict-Transport-Security") == HSTS
    assert_security_headers(response)


def test_plain_http_is_served_and_cookies_stay_as_configured_outside_production(client):
    # A header library that forces https would redirect here and mark the cookie Secure,
    # which breaks `make run` on http://127.0.0.1:5000; only ProductionConfig sets Secure.
    response = client.get("/account/register")
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert "session=" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_production_marks_the_session_cookie_secure(production_app):
    client = production_app.test_client()
    response = client.get("/account/register", base_url="http://tracker.example")
    assert response.status_code == 200
    assert "Secure" in response.headers["Set-Cookie"]
