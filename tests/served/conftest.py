"""The real app under gunicorn with two workers, sharing the test database and SMTP catcher."""

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from config import BASE_DIR
from tests.conftest import free_port

GUNICORN = Path(sys.executable).parent / "gunicorn"
# The production settings (worker class, threads, timeouts); the fixture only sets the port.
GUNICORN_CONFIG = BASE_DIR / "gunicorn.conf.py"
WORKERS = 2
START_TIMEOUT = 20.0  # seconds for both workers to boot and /healthz to answer
STOP_TIMEOUT = 10.0
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class ServedApp:
    """A running gunicorn master; its workers answer on `url`."""

    url: str
    process: subprocess.Popen
    stderr_path: Path

    @property
    def master_pid(self) -> int:
        return self.process.pid

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc (gunicorn forks one per worker)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and parent_pid(entry) == self.master_pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def restart_workers(self) -> None:
        """Fresh workers (SIGHUP), e.g. to forget per-worker memory:// rate-limit counters."""
        old = set(self.worker_pids())
        os.kill(self.master_pid, signal.SIGHUP)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            pids = set(self.worker_pids())
            if len(pids) == WORKERS and not pids & old and answers_healthz(self.url):
                return
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not restart its workers:\n{self.stderr()}")

    def stderr(self) -> str:
        """What gunicorn (and the app's log) wrote so far: show it when a test fails."""
        return self.stderr_path.read_text(errors="replace")


def parent_pid(proc_dir: Path) -> int | None:
    try:
        stat = (proc_dir / "stat").read_text()
    except OSError:  # the process ended while we looked
        return None
    # The command name in parentheses may hold spaces; the fields after it are fixed.
    return int(stat.rsplit(")", 1)[1].split()[1])


def answers_healthz(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def csrf_token(client: httpx.Client, path: str = "/account/reset") -> str:
    """A CSRF token for `client`'s session, read from a page's form as a browser would."""
    response = client.get(path)
    response.raise_for_status()
    return CSRF_FIELD.search(response.text).group(1)


def gunicorn_env(app, smtp_server) -> dict[str, str]:
    return {
        **os.environ,
        "TRACKER_CONFIG": "testing",
        # The exact database the session's `app` fixture migrated, SQLite file or PostgreSQL.
        "TEST_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_server.port),
        "PYTHONUNBUFFERED": "1",
    }


def wait_until_ready(served: ServedApp) -> None:
    """Return once /healthz answers and every worker has booted; fail with gunicorn's log."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            break
        if answers_healthz(served.url) and len(served.worker_pids()) == WORKERS:
            return
        time.sleep(0.1)
    stop(served.process)
    pytest.fail(f"gunicorn did not start serving /healthz:\n{served.stderr()}", pytrace=False)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_gunicorn(env: dict[str, str], port: int, stderr_path: Path) -> ServedApp:
    """gunicorn with the production config file, serving once this returns. Its processes form
    a group of their own, so that a test can kill master and workers at one stroke."""
    command = [str(GUNICORN), "--config", str(GUNICORN_CONFIG), "--workers", str(WORKERS)]
    command += ["--bind", f"127.0.0.1:{port}"]
    with open(stderr_path, "ab") as stderr:  # a restart adds to the same log
        process = subprocess.Popen(
            [*command, "wsgi:app"],
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stderr,
            stderr=stderr,
            start_new_session=True,
        )
    served = ServedApp(url=f"http://127.0.0.1:{port}", process=process, stderr_path=stderr_path)
    wait_until_ready(served)
    return served


@pytest.fixture(scope="session")
def served_app(app, smtp_server, tmp_path_factory) -> Iterator[ServedApp]:
    """gunicorn --workers 2 serving wsgi:app with TestingConfig on a free loopback port."""
    stderr_path = tmp_path_factory.mktemp("gunicorn") / "stderr.log"
    served = start_gunicorn(gunicorn_env(app, smtp_server), free_port(), stderr_path)
    try:
        yield served
    finally:
        stop(served.process)


@pytest.fixture()
def served_client(served_app) -> Iterator[httpx.Client]:
    """An httpx client with its own cookie jar, talking to the served app."""
    with httpx.Client(base_url=served_app.url, timeout=10) as client:
        yield client


@pytest.fixture(autouse=True)
def close_http_clients(monkeypatch) -> Iterator[None]:
    """Close every httpx client a served test opened and left open: gunicorn keeps connections
    alive (gunicorn.conf.py), and a socket left to the garbage collector is a ResourceWarning,
    an error in the next test."""
    opened: list[httpx.Client] = []
    original_init = httpx.Client.__init__

    def init(client, *args, **kwargs):
        original_init(client, *args, **kwargs)
        opened.append(client)

    monkeypatch.setattr(httpx.Client, "__init__", init)
    yield
    for client in opened:
        client.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach gunicorn's log to a failing served test, where the cause usually is."""
    outcome = yield
    report = outcome.get_result()
    served = item.funcargs.get("served_app") if hasattr(item, "funcargs") else None
    if report.failed and isinstance(served, ServedApp):
        report.sections.append(("gunicorn stderr", served.stderr()[-20_000:]))
