"""The language: chosen with the control and remembered, else the browser's, else English."""

import pytest

from tracker.extensions import db
from tracker.languages.selection import LANGUAGE_COOKIE, select_locale


@pytest.mark.parametrize(
    ("cookie", "accept", "expected"),
    [
        (None, None, "en"),
        (None, "fr-FR,fr;q=0.9,en;q=0.5", "fr"),
        (None, "es-MX, de;q=0.8", "es"),
        (None, "de-DE, it;q=0.8", "en"),
        ("es", "fr-FR", "es"),  # the choice beats the browser
        ("de", "fr-FR", "fr"),  # an unknown choice is ignored
        ("<script>", None, "en"),
    ],
)
def test_select_locale(app, cookie, accept, expected):
    headers = {"Accept-Language": accept} if accept else {}
    if cookie:
        headers["Cookie"] = f"{LANGUAGE_COOKIE}={cookie}"
    with app.test_request_context("/", headers=headers):
        assert select_locale() == expected


def test_outside_a_request_the_language_is_english(app):
    with app.app_context():
        assert select_locale() == "en"


def test_choosing_a_language_remembers_it_and_returns_to_the_page(client):
    response = client.submit("/language", {"language": "es", "next": "/account/login?next=/x"})
    assert response.status_code == 302
    assert response.location == "/account/login?next=/x"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{LANGUAGE_COOKIE}=es;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=31536000" in cookie


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "evil.example",
        "",
        "javascript:alert(1)",
    ],
)
def test_the_control_never_sends_anyone_elsewhere(client, target):
    response = client.submit("/language", {"language": "fr", "next": target})
    assert response.status_code == 302
    assert response.location == "/"


@pytest.mark.parametrize("language", ["de", "", "fr\r\nSet-Cookie: x=y", "FR"])
def test_an_unknown_language_is_refused(client, language):
    response = client.submit("/language", {"language": language, "next": "/"})
    assert response.status_code == 400
    assert "Set-Cookie" not in response.headers or LANGUAGE_COOKIE not in str(
        response.headers.getlist("Set-Cookie")
    )


def test_a_signed_in_person_needs_the_csrf_token(client, auth, owner_a):
    auth.login(owner_a.email)
    response = client.post("/language", data={"language": "fr", "next": "/"})
    assert response.status_code == 400
    db.session.refresh(owner_a)
    assert owner_a.locale != "fr"


def test_a_visitor_chooses_without_a_token_and_gets_only_a_cookie(client):
    """Public pages carry no token (they are cached for everyone): the cookie is all it sets."""
    response = client.post("/language", data={"language": "fr", "next": "/"})
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert [cookie.split("=")[0] for cookie in cookies] == [LANGUAGE_COOKIE]


def test_a_signed_in_person_keeps_the_language_for_their_e_mails(client, auth, owner_a):
    auth.login(owner_a.email)
    client.submit("/language", {"language": "fr", "next": "/company/"})
    db.session.refresh(owner_a)
    assert owner_a.locale == "fr"
