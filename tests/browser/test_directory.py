"""In Chromium: a traveller searches the directory, filters it, opens a member's profile,
verifies its membership number, and a tour operator checks a list of suppliers."""

import re
from datetime import date
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import import_or_skip
from tests.factories import CompanyFactory
from tests.reports.helpers import member
from tracker.companies.enums import CompanyType, Stage

pytestmark = pytest.mark.browser
sync_api = import_or_skip("playwright.sync_api")
Page, expect = sync_api.Page, sync_api.expect


@pytest.fixture
def directory():
    sao, _ = member(joined=date(2026, 3, 1), display_name="Hotel São Paulo", countries=("BR",))
    member(
        joined=date(2026, 5, 1),
        display_name="Andes Air",
        type=CompanyType.AIRLINE,
        countries=("PE", "BR"),
    )
    member(joined=date(2026, 4, 1), display_name="Paulo Tours", countries=("TH",))
    gone = CompanyFactory(stage=Stage.SUSPENDED, display_name="Gone Tours", countries=("BR",))
    return {"sao": sao, "gone": gone}


def test_search_filter_profile_and_verify(page: Page, directory):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Find a member").click()
    page.get_by_label("Name").fill("sao paulo")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("1 member matches.")
    results = page.get_by_role("list").filter(has=page.get_by_role("heading", level=3))
    expect(results.get_by_role("heading")).to_have_text(["Hotel São Paulo"])

    page.get_by_label("Name").fill("")
    page.get_by_label("Country").select_option(label="Brazil")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"country=BR"))
    expect(results.get_by_role("heading")).to_have_text(["Andes Air", "Hotel São Paulo"])

    page.get_by_role("link", name="Hotel São Paulo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hotel São Paulo")
    expect(page.get_by_text("In good standing").first).to_be_visible()

    number = directory["sao"].membership_number
    page.get_by_role("link", name=number).click()
    expect(page).to_have_url(re.compile(f"/verify/{number}$"))
    expect(page.get_by_role("heading", level=2)).to_have_text(
        "Hotel São Paulo is a member of The Code"
    )


def test_a_former_member_is_not_found_and_its_number_says_why(page: Page, directory):
    page.goto("/signatories?q=gone")
    expect(page.get_by_role("status")).to_have_text("0 members match.")
    page.goto("/verify")
    page.get_by_role("textbox", name="Membership number").fill(
        directory["gone"].membership_number.lower()
    )
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2)).to_have_text(
        "This number does not belong to a current member of The Code"
    )


def test_a_tour_operator_checks_a_list_of_suppliers(page: Page, directory):
    page.goto("/")
    page.get_by_role("link", name="Check your suppliers").click()
    page.get_by_label("Your suppliers").fill(
        "HOTEL SAO PAULO S.A., Brazil\nGone Tours Ltd\nNowhere Lodge"
    )
    page.get_by_role("button", name="Check the list").click()
    results = page.get_by_role("table")
    expect(results.get_by_role("row", name=re.compile("HOTEL SAO PAULO"))).to_contain_text(
        "Hotel São Paulo"
    )
    expect(results.get_by_role("row", name=re.compile("Gone Tours Ltd"))).to_contain_text(
        "suspended"
    )
    expect(page.get_by_label("Your suppliers")).to_have_value(
        "HOTEL SAO PAULO S.A., Brazil\nGone Tours Ltd\nNowhere Lodge"
    )
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the results (CSV)").click()
    assert "Hotel São Paulo" in download.value.path().read_text(encoding="utf-8-sig")


def test_a_printed_certificate_leads_to_its_verify_page(page: Page, browser_auth, directory):
    """The address under the QR code (PUBLIC_BASE_URL's) is the member's verify page here."""
    owner = directory["sao"].users[0]
    browser_auth.login(owner.email)
    page.get_by_role("link", name="Print your certificate").click()
    printed = page.locator(".certificate-url").inner_text()
    assert printed == f"https://tracker.test/verify/{directory['sao'].membership_number}"
    browser_auth.logout()
    page.goto(urlsplit(printed).path)
    expect(page.get_by_role("heading", level=2)).to_have_text(
        "Hotel São Paulo is a member of The Code"
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no script"])
def test_a_wide_screen_shows_the_filters_after_a_search(
    browser, live_server, directory, javascript
):
    """Folding the filters is for phones: at 1280 px they stay shown, with or without app.js."""
    wide = {"width": 1280, "height": 800}
    context = browser.new_context(
        base_url=live_server, viewport=wide, java_script_enabled=javascript
    )
    page = context.new_page()
    for path in ("/signatories?q=paulo", "/countries/BR?type=hotel"):
        page.goto(path)
        expect(page.get_by_label("Type of business")).to_be_visible()
        expect(page.locator(".filter-disclosure > summary")).to_be_hidden()
    context.close()
