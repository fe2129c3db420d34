"""Browser fixtures: the app on a live loopback server, one headless Chromium, a page per test."""

import importlib
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import free_port
from tests.factories import PASSWORD
from tests.fixtures import two_factor
from tracker import outbox

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Without this Chromium makes dozens of DNS look-ups per run; all our traffic is loopback.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]
TIMEOUT_MS = 5_000  # every step is a local request; fail fast rather than hang


RESPONSE_KEY = "tests.response"


class CloseOnce:
    """A response body whose close() runs once, whoever calls it first."""

    def __init__(self, body: Iterable[bytes]):
        self.body = body
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            if hasattr(self.body, "close"):
                self.body.close()


def keep_response(app):
    """Leaves each response body in its environ, so the handler below can close it."""

    def middleware(environ, start_response):
        body = environ[RESPONSE_KEY] = CloseOnce(app(environ, start_response))
        return body

    return middleware


class QuietHandler(WSGIRequestHandler):
    """Logs errors only: a line per request would bury a failing test's output."""

    def log_request(self, *args, **kwargs) -> None:
        pass

    def connection_dropped(self, error, environ=None) -> None:
        # When Chromium resets a connection, werkzeug's run_wsgi (3.1) raises out of its
        # `finally` while draining the socket, before it closes the response. A static file's
        # handle is then left to the garbage collector, whose ResourceWarning fails whichever
        # test is running. Close it here, as the WSGI server should have.
        if environ and RESPONSE_KEY in environ:
            environ[RESPONSE_KEY].close()


def _unavailable(reason: str) -> None:
    """Skip locally, but fail in CI (REQUIRE_BROWSER=1), where a skip would hide a broken setup."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def import_or_skip(name: str):
    """Import a browser-test dependency at module level, skipping the module when it is missing."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        _unavailable(f"{error.name} is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The session's app served by werkzeug in a daemon thread; yields its base URL."""
    # Threaded, so a speculative connection Chromium opens cannot block the next request.
    server = make_server(
        "127.0.0.1", free_port(), keep_response(app), threaded=True, request_handler=QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    sync_playwright = import_or_skip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, live_server):
    """A fresh page in its own context (no cookies shared between tests)."""
    context = browser.new_context(base_url=live_server)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


class BrowserAuth:
    """Sign in and out through the real forms, as a person would."""

    def __init__(self, page):
        self.page = page

    def login(self, email: str, password: str = PASSWORD) -> None:
        """Sign in; staff (and opted-in accounts) type the code of their known secret too."""
        page = self.page
        secret = two_factor.prepare(email)
        page.goto("/account/login")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/account/login" not in url)
        if secret is not None and page.url.endswith(two_factor.VERIFY_PATH):
            page.get_by_label("Code", exact=True).fill(two_factor.code_for(secret))
            page.get_by_role("button", name="Continue").click()
            page.wait_for_url(lambda url: "/account/two-factor" not in url)

    def logout(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()
        self.page.get_by_text("You are signed out.").wait_for()


@pytest.fixture()
def browser_auth(page) -> BrowserAuth:
    return BrowserAuth(page)


def deliver_queued() -> None:
    """Send what is still queued, as `send-mail` from cron would. The test server (werkzeug's)
    skips a response's after-response delivery when the browser has already closed the
    connection; gunicorn does not, and these tests are about the pages, not that timing."""
    for message_id in outbox.due_message_ids():
        outbox.deliver_one(message_id)
