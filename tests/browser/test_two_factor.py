"""In Chromium: a new member of staff sets up two-step sign-in from the page, then uses it."""

import re

import pyotp
import pytest

from tests.browser.conftest import import_or_skip
from tests.factories import PASSWORD, staff
from tracker.auth.models import Role
from tracker.extensions import db

pytestmark = pytest.mark.browser
sync_api = import_or_skip("playwright.sync_api")
Page, expect = sync_api.Page, sync_api.expect

RECOVERY_CODE = re.compile(r"^[a-z2-9]{4}(-[a-z2-9]{4}){3}$")


def give_password(page: Page, email: str) -> None:
    page.goto("/account/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_staff_set_up_two_step_sign_in_and_sign_in_with_it(page: Page):
    newcomer = staff(Role.REVIEWER, email="new.reviewer@example.com")
    db.session.commit()

    give_password(page, newcomer.email)
    page.wait_for_url("**/account/two-factor/setup")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    page.goto("/review/")  # nothing else opens before the second factor is set up
    assert "/account/" in page.url and "/review/" not in page.url
    page.goto("/account/two-factor/setup")

    # What a person with an authenticator app does: read the key, type the app's code.
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(RECOVERY_CODE.match(code) for code in codes)
    page.get_by_role("link", name="I have saved them, continue").click()
    page.wait_for_url("**/review/")

    page.get_by_role("button", name="Sign out").click()
    give_password(page, newcomer.email)
    page.wait_for_url("**/account/two-factor/")
    page.get_by_label("Code", exact=True).fill(codes[0])  # the phone is lost: a recovery code
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/review/")
    expect(page.get_by_role("link", name="Applications")).to_be_visible()
