"""In Chromium, the yearly part of The Code's cycle: a member reports with one criterion "not
applicable, because ...", a reviewer accepts the report, ECPAT names the member a Top Member of
that reporting year, and the public profile says so. (Apply, plan, invoice and signing are
walked in test_journey.py.)"""

import re
from datetime import date

import pytest

from tests.browser.conftest import import_or_skip
from tests.browser.test_reports import fill_training
from tests.reports.helpers import member
from tests.reports.test_views import pdf_bytes

pytestmark = pytest.mark.browser
sync_api = import_or_skip("playwright.sync_api")
Page, expect = sync_api.Page, sync_api.expect

NO_SUPPLIERS = "We sell only our own guided tours: we have no supplier contracts."


def write_report_without_contracts(page: Page, policy_file) -> None:
    policy = page.get_by_role("group", name="1. Policy and procedures")
    policy.get_by_role("radio", name="Yes").check()
    page.get_by_label("Date adopted").fill("2024-02-01")
    page.get_by_label("Policy document (PDF)").set_input_files(str(policy_file))
    page.get_by_label("Focal person for child protection (name)").fill("Ana Lee")
    page.get_by_label("How staff report a suspected case").fill(
        "Staff call the manager on duty, who calls the police and the child helpline."
    )
    fill_training(page, "Thailand", "40", "30")
    contracts = page.get_by_role("group", name="3. Contracts")
    contracts.get_by_label("This criterion does not apply to our company").check()
    contracts.get_by_label("Why it does not apply").fill(NO_SUPPLIERS)
    page.get_by_role("checkbox", name="Website").check()
    page.get_by_label("Organisations you worked with").fill("ECPAT Thailand")
    page.get_by_label("Suspected cases reported to authorities or hotlines").fill("0")


def test_report_with_not_applicable_then_top_member_on_the_profile(
    page: Page, browser_auth, reviewer, tmp_path
):
    company, owner = member(joined=date(2024, 5, 1), countries=("TH",), display_name="Lotus")
    policy = tmp_path / "policy.pdf"
    policy.write_bytes(pdf_bytes())

    browser_auth.login(owner.email)
    page.goto("/company/reports/")
    page.get_by_role("button", name="Start the 2025 report").click()
    write_report_without_contracts(page, policy)
    page.get_by_role("button", name="Save and preview").click()
    expect(page.get_by_text(NO_SUPPLIERS)).to_be_visible()
    page.get_by_role("button", name="Submit the report to ECPAT").click()
    expect(page.get_by_role("status")).to_contain_text("Your 2025 report is submitted")
    browser_auth.logout()

    browser_auth.login(reviewer.email)
    page.goto("/review/reports/")
    page.get_by_role("link", name=re.compile(r"^Lotus\W+2025$")).click()
    expect(page.get_by_text(NO_SUPPLIERS)).to_be_visible()  # reviewed like any answer
    page.get_by_role("button", name="Accept the report").click()
    expect(page.get_by_role("status")).to_contain_text("Accepted")
    page.goto("/review/top-members/?year=2025")
    expect(page.get_by_role("heading", level=1)).to_have_text("Top Members of 2025")
    page.get_by_role("button", name="Name Top Member 2025").click()
    expect(page.get_by_role("status")).to_contain_text("Lotus")
    browser_auth.logout()

    page.goto(f"/signatories/{company.slug}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lotus")
    expect(page.get_by_text("Top Member 2025").first).to_be_visible()
    page.goto("/signatories?standing=top_member")
    expect(page.get_by_role("link", name="Lotus")).to_be_visible()
