"""In Chromium: pages run under the CSP without violations, and no other site can frame them."""

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.browser.conftest import import_or_skip
from tests.conftest import free_port

pytestmark = pytest.mark.browser
sync_api = import_or_skip("playwright.sync_api")
Page, expect = sync_api.Page, sync_api.expect

CSP_VIOLATION = re.compile(r"Content Security Policy|Refused to", re.IGNORECASE)


@pytest.fixture()
def console(page: Page) -> list[str]:
    """Every console message the page and its frames print during the test."""
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    return messages


def csp_violations(messages: list[str]) -> list[str]:
    return [text for text in messages if CSP_VIOLATION.search(text)]


def test_pages_run_under_the_csp_without_violations(
    page: Page, console, browser_auth, reviewer, company_a
):
    page.goto("/")
    page.goto("/account/login")
    page.goto("/account/register")
    page.get_by_role("button", name="Create account").click()
    # app.js ran (an inline script would have been refused): it focused the error summary.
    expect(page.locator(".error-summary")).to_be_focused()
    assert csp_violations(console) == []

    browser_auth.login(reviewer.email)
    page.goto(f"/review/companies/{company_a.id}")
    expect(page.get_by_role("button", name="Approve")).to_be_visible()
    assert csp_violations(console) == []


def test_an_injected_inline_script_is_refused(page: Page):
    # The control for the test above: a violation does reach the console, and the script
    # does not run, so markup injected into a page could not act either.
    page.goto("/")
    with page.expect_console_message(lambda message: CSP_VIOLATION.search(message.text)):
        ran = page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.injected = true";
                document.head.appendChild(script);
                return window.injected === true;
            }"""
        )
    assert ran is False


class AttackerSite:
    """Another origin (another port) whose only page frames `target`, a page of the tracker."""

    def __init__(self) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = f'<!doctype html><title>Win a prize</title><iframe src="{site.target}">'
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args) -> None:
                pass

        self.target = ""
        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"


@pytest.fixture()
def attacker_site() -> Iterator[AttackerSite]:
    site = AttackerSite()
    thread = threading.Thread(target=site.server.serve_forever, name="attacker", daemon=True)
    thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()
    thread.join(timeout=5)


def test_another_site_cannot_frame_the_review_page(
    page: Page, browser_auth, live_server, attacker_site, reviewer, company_a
):
    # Signed in as staff, the reviewer visits a page on another origin that frames the review
    # page. The session cookie (SameSite=Lax, same site: only the port differs) goes along,
    # so only the headers stand between the attacker and a click-through on Approve.
    browser_auth.login(reviewer.email)
    attacker_site.target = f"{live_server}/review/companies/{company_a.id}"
    with page.expect_console_message(lambda message: "frame-ancestors" in message.text):
        page.goto(attacker_site.url)

    expect(page.frame_locator("iframe").get_by_role("button", name="Approve")).to_have_count(0)
    [frame] = page.main_frame.child_frames
    assert not frame.url.startswith(live_server), frame.url  # an error page, not the review
