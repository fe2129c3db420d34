"""In Chromium: colleagues, staff accounts, suspending and reinstating, and the language switch,
each as the person doing it sees it."""

import pytest

from tests.browser.conftest import deliver_queued, import_or_skip
from tests.factories import CompanyFactory, owner_of, representative, staff
from tracker.auth.models import Role
from tracker.companies.enums import Stage
from tracker.extensions import db

pytestmark = pytest.mark.browser
sync_api = import_or_skip("playwright.sync_api")
Page, expect = sync_api.Page, sync_api.expect

NEW_PASSWORD = "a long new password"


def mailed_link(smtp, address: str, path: str) -> str:
    deliver_queued()
    return smtp.link(address, path)


def accept_invitation(page: Page, link: str, name: str) -> None:
    page.goto(link)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()


def test_owner_invites_resends_cancels_and_hands_over_ownership(page: Page, browser_auth, smtp):
    company = CompanyFactory(display_name="Alpha Tours")
    owner = owner_of(company, email="owner@alpha.example", name="Olga Owner")
    browser_auth.login(owner.email)
    page.goto("/company/colleagues")

    page.get_by_label("Colleague's e-mail address").fill("wrong@alpha.example")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("We sent an invitation to wrong@alpha")
    page.get_by_role("button", name="Send again to wrong@alpha.example").click()
    expect(page.get_by_role("status")).to_contain_text("again")
    deliver_queued()
    assert len(smtp.wait_for("wrong@alpha.example", 2)) == 2
    page.get_by_role("button", name="Cancel the invitation to wrong@alpha.example").click()
    expect(page.get_by_role("status")).to_contain_text("its link no longer works")

    page.get_by_label("Colleague's e-mail address").fill("carl@alpha.example")
    page.get_by_role("button", name="Send invitation").click()
    browser_auth.logout()
    accept_invitation(
        page, mailed_link(smtp, "carl@alpha.example", "/account/invitation/"), "Carl Col"
    )
    browser_auth.logout()

    browser_auth.login(owner.email)
    page.goto("/company/colleagues")
    page.get_by_role("button", name="Make owner Carl Col").click()
    expect(page.get_by_role("status")).to_contain_text("We asked Carl Col to accept ownership")
    browser_auth.logout()

    browser_auth.login("carl@alpha.example", NEW_PASSWORD)
    page.goto(mailed_link(smtp, "carl@alpha.example", "/company/ownership/"))
    page.get_by_role("button", name="Accept ownership").click()
    expect(page.get_by_role("status")).to_contain_text("You are now the owner of Alpha Tours.")
    # The new owner may remove the old one, who stayed a colleague.
    page.get_by_role("button", name="Remove Olga Owner").click()
    expect(page.get_by_role("status")).to_contain_text("Olga Owner no longer has access")
    expect(page.get_by_role("cell", name="Olga Owner")).to_have_count(0)


def test_admin_invites_a_representative_changes_countries_and_deactivates(
    page: Page, browser_auth, smtp
):
    admin = staff(Role.ADMIN, email="admin@ecpat.example", name="Ada Admin")
    representative("Child Safe Thailand", ("TH",))
    db.session.commit()
    browser_auth.login(admin.email)
    page.get_by_role("link", name="Staff", exact=True).click()
    page.get_by_label("New staff member's e-mail address").fill("rita@ecpat.example")
    page.get_by_label("Role").select_option(label="Local Code Representative")
    page.get_by_label("Organisation (representatives only)").select_option(
        label="Child Safe Thailand"
    )
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("We sent an invitation to rita@")
    browser_auth.logout()

    accept_invitation(
        page, mailed_link(smtp, "rita@ecpat.example", "/account/staff-invitation/"), "Rita"
    )
    expect(page.get_by_role("status")).to_contain_text("Welcome to The Code Signatory Tracker.")
    browser_auth.logout()

    browser_auth.login(admin.email)
    page.goto("/review/staff")
    page.get_by_role("row", name="Rita").get_by_role("link", name="Child Safe Thailand").click()
    page.get_by_label("Countries").select_option(label=["Thailand", "Cambodia"])
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Child Safe Thailand is saved.")
    page.goto("/review/staff")
    expect(page.get_by_role("row", name="Rita")).to_contain_text("Cambodia, Thailand")
    page.get_by_role("button", name="Deactivate Rita").click()
    expect(page.get_by_role("row", name="Rita")).to_contain_text("Deactivated")
    browser_auth.logout()

    page.goto("/account/login")
    page.get_by_label("E-mail address").fill("rita@ecpat.example")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_reviewer_suspends_and_reinstates_a_member(page: Page, browser_auth, smtp):
    company = CompanyFactory(display_name="Lotus Hotels", stage=Stage.ACTIVE)
    owner = owner_of(company, email="owner@lotus.example")
    reviewer = staff(Role.REVIEWER, email="reviewer@ecpat.example")

    browser_auth.login(reviewer.email)
    page.goto(f"/review/companies/{company.id}")
    page.get_by_role("button", name="Suspend membership").click()
    expect(page.get_by_role("alert")).to_be_visible()  # a reason is needed
    page.get_by_label("Reason for suspending (the company reads it)").fill("No report for 2025.")
    page.get_by_role("button", name="Suspend membership").click()
    expect(page.get_by_role("status")).to_contain_text("Lotus Hotels: Membership suspended")
    browser_auth.logout()

    browser_auth.login(owner.email)
    where = page.get_by_role("region", name="Where you are")
    expect(where.locator(".badge")).to_have_text("Membership suspended")
    expect(page.get_by_role("list").filter(has_text="Membership suspended")).to_contain_text(
        "No report for 2025."
    )
    deliver_queued()
    mail = smtp.wait_for("owner@lotus.example", 1)
    assert "No report for 2025." in mail[-1].get_payload(decode=True).decode()
    browser_auth.logout()

    browser_auth.login(reviewer.email)
    page.goto(f"/review/companies/{company.id}")
    page.get_by_role("button", name="Reinstate membership").click()
    expect(page.get_by_role("status")).to_contain_text("Lotus Hotels: Member")
    expect(page.get_by_role("button", name="Suspend membership")).to_be_visible()


def test_the_language_switch_translates_the_page_and_is_remembered(page: Page, browser_auth):
    company = CompanyFactory(display_name="Alpha Tours")
    owner = owner_of(company, email="owner@alpha.example")
    page.goto("/account/login")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")

    page.get_by_label("Adresse e-mail").fill(owner.email)
    page.get_by_label("Mot de passe", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("region", name="Où vous en êtes")).to_be_visible()
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("region", name="Dónde se encuentra")).to_be_visible()
    page.goto("/about")
    expect(page.locator("html")).to_have_attribute("lang", "es")
