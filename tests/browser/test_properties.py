"""In Chromium: a hotel chain adds a property, imports a CSV (pasted and uploaded) after a
preview with errors, and the edit form puts focus in the row it adds."""

import re

import pytest

from tests.browser.conftest import import_or_skip
from tests.factories import CompanyFactory, owner_of
from tracker.companies.enums import CompanyType
from tracker.companies.operations import Operation
from tracker.extensions import db

pytestmark = pytest.mark.browser
sync_api = import_or_skip("playwright.sync_api")
Page, expect = sync_api.Page, sync_api.expect


def chain(count: int):
    company = CompanyFactory(display_name="Lotus Hotels", type=CompanyType.HOTEL_CHAIN)
    company.operations = [
        Operation(country_code="TH", property_name=f"Lotus {n:03d}", city="Bangkok")
        for n in range(count)
    ]
    db.session.commit()
    return owner_of(company, email="ana@lotus.example")


def test_adding_a_property_opens_the_list_at_its_row_with_focus_there(page: Page, browser_auth):
    browser_auth.login(chain(60).email)
    page.get_by_role("link", name="Properties and countries").click()
    expect(page.get_by_text("Your company lists 60 properties and countries.")).to_be_visible()
    page.get_by_label("Country").last.select_option(label="Thailand")
    page.get_by_label("Property name").fill("Lotus Zeta")
    page.get_by_label("City").fill("Phuket")
    page.get_by_role("button", name="Add", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("The property is added.")
    row = page.locator("tr.row-added")
    expect(row).to_contain_text("Lotus Zeta")
    expect(row).to_be_focused()
    expect(page).to_have_url(re.compile(r"page=2&added=60#row-60$"))


def test_a_csv_is_previewed_with_its_errors_then_imported(page: Page, browser_auth):
    browser_auth.login(chain(3).email)
    page.goto("/company/properties")
    page.get_by_role("link", name="Import from a CSV file").click()
    rows = page.get_by_label("Paste the rows")
    rows.fill("country,property,city\nCambodia,Lotus Kep,Kep\nAtlantis,Lotus Deep,Sunken\n")
    page.get_by_role("button", name="Check the rows").click()

    expect(page.get_by_role("alert").first).to_contain_text("1 row has a problem")
    problems = page.get_by_role("table", name="Rows with problems")
    expect(problems).to_contain_text("Unknown country “Atlantis”.")
    expect(rows).to_have_value(re.compile("Atlantis"))  # what was pasted is still there

    rows.fill("country,property,city\nCambodia,Lotus Kep,Kep\nLaos,Lotus Luang,Luang Prabang\n")
    page.get_by_role("button", name="Check the rows").click()
    expect(page.get_by_text("2 rows are ready to import.")).to_be_visible()
    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.get_by_role("status")).to_contain_text("2 properties added.")
    expect(page.get_by_text("Your company lists 5 properties and countries.")).to_be_visible()


def test_an_uploaded_file_replaces_the_list(page: Page, browser_auth):
    browser_auth.login(chain(3).email)
    page.goto("/company/properties/import")
    csv = "Tailandia;Lotus Uno;Chiang Mai\r\nTailandia;Lotus Dos;Krabi\r\n".encode("cp1252")
    page.get_by_label("Or choose a CSV file").set_input_files(
        files=[{"name": "lotus.csv", "mimeType": "text/csv", "buffer": csv}]
    )
    page.get_by_label("Replace them all with these rows").check()
    page.get_by_role("button", name="Check the rows").click()
    expect(page.get_by_text("2 rows are ready to import.")).to_be_visible()
    expect(page.get_by_label("Replace them all with these rows")).to_be_checked()
    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.get_by_role("status")).to_contain_text("The list now has 2 properties.")
    expect(page.get_by_role("cell", name="Lotus Dos", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Lotus 000")).to_have_count(0)


def test_the_edit_form_puts_focus_in_the_row_it_adds(page: Page, browser_auth):
    browser_auth.login(chain(2).email)
    page.goto("/company/edit")
    page.get_by_label("Contact person").fill("Bea Lotus")
    page.get_by_role("button", name="Add another operation").click()
    new_row = page.get_by_role("group", name="Operation 3")
    expect(new_row.get_by_label("Country")).to_be_focused()
    expect(page.get_by_label("Contact person")).to_have_value("Bea Lotus")
