"""Shared fixtures: the app on SQLite or TEST_DATABASE_URL, an SMTP catcher, clients, roles."""

import re
import shutil
import socket
import time
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import MetaData

from config import TestingConfig
from tests.fixtures import two_factor
from tests.fixtures.catalogs import compile_catalogs
from tracker import create_app
from tracker.extensions import cache, db, limiter

pytest_plugins = ["tests.fixtures.roles", "tests.fixtures.apps"]


class Mailbox:
    """aiosmtpd handler that keeps every message it receives over SMTP."""

    def __init__(self):
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in m["X-Envelope-To"]]

    def wait_for(self, address: str, count: int, timeout: float = 5.0) -> list[Message]:
        """The mail to `address` once `count` messages arrived: a served app (the browser
        tests) delivers after its response, so a message may still be on its way."""
        deadline = time.monotonic() + timeout
        while len(self.to(address)) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.to(address)

    def link(self, address: str, path_fragment: str) -> str:
        """The path of the last link containing `path_fragment` mailed to `address`."""
        pattern = re.compile(r"https?://[^/\s]+(\S*" + re.escape(path_fragment) + r"\S*)")
        deadline = time.monotonic() + 5.0
        while True:
            for message in reversed(self.to(address)):
                match = pattern.search(message.get_payload(decode=True).decode())
                if match:
                    return match.group(1)
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {address} with a link to {path_fragment}")
            time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture()
def smtp(smtp_server):
    smtp_server.handler.messages.clear()
    return smtp_server.handler


@pytest.fixture(scope="session")
def app(smtp_server, tmp_path_factory):
    class Config(TestingConfig):
        MAIL_SERVER = "127.0.0.1"
        MAIL_PORT = smtp_server.port
        REPORT_DOCUMENT_FOLDER = str(tmp_path_factory.mktemp("documents"))
        SUPPLIER_INDEX_FOLDER = str(tmp_path_factory.mktemp("supplier-index"))
        EXPORT_FOLDER = str(tmp_path_factory.mktemp("exports"))
        if TestingConfig.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"

    compile_catalogs(Path(TestingConfig.BABEL_TRANSLATION_DIRECTORIES))
    app = create_app(Config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        reset_schema()
        upgrade()  # the schema comes from the migrations, so they are tested on every run
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def reset_schema() -> None:
    """Drop what an earlier run left in a shared (PostgreSQL) test database: every table there,
    including those of another version of the code."""
    db.session.commit()
    existing = MetaData()
    existing.reflect(bind=db.engine)
    existing.drop_all(bind=db.engine)


@pytest.fixture(autouse=True)
def app_context(app):
    """Each test runs in an app context; tables are emptied afterwards."""
    limiter.reset()
    with app.app_context():
        cache.clear()  # a page kept by an earlier test could match a new test's key
        app.extensions.pop("public_other_pages", None)  # (the other public pages' region)
        shutil.rmtree(app.config["EXPORT_FOLDER"], ignore_errors=True)  # and a CSV file
        yield
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            # data_versions: a counter, it only ever moves on; fee_bands: seeded by the
            # migrations, like a real database (tests that change fees put them back).
            if table.name not in ("data_versions", "fee_bands"):
                db.session.execute(table.delete())
        db.session.commit()


class IsolatedClient(FlaskClient):
    """Runs each request in its own app context and database session, as in production.

    The test's own session is expired afterwards, so assertions see only what the view committed.
    """

    def open(self, *args, **kwargs):
        # Buffered, as a WSGI server does: closing the response runs the outbox delivery.
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.rollback()
            db.session.expire_all()
        return response

    def csrf_token(self) -> str:
        page = self.get("/account/reset").get_data(as_text=True)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    def submit(self, url: str, data: dict | None = None, **kwargs):
        """POST a form with a valid CSRF token, as a browser would."""
        return self.post(url, data={"csrf_token": self.csrf_token(), **(data or {})}, **kwargs)


@pytest.fixture()
def client(app) -> IsolatedClient:
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client: IsolatedClient):
        self.client = client

    def login(self, email: str, password: str = "correct horse battery", second_factor=True):
        """Sign in; for an account with a second factor (all staff), type its code as well,
        unless `second_factor` is False (the answer is then the password step's)."""
        if second_factor:
            return two_factor.login(self.client, email, password)
        return self.client.submit("/account/login", {"email": email, "password": password})

    def logout(self):
        return self.client.submit("/account/logout")


@pytest.fixture()
def auth(client) -> AuthActions:
    return AuthActions(client)
