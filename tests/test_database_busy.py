"""A database lock held past its timeout answers 503 with Retry-After, never 500; SQLite runs
in WAL mode, so readers do not wait for a writer."""

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select, text

from config import TestingConfig
from tests.conftest import IsolatedClient
from tests.factories import PASSWORD, UserFactory
from tracker.auth.models import User
from tracker.errors import BUSY_RETRY_AFTER
from tracker.extensions import db

SHORT_WAIT_MS = 200
REGISTRATION = {
    "name": "Ana Lee",
    "email": "ana@sunrise.example",
    "password": "long enough pw",
    "confirm": "long enough pw",
}
BUSY_TEXT = "too busy to finish this just now, so nothing was saved"


@contextmanager
def write_lock() -> Iterator[None]:
    """Another connection holds the lock that adding a user or ending a session needs until
    the block ends (SQLite: the database's write lock; PostgreSQL: those tables', reads still
    allowed)."""
    if db.engine.dialect.name == "sqlite":
        other = sqlite3.connect(db.engine.url.database, isolation_level=None)
        try:
            other.execute("BEGIN EXCLUSIVE")  # in WAL mode, readers still read
            yield
        finally:
            other.close()  # rolls the empty transaction back
    else:
        with db.engine.connect() as other:  # rolled back on leaving
            other.execute(text("LOCK TABLE users, auth_sessions IN EXCLUSIVE MODE"))
            yield


@pytest.fixture()
def make_impatient_client(app, make_app, smtp):
    """A client of an app on the test database that waits only briefly for the database."""

    def make(**timeouts) -> IsolatedClient:
        class Impatient(TestingConfig):
            SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
            MAIL_SERVER = app.config["MAIL_SERVER"]
            MAIL_PORT = app.config["MAIL_PORT"]
            SQLITE_BUSY_TIMEOUT_MS = SHORT_WAIT_MS
            DATABASE_LOCK_TIMEOUT_MS = SHORT_WAIT_MS
            DATABASE_STATEMENT_TIMEOUT_MS = 0

        for name, value in timeouts.items():
            setattr(Impatient, name, value)
        impatient = make_app(Impatient)
        impatient.test_client_class = IsolatedClient
        return impatient.test_client()

    return make


def retry_after(response) -> int:
    """Seconds asked to wait: at least the busy pause; Flask-Limiter raises it on rate-limited
    routes (such as registration) to the end of the limit's window, on every response."""
    return int(response.headers["Retry-After"])


def users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_a_write_kept_waiting_past_the_timeout_answers_503_with_retry_after(
    make_impatient_client, caplog
):
    client = make_impatient_client()
    form = {**REGISTRATION, "csrf_token": client.csrf_token()}
    with write_lock():
        started = time.monotonic()
        response = client.post("/account/register", data=form)
        waited = time.monotonic() - started

    assert response.status_code == 503
    assert retry_after(response) >= BUSY_RETRY_AFTER
    assert BUSY_TEXT in response.get_data(as_text=True)
    # It waited for the lock as configured (200 ms), not the default 5 s.
    assert SHORT_WAIT_MS / 1000 <= waited < 3
    assert users() == 0
    assert "database busy: POST /account/register" in caplog.text
    # Once the lock is gone, the same form goes through.
    assert client.post("/account/register", data=form).status_code == 302
    assert users() == 1


def test_the_503_asks_to_come_back_in_five_seconds(make_impatient_client):
    """On a route without a rate limit, whose headers Flask-Limiter would otherwise add."""
    client = make_impatient_client()
    user = UserFactory(email="ana@sunrise.example")
    form = {"csrf_token": client.csrf_token(), "email": user.email, "password": PASSWORD}
    assert client.post("/account/login", data=form).status_code == 302
    token = {"csrf_token": client.csrf_token()}
    with write_lock():
        response = client.post("/account/logout", data=token)  # ends the session's record
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(BUSY_RETRY_AFTER) == "5"


def test_a_busy_database_answers_json_to_json_clients(make_impatient_client):
    client = make_impatient_client()
    form = {**REGISTRATION, "csrf_token": client.csrf_token()}
    with write_lock():
        response = client.post(
            "/account/register", data=form, headers={"Accept": "application/json"}
        )
    assert response.status_code == 503
    assert retry_after(response) >= BUSY_RETRY_AFTER
    assert response.json["status"] == 503
    assert BUSY_TEXT in response.json["description"]


def test_readers_do_not_wait_for_a_writer(make_impatient_client):
    client = make_impatient_client()
    with write_lock():
        assert client.get("/").status_code == 200
        assert client.get("/healthz").status_code == 200


def test_sqlite_runs_in_wal_mode_with_the_busy_timeout(make_impatient_client):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    client = make_impatient_client()
    with client.application.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == SHORT_WAIT_MS


def test_a_postgresql_statement_past_its_timeout_answers_503(make_impatient_client):
    """No lock timeout: the statement timeout ends the wait."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    client = make_impatient_client(DATABASE_LOCK_TIMEOUT_MS=0, DATABASE_STATEMENT_TIMEOUT_MS=300)
    with client.application.app_context():
        assert db.session.execute(text("SHOW statement_timeout")).scalar() == "300ms"
    form = {**REGISTRATION, "csrf_token": client.csrf_token()}
    with write_lock():
        response = client.post("/account/register", data=form)
    assert response.status_code == 503
    assert retry_after(response) >= BUSY_RETRY_AFTER
    assert users() == 0
