"""In Chromium: a refused staff form far down the company's page is where the reviewer lands."""

import pytest

from tests.browser.conftest import import_or_skip
from tests.factories import staff
from tests.reports.helpers import member
from tracker.auth.models import Role

pytestmark = pytest.mark.browser
sync_api = import_or_skip("playwright.sync_api")
Page, expect = sync_api.Page, sync_api.expect


def test_a_past_extension_date_focuses_its_summary_at_the_form(page: Page, browser_auth):
    company, _owner = member(countries=("TH",))
    reviewer = staff(Role.REVIEWER, email="reviewer@ecpat.example")
    page.set_viewport_size({"width": 1280, "height": 800})
    browser_auth.login(reviewer.email)
    page.goto(f"/review/companies/{company.id}")
    form = page.locator("#extension")
    form.get_by_label("Reporting year").fill("2025")
    form.get_by_label("New due date").fill("2020-01-01")
    form.get_by_label("Reason", exact=True).fill("Hurricane season")
    form.get_by_role("button", name="Grant the later date").click()

    summary = page.get_by_role("alert").filter(has_text="Please correct the highlighted fields")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Choose a date after the normal due date and not in the past.")
    # The form is far down the page: the browser moved there, not left the reviewer at the top.
    assert page.evaluate("window.scrollY") > 0
    assert form.locator(".error-summary").count() == 1  # the summary is the extension form's
    expect(form.get_by_label("Reason", exact=True)).to_have_value("Hurricane season")
    expect(form.get_by_label("New due date")).to_have_value("2020-01-01")
    # Its link leads to the field.
    summary.get_by_role("link").click()
    expect(form.get_by_label("New due date")).to_be_focused()
