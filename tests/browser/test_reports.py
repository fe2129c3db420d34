"""In Chromium: a member writes, saves, previews and submits its annual report with a policy
PDF; a reviewer returns it with a comment on training; the member fixes and resubmits; the
reviewer accepts; the member is in good standing."""

import re
from datetime import date

import pytest

from tests.browser.conftest import deliver_queued, import_or_skip
from tests.reports.helpers import member
from tests.reports.test_views import pdf_bytes

pytestmark = pytest.mark.browser
sync_api = import_or_skip("playwright.sync_api")
Page, expect = sync_api.Page, sync_api.expect

LOTUS_2025 = re.compile(r"^Lotus\W+2025$")  # the year is visually hidden in the link


def fill_training(page: Page, country: str, employees: str, trained: str) -> None:
    """Front-line staff of the country's row: `trained` of them newly trained in person this
    year, all of those currently trained; the other staff groups left blank."""
    row = page.get_by_role("group", name=country, exact=True)
    front_line = row.get_by_role("group", name=re.compile(r"^Front-line staff"))
    front_line.get_by_label("Employees at year end").fill(employees)
    front_line.get_by_label("New training, in person").fill(trained)
    front_line.get_by_label("Currently trained").fill(trained)
    row.get_by_label("Hours per person").fill("2")


def write_report(page: Page, policy_file) -> None:
    page.get_by_role("radio", name="Yes").check()
    page.get_by_label("Date adopted").fill("2024-02-01")
    page.get_by_label("Policy document (PDF)").set_input_files(str(policy_file))
    page.get_by_label("Focal person for child protection (name)").fill("Ana Lee")
    page.get_by_label("How staff report a suspected case").fill(
        "Staff call the manager on duty, who calls the police and the child helpline."
    )
    fill_training(page, "Thailand", "40", "30")
    page.get_by_label("Supplier contracts in force at year end").fill("12")
    page.get_by_label("Of these, contracts that include the Code clause").fill("9")
    page.get_by_role("checkbox", name="Website").check()
    page.get_by_label("Organisations you worked with").fill("ECPAT Thailand")
    page.get_by_label("Suspected cases reported to authorities or hotlines").fill("0")


def test_report_is_written_returned_fixed_and_accepted(
    page: Page, browser_auth, reviewer, smtp, tmp_path
):
    company, owner = member(joined=date(2024, 5, 1), countries=("TH",), display_name="Lotus")
    policy = tmp_path / "policy.pdf"
    policy.write_bytes(pdf_bytes())

    browser_auth.login(owner.email)
    page.get_by_role("link", name="Annual reports").first.click()
    expect(page.get_by_text("Report overdue")).to_be_visible()
    page.get_by_role("button", name="Start the 2025 report").click()
    write_report(page, policy)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved")
    expect(page.get_by_role("link", name="policy.pdf")).to_be_visible()

    page.get_by_role("button", name="Save and preview").click()
    expect(page.get_by_role("heading", name="2. Staff training")).to_be_visible()
    # 30 of 40, computed: the row's coverage and its front-line staff's (the only group).
    expect(page.get_by_role("cell", name="75%")).to_have_count(2)
    expect(page.get_by_role("rowheader", name="Front-line staff")).to_be_visible()
    page.get_by_role("button", name="Submit the report to ECPAT").click()
    expect(page.get_by_role("status")).to_contain_text("Your 2025 report is submitted")
    browser_auth.logout()

    browser_auth.login(reviewer.email)
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("link", name=LOTUS_2025).click()
    page.get_by_label("What needs changing in “Staff training”").fill("Count the drivers too.")
    page.get_by_role("button", name="Return the report").click()
    expect(page.get_by_role("status")).to_contain_text("Returned for changes")
    browser_auth.logout()
    deliver_queued()
    assert "Count the drivers too." in smtp.wait_for(owner.email, 1)[-1].as_string()

    browser_auth.login(owner.email)
    page.goto("/company/reports/2025")
    expect(page.get_by_text("Count the drivers too.")).to_be_visible()
    fill_training(page, "Thailand", "48", "33")
    page.get_by_role("button", name="Save and preview").click()
    page.get_by_role("button", name="Submit the report to ECPAT").click()
    expect(page.get_by_role("status")).to_contain_text("submitted")
    browser_auth.logout()

    browser_auth.login(reviewer.email)
    page.goto("/review/reports/")
    page.get_by_role("link", name=LOTUS_2025).click()
    expect(page.get_by_text("What changed since version 1")).to_be_visible()
    expect(page.get_by_text("Thailand: Employees at year end: “40” → “48”")).to_be_visible()
    changed = "Thailand, Front-line staff: Currently trained: “30” → “33”"
    expect(page.get_by_text(changed)).to_be_visible()
    page.get_by_role("button", name="Accept the report").click()
    expect(page.get_by_role("status")).to_contain_text("Accepted")
    browser_auth.logout()

    browser_auth.login(owner.email)
    page.goto("/company/")
    expect(page.get_by_text("In good standing")).to_be_visible()


def test_a_pdf_chosen_on_a_refused_save_is_saved_by_the_next(page: Page, browser_auth, tmp_path):
    """Choose the PDF, make a mistake, save: the mistake is listed and the file kept. Fix the
    mistake, save again without choosing the file again: the file is on record."""
    company, owner = member(joined=date(2024, 5, 1), countries=("TH",), display_name="Lotus")
    policy = tmp_path / "policy.pdf"
    policy.write_bytes(pdf_bytes())

    browser_auth.login(owner.email)
    page.goto("/company/reports/")
    page.get_by_role("button", name="Start the 2025 report").click()
    write_report(page, policy)
    page.get_by_label("Of these, contracts that include the Code clause").fill("30")  # of 12
    page.get_by_role("button", name="Save draft").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("This cannot be more than the number of contracts.")
    expect(page.get_by_text(re.compile(r"policy\.pdf \(.+\) is kept"))).to_be_visible()
    expect(page.get_by_label("Do not keep this file")).not_to_be_checked()

    page.get_by_label("Of these, contracts that include the Code clause").fill("9")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved")
    expect(page.get_by_role("link", name="policy.pdf")).to_be_visible()
    expect(page.get_by_text("is kept")).to_have_count(0)
