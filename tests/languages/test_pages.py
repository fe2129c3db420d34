"""Pages, e-mails and dates in the reader's language; the control on every page."""

import re
from email.header import decode_header, make_header

import pytest

from tests.factories import CompanyFactory, owner_of
from tracker.companies.enums import Stage
from tracker.extensions import db
from tracker.languages.selection import LANGUAGE_COOKIE


def page(client, path: str, language: str | None = None, cookie: str | None = None) -> str:
    headers = {"Accept-Language": language} if language else {}
    if cookie:
        client.set_cookie(LANGUAGE_COOKIE, cookie)
    return client.get(path, headers=headers).get_data(as_text=True)


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [
        ("en", "Sign in", "Forgotten your password?"),
        ("fr", "Se connecter", "Mot de passe oublié ?"),
        ("es", "Iniciar sesión", "¿Olvidó su contraseña?"),
    ],
)
def test_sign_in_page_in_each_language(client, language, heading, button):
    html = page(client, "/account/login", language)
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html and button in html


def test_the_remembered_choice_beats_the_browser(client):
    html = page(client, "/account/register", "fr", cookie="es")
    assert '<html lang="es">' in html and "Crear una cuenta" in html


def test_every_page_offers_the_control_with_each_language_in_itself(client):
    html = page(client, "/", "fr")
    assert 'action="/language"' in html
    assert re.search(r'aria-current="true">Français<', html)
    for name, code in (("English", "en"), ("Español", "es")):
        assert f'value="{code}" lang="{code}" class="link-button">{name}</button>' in html


def test_form_errors_are_in_the_language_too(client):
    client.set_cookie(LANGUAGE_COOKIE, "fr")
    response = client.submit("/account/register", {"name": "", "email": "x", "password": "short"})
    html = response.get_data(as_text=True)
    assert "Utilisez entre 10 et 128 caractères." in html
    assert "Ce champ est requis." in html  # WTForms' own message, from its French catalog


def test_dashboard_dates_money_and_countries_in_spanish(client, auth):
    company = CompanyFactory(stage=Stage.ACTIVE, countries=("DE", "ZA"))
    owner = owner_of(company)
    auth.login(owner.email)
    html = page(client, "/company/", cookie="es")
    assert "Dónde se encuentra" in html and "Miembro desde el" in html
    assert html.index("Alemania") < html.index("Sudáfrica")
    invoices = page(client, "/company/invoices/", cookie="es")
    assert "50\u00a0€" in invoices  # the joining fee of the lowest band, in the Spanish layout


def test_e_mails_go_out_in_the_recipients_language(client, auth, smtp, reviewer, owner_a):
    owner_a.locale = "fr"
    db.session.commit()
    auth.login(reviewer.email)  # the reviewer reads English
    company = owner_a.company
    client.submit(
        f"/review/companies/{company.id}/approve",
        {"version": str(company.version), "confirmed": "yes"},
    )
    [message] = smtp.to(owner_a.email)
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "[The Code] Votre candidature est approuvée"
    assert "ECPAT a approuvé la candidature" in message.get_payload(decode=True).decode()
