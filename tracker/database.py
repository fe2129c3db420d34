"""How long a request may wait for the database, and how to tell that it waited too long.

SQLite runs in WAL mode (readers never wait for a writer) and waits SQLITE_BUSY_TIMEOUT_MS for
another writer's lock; PostgreSQL cancels a statement after DATABASE_STATEMENT_TIMEOUT_MS and a
wait for a lock after DATABASE_LOCK_TIMEOUT_MS. A request that runs out of that time gets 503
with Retry-After (tracker/errors.py), not a 500: nothing is wrong but the load.
"""

import sqlite3
from functools import partial

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError

# SQLSTATEs of a statement cancelled by statement_timeout and of a lock_timeout.
QUERY_CANCELED = "57014"
LOCK_NOT_AVAILABLE = "55P03"
SQLITE_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def configure(app: Flask) -> None:
    """Add PostgreSQL's timeouts to the engine options: call before `db.init_app`. They are
    libpq startup options, so they cost no round trip and hold for every connection."""
    if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() != "postgresql":
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    connect_args = dict(options.get("connect_args", {}))
    connect_args["options"] = (
        f"-c statement_timeout={int(app.config['DATABASE_STATEMENT_TIMEOUT_MS'])}"
        f" -c lock_timeout={int(app.config['DATABASE_LOCK_TIMEOUT_MS'])}"
    )
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def listen(app: Flask, engine: Engine) -> None:
    """Set SQLite's journal and busy timeout on every new connection of `engine`."""
    if engine.dialect.name == "sqlite":
        busy_timeout_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])
        event.listen(engine, "connect", partial(sqlite_pragmas, busy_timeout_ms))


def sqlite_pragmas(busy_timeout_ms: int, dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while one connection writes (the journal default blocks them) and
    # survives a killed process as well; the setting is kept in the database file.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    cursor.close()


def is_busy(error: OperationalError) -> bool:
    """Whether `error` means the database was too busy (a lock or a statement timed out), as
    opposed to a mistake or an unreachable server."""
    cause = error.orig
    if isinstance(cause, sqlite3.OperationalError):
        return getattr(cause, "sqlite_errorcode", None) in SQLITE_BUSY_CODES
    return getattr(cause, "sqlstate", None) in (QUERY_CANCELED, LOCK_NOT_AVAILABLE)
