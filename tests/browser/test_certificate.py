"""In Chromium: the certificate prints alone on one A4 or Letter page, its button prints it,
and it runs under the CSP."""

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from tests.browser.conftest import import_or_skip
from tests.browser.test_phone_width import LONG_LEGAL_NAME, LONG_NAME
from tests.browser.test_security import CSP_VIOLATION
from tests.factories import CompanyFactory, owner_of
from tracker.companies.enums import Stage
from tracker.extensions import db

pytestmark = pytest.mark.browser
sync_api = import_or_skip("playwright.sync_api")
Page, expect = sync_api.Page, sync_api.expect


@pytest.fixture()
def member_owner():
    """A member whose names are as long as the forms allow: the page must still fit."""
    company = CompanyFactory(stage=Stage.ACTIVE, display_name=LONG_NAME, legal_name=LONG_LEGAL_NAME)
    company.membership.joined_at = datetime(2024, 9, 30, tzinfo=UTC)
    db.session.commit()
    return owner_of(company, email="owner.print@example.com")


def test_printed_it_is_the_certificate_alone_on_one_page(page: Page, browser_auth, member_owner):
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    browser_auth.login(member_owner.email)
    page.goto("/company/certificate")
    page.emulate_media(media="print")
    for around in (".site-header", ".site-footer", ".language-control", ".certificate-actions"):
        expect(page.locator(around)).to_be_hidden()
    expect(page.get_by_role("heading", name="Certificate of membership")).to_be_visible()
    expect(page.get_by_role("img", name="QR code that opens https://tracker.test/")).to_be_visible()
    for paper in ("A4", "Letter"):
        pdf = PdfReader(io.BytesIO(page.pdf(format=paper)))
        assert len(pdf.pages) == 1, f"{len(pdf.pages)} pages on {paper}"
        assert member_owner.company.membership_number in pdf.pages[0].extract_text()
    assert [text for text in messages if CSP_VIOLATION.search(text)] == []


def test_the_button_prints(page: Page, browser_auth, member_owner):
    browser_auth.login(member_owner.email)
    page.goto("/company/certificate")
    # Headless Chromium has no print dialog: count the calls app.js makes instead.
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Print the certificate").click()
    assert page.evaluate("window.printed") == 1
