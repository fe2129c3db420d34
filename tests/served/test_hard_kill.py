"""gunicorn killed (SIGKILL, master and workers) in the middle of parallel writes: after a
restart every write that was acknowledged is there, and the database checks out whole."""

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from sqlalchemy import select, text

from tests.conftest import free_port
from tests.served.conftest import ServedApp, csrf_token, gunicorn_env, start_gunicorn, stop
from tracker.auth.models import User
from tracker.extensions import db
from tracker.outbox import OutboxMessage

WRITERS = 6
ACKNOWLEDGED_BEFORE_KILL = 24
WRITE_PHASE_TIMEOUT = 60.0
# Every writer registers from 127.0.0.1: lift the per-address allowance of e-mailing forms.
GENEROUS_LIMITS = {"MAIL_LIMIT_PER_ADDRESS": "100000 per hour"}


class Writers:
    """Threads that register accounts through the real form (CSRF and all) until the server
    stops answering, keeping the addresses whose registration was acknowledged (302)."""

    def __init__(self, url: str):
        self.url = url
        self.acknowledged: list[str] = []
        self.other_answers: list[int] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.write, args=(n,)) for n in range(WRITERS)]

    def write(self, writer: int) -> None:
        with httpx.Client(base_url=self.url, timeout=10) as client:
            try:
                token = csrf_token(client, "/account/register")
                for number in range(10_000):
                    email = f"writer{writer}.{number}@example.com"
                    form = {"name": "Ana Lee", "email": email, "csrf_token": token}
                    form["password"] = form["confirm"] = "long enough pw"
                    status = client.post("/account/register", data=form).status_code
                    with self.lock:
                        if status == 302:
                            self.acknowledged.append(email)
                        else:
                            self.other_answers.append(status)
            except httpx.TransportError:  # the server is gone: this writer is done
                return

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + WRITE_PHASE_TIMEOUT
        while len(self.acknowledged) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.acknowledged) >= count, (self.acknowledged, self.other_answers)

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=30)
        assert not any(thread.is_alive() for thread in self.threads)


@pytest.fixture()
def start_server(app, smtp_server, tmp_path) -> Iterator[Callable[[int], ServedApp]]:
    """gunicorn processes of this test's own (the session's are shared), on a port it names."""
    started: list[ServedApp] = []
    env = {**gunicorn_env(app, smtp_server), **GENEROUS_LIMITS}

    def start(port: int) -> ServedApp:
        started.append(start_gunicorn(env, port, tmp_path / "gunicorn.log"))
        return started[-1]

    yield start
    for served in started:
        stop(served.process)


def kill_hard(served: ServedApp) -> None:
    """SIGKILL to master and workers at once: no worker finishes its request or its commit."""
    workers = served.worker_pids()
    os.killpg(served.master_pid, signal.SIGKILL)
    served.process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{pid}/status") and alive(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker survived SIGKILL"
        time.sleep(0.05)


def alive(pid: int) -> bool:
    """False for a process that is gone or a zombie waiting for its (dead) parent's reaper."""
    try:
        with open(f"/proc/{pid}/status") as status:
            return "\nState:\tZ" not in status.read()
    except FileNotFoundError:
        return False


def sqlite_integrity_problems() -> list:
    """What SQLite's own checks report: nothing when the file is whole."""
    rows = list(db.session.execute(text("PRAGMA integrity_check")))
    problems = [] if rows == [("ok",)] else rows
    return problems + list(db.session.execute(text("PRAGMA foreign_key_check")))


def check_postgresql_indexes() -> int:
    """amcheck's bt_index_check on every b-tree index of our tables (it raises on a corrupt
    one); how many it checked, 0 without amcheck. PostgreSQL enforces foreign keys itself."""
    available = "SELECT 1 FROM pg_available_extensions WHERE name = 'amcheck'"
    if db.session.execute(text(available)).first() is None:
        return 0
    db.session.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
    indexes = text(
        "SELECT i.indexrelid::regclass::text FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam"
        " WHERE am.amname = 'btree' AND i.indrelid = ANY(CAST(:tables AS regclass[]))"
    )
    tables = [table.name for table in db.metadata.sorted_tables]
    checked = 0
    for (index,) in db.session.execute(indexes, {"tables": tables}).all():
        db.session.execute(
            text("SELECT bt_index_check(CAST(:index AS regclass))"), {"index": index}
        )
        checked += 1
    db.session.commit()
    return checked


def test_every_acknowledged_write_survives_sigkill_of_master_and_workers(start_server):
    port = free_port()
    served = start_server(port)
    writers = Writers(served.url)
    writers.start()
    writers.wait_for(ACKNOWLEDGED_BEFORE_KILL)
    kill_hard(served)  # while the writers are still sending
    writers.join()
    acknowledged = set(writers.acknowledged)

    restarted = start_server(port)  # on the same address, as a supervisor would
    assert httpx.get(f"{restarted.url}/healthz", timeout=5).text == "ok\n"
    db.session.expire_all()
    registered = set(db.session.scalars(select(User.email).where(User.email.like("writer%"))))
    assert acknowledged <= registered, sorted(acknowledged - registered)
    # Each account and its confirmation e-mail were one transaction: neither without the other.
    queued = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert registered <= queued, sorted(registered - queued)
    if db.engine.dialect.name == "sqlite":
        assert sqlite_integrity_problems() == []
    else:
        check_postgresql_indexes()
