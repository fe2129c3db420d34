"""The journey in headless Chromium: register, confirm, apply, review, plan, sign; a return."""

import re
from datetime import date

import pytest

from tests.browser.conftest import deliver_queued, import_or_skip
from tests.factories import CompanyFactory, owner_of, staff
from tracker.auth.models import Role

sync_api = import_or_skip("playwright.sync_api")
Page, expect = sync_api.Page, sync_api.expect

pytestmark = pytest.mark.browser

OWNER = "ana@sunrise.example"
OWNER_PASSWORD = "long enough pw"


def register(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Register your company").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    page.get_by_label("Your name").fill("Ana Lee")
    page.get_by_label("E-mail address").fill("Ana@Sunrise.example")
    page.get_by_label("Password", exact=True).fill(OWNER_PASSWORD)
    page.get_by_label("Repeat the password").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status")).to_contain_text("Check your inbox: we sent a message")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def fill_operation(page: Page, number: int, country: str, property_name: str, city: str) -> None:
    row = page.get_by_role("group", name=f"Operation {number}")
    row.get_by_label("Country").select_option(label=country)
    row.get_by_label("Property name").fill(property_name)
    row.get_by_label("City").fill(city)


def stage(page: Page):
    """The badge on the dashboard's first card that names where the company stands."""
    return page.get_by_role("region", name="Where you are").locator(".badge")


def apply(page: Page) -> None:
    page.get_by_role("link", name="Start the application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply to sign The Code")
    page.get_by_label("Legal name").fill("Sunrise Hotels Ltd")
    page.get_by_label("Public display name").fill("Sunrise Hotels")
    page.get_by_label("Type of business").select_option(label="Hotel chain")
    page.get_by_label("Headquarters country").select_option(label="Thailand")
    page.get_by_label("Website").fill("https://sunrise.example")
    page.get_by_label("Annual revenue").select_option(label="€500,000 to €2.5 million")
    # Prefilled from the account.
    expect(page.get_by_label("Contact person")).to_have_value("Ana Lee")
    fill_operation(page, 1, "Thailand", "Sunrise Phuket", "Phuket")

    page.get_by_role("button", name="Add another operation").click()
    expect(page.get_by_role("group", name=re.compile(r"^Operation \d$"))).to_have_count(2)
    # What was typed before the round trip is still there.
    expect(page.get_by_label("Legal name")).to_have_value("Sunrise Hotels Ltd")
    fill_operation(page, 2, "Cambodia", "Sunrise Siem Reap", "Siem Reap")

    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_role("status")).to_contain_text("Your application is submitted")
    expect(stage(page)).to_have_text("Application under review")


PLAN_CRITERIA = (
    "Policy and procedures",
    "Staff training",
    "Contracts",
    "Information for travellers",
    "Stakeholders",
)


def write_plan(page: Page) -> None:
    """From the dashboard: the implementation plan, filled in and submitted."""
    page.get_by_role("link", name="Prepare your implementation plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Implementation plan")
    for criterion in PLAN_CRITERIA:
        page.get_by_label(f"{criterion}: what your company will do").fill(f"Plan for {criterion}")
        page.get_by_label(f"{criterion}: who is responsible").fill("Ana Lee, CEO")
        page.get_by_label(f"{criterion}: by when").fill(f"{date.today().year + 1}-06-30")
    page.get_by_label("Number of staff to train").fill("120")
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Save and submit to ECPAT").click()
    expect(page.get_by_role("status")).to_contain_text("Your implementation plan is submitted")


