"""In Chromium: a member types the report's numbers the French way, then the Spanish way; each
is saved as the number meant and shown back the reader's way."""

import re
from datetime import date

import pytest

from tests.browser.conftest import import_or_skip
from tests.reports.helpers import member
from tracker.extensions import db
from tracker.reports import drafting
from tracker.reports.models import Report

pytestmark = pytest.mark.browser
sync_api = import_or_skip("playwright.sync_api")
Page, expect = sync_api.Page, sync_api.expect

NNBSP = "\u202f"  # French groups digits with a narrow no-break space
LABELS = {
    "fr": {
        "country": "Thaïlande",
        "front_line": "Personnel en contact avec la clientèle",
        "employees": "Employés en fin d'année",
        "new": "Formation initiale, présentiel",
        "current": "Actuellement formés",
        "hours": "Heures par personne",
        "contracts": "Contrats fournisseurs en vigueur en fin d'année",
        "save": "Enregistrer le brouillon",
        "saved": "Brouillon enregistré",
    },
    "es": {
        "country": "Tailandia",
        "front_line": "Personal de primera línea",
        "employees": "Empleados al cierre del año",
        "new": "Formación inicial, presencial",
        "current": "Formados actualmente",
        "hours": "Horas por persona",
        "contracts": "Contratos con proveedores vigentes al cierre del año",
        "save": "Guardar el borrador",
        "saved": "Borrador guardado",
    },
}


def fields(page: Page, language: str) -> dict:
    words = LABELS[language]
    row = page.get_by_role("group", name=words["country"], exact=True)
    front_line = row.get_by_role("group", name=re.compile(f"^{words['front_line']}"))
    return {
        "employees": front_line.get_by_label(words["employees"]),
        "new": front_line.get_by_label(words["new"]),
        "current": front_line.get_by_label(words["current"]),
        "hours": row.get_by_label(words["hours"]),
        "contracts": page.get_by_label(words["contracts"]),
    }


def type_and_save(page: Page, language: str, **values: str) -> None:
    found = fields(page, language)
    for name, value in values.items():
        found[name].fill(value)
    page.get_by_role("button", name=LABELS[language]["save"]).click()
    expect(page.get_by_role("status")).to_contain_text(LABELS[language]["saved"])


def saved(report_id: int) -> tuple:
    db.session.expire_all()
    report = db.session.get(Report, report_id)
    row = report.training[0]
    return row.employees, row.current, row.hours, report.contracts_total


def test_french_and_spanish_numbers_are_typed_saved_and_shown_back(page: Page, browser_auth):
    company, owner = member(joined=date(2024, 5, 1), countries=("TH",), display_name="Lotus")
    report = drafting.start_report(company, 2025, owner, date(2026, 2, 1))
    db.session.commit()
    browser_auth.login(owner.email)
    page.goto("/company/reports/2025")

    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    type_and_save(
        page, "fr", employees="1 240", new="1 000", current="1 000", hours="2,5", contracts="1 500"
    )
    assert saved(report.id) == (1240, 1000, 2.5, 1500)
    found = fields(page, "fr")
    expect(found["employees"]).to_have_value(f"1{NNBSP}240")
    expect(found["hours"]).to_have_value("2,5")

    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    found = fields(page, "es")
    expect(found["employees"]).to_have_value("1.240")
    expect(found["contracts"]).to_have_value("1.500")
    type_and_save(page, "es", employees="2.480", current="1.200", hours="1,75")
    assert saved(report.id) == (2480, 1200, 1.75, 1500)
    expect(fields(page, "es")["hours"]).to_have_value("1,75")

    # A mistyped number is refused with one message in Spanish, and what was typed is kept.
    fields(page, "es")["hours"].fill("dos")
    page.get_by_role("button", name=LABELS["es"]["save"]).click()
    message = "Introduzca un número, por ejemplo 2,5."
    expect(page.get_by_text(message)).to_have_count(2)  # the list of problems and the field
    expect(fields(page, "es")["hours"]).to_have_value("dos")
    assert saved(report.id)[2] == 1.75