def test_register_confirm_apply_approve_sign(page: Page, browser_auth, smtp):
    reviewer = staff(Role.REVIEWER, email="reviewer@example.com")

    register(page)
    deliver_queued()
    page.goto(smtp.link(OWNER, "/account/confirm/"))
    expect(page.get_by_role("status")).to_contain_text("your e-mail address is confirmed")
    browser_auth.login(OWNER, OWNER_PASSWORD)
    apply(page)
    browser_auth.logout()

    browser_auth.login(reviewer.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Applications")
    page.get_by_role("link", name="Sunrise Hotels").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sunrise Hotels")
    expect(page.get_by_role("cell", name="Sunrise Siem Reap")).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve Sunrise Hotels?")
    page.get_by_role("button", name="Yes, approve").click()
    expect(page.get_by_role("status")).to_contain_text("Sunrise Hotels: Approved")
    browser_auth.logout()

    browser_auth.login(OWNER, OWNER_PASSWORD)
    write_plan(page)
    browser_auth.logout()

    browser_auth.login(reviewer.email)
    page.get_by_role("link", name="Plans").click()
    page.get_by_role("link", name="Sunrise Hotels").click()
    page.get_by_role("button", name="Approve the plan").click()
    expect(page.get_by_role("status")).to_contain_text("Sunrise Hotels: implementation plan")
    browser_auth.logout()

    # The plan's approval issued the joining invoice: the owner sees it and cannot sign yet.
    browser_auth.login(OWNER, OWNER_PASSWORD)
    page.goto("/company/sign")
    expect(page.get_by_role("heading", name="Sign once the invoice is paid")).to_be_visible()
    browser_auth.logout()

    browser_auth.login(reviewer.email)
    page.get_by_role("link", name="Invoices").click()
    page.get_by_role("link", name="TC-INV-").first.click()
    page.get_by_label("Paid on").fill("2026-12-01")
    page.get_by_label("Method").select_option(label="Bank transfer")
    page.get_by_label("Reference (bank or card transaction)").fill("SWIFT 123")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_role("status")).to_contain_text("Payment of TC-INV-")
    browser_auth.logout()

    browser_auth.login(OWNER, OWNER_PASSWORD)
    page.get_by_role("link", name="Sign The Code").click()
    for number in range(1, 7):
        page.get_by_label(f"We commit to criterion {number},").check()
    page.get_by_label("Signatory's full name").fill("Ana Lee")
    page.get_by_label("Signatory's title").fill("CEO")
    page.get_by_label("I confirm that I am authorised").check()
    page.get_by_role("button", name="Sign The Code").click()

    expect(page.get_by_role("status")).to_contain_text("Welcome to The Code!")
    expect(stage(page)).to_have_text("Member")
    number = page.locator("dt:has-text('Membership number') + dd")
    expect(number).to_have_text(re.compile(r"^TC-\d{6}$"))


def test_returned_application_shows_comment_and_can_be_resubmitted(page: Page, browser_auth):
    company = CompanyFactory(display_name="Alpha Tours", countries=("TH",))
    owner_of(company, email="owner@alpha.example")
    staff(Role.REVIEWER, email="reviewer@example.com")

    browser_auth.login("reviewer@example.com")
    page.get_by_role("link", name="Alpha Tours").click()
    page.get_by_label("What should the company change?").fill("Add your Cambodian office.")
    page.get_by_role("button", name="Return for changes").click()
    expect(page.get_by_role("status")).to_contain_text("Alpha Tours: Changes requested")
    browser_auth.logout()

    browser_auth.login("owner@alpha.example")
    expect(stage(page)).to_have_text("Changes requested")
    attention = page.get_by_role("region", name="Needs your attention")
    expect(attention).to_contain_text("Add your Cambodian office.")
    attention.get_by_role("link", name="Change and resubmit").click()
    page.get_by_role("button", name="Add another operation").click()
    page.get_by_role("group", name="Operation 2").get_by_label("Country").select_option(
        label="Cambodia"
    )
    page.get_by_role("button", name="Resubmit application").click()

    expect(page.get_by_role("status")).to_contain_text("submitted for review again")
    expect(stage(page)).to_have_text("Application under review")
    expect(page.get_by_role("cell", name="Cambodia")).to_be_visible()
