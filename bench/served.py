"""The app served by gunicorn for the benchmarks that measure what a client sees, and the
100,000-company database the queue and dashboard benchmarks share."""

import os
import re
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def flask(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    command = [str(BIN / "flask"), "--app", "wsgi", *args]
    subprocess.run(
        command, env=env, cwd=ROOT, check=True, input=stdin, text=True, capture_output=True
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class served:
    """gunicorn with `workers` workers on a free port, stopped on exit; yields its base URL."""

    def __init__(self, env: dict[str, str], workers: int = 1):
        self.env, self.workers, self.port = env, workers, free_port()

    def __enter__(self) -> str:
        command = [
            str(BIN / "gunicorn"),
            *("--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}", "wsgi:app"),
        ]
        self.process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        url = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    return url
            except httpx.TransportError:
                time.sleep(0.1)
        raise SystemExit("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def empty_app(url: str):
    """The app (development config, mail to the console) on `url`, emptied and migrated."""
    from flask_migrate import upgrade
    from sqlalchemy import MetaData

    from config import DevelopmentConfig
    from tracker import create_app
    from tracker.extensions import db

    class BenchConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url
        MAIL_BACKEND = "console"

    app = create_app(BenchConfig)
    with app.app_context():
        existing = MetaData()
        existing.reflect(bind=db.engine)
        existing.drop_all(bind=db.engine)
        upgrade()
    return app


# -- The 100,000-company database the queue and dashboard benchmarks share -------------------

REVIEWER, REPRESENTATIVE = "reviewer@bench.example", "rep@bench.example"
PASSWORD = "bench password 1"


def sqlite_url(companies: int, fresh: bool) -> str:
    """instance/bench/queue-<companies>.sqlite3, kept between runs (--fresh loads it again)."""
    path = ROOT / "instance" / "bench" / f"queue-{companies}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    if fresh:
        path.unlink(missing_ok=True)
    return f"sqlite:///{path}"


def bench_env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "TRACKER_CONFIG": "development",
        "DATABASE_URL": url,
        "MAIL_BACKEND": "console",
        # A benchmark signs in more often than a person would.
        "LOGIN_LIMIT_PER_ADDRESS": "10000 per minute",
        "LOGIN_LIMIT_PER_ACCOUNT": "10000 per minute",
        "LOGIN_LIMIT_PER_DEVICE": "10000 per minute",
    }


def prepare(url: str, companies: int):
    """The app on `url` holding `companies` demo companies with their reports (loaded unless
    they are there already: a database of an older loader, without reports, is loaded again)
    and the benchmark's reviewer and representative (Thailand, Cambodia)."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select, text, update
    from werkzeug.security import generate_password_hash

    from config import DevelopmentConfig
    from tracker import create_app
    from tracker.auth.models import Representative, RepresentativeCountry, Role, User
    from tracker.companies.models import Company
    from tracker.demo import DEMO_TOTP_SECRET, load_companies
    from tracker.extensions import db
    from tracker.reports.models import Report

    class BenchConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()
        loaded = db.session.scalar(select(func.count(Company.id))) == companies and (
            companies == 0 or db.session.scalar(select(Report.id).limit(1)) is not None
        )
        if not loaded:
            db.session.remove()  # its transaction would block dropping the tables
            if url.startswith("postgresql"):
                db.drop_all()
                db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
                db.session.commit()
                upgrade()
            else:
                db.engine.dispose()
                Path(url.removeprefix("sqlite:///")).unlink()
                upgrade()
            load(load_companies, companies)
        settle(db)
        password = generate_password_hash(PASSWORD)
        for email, role, countries in (
            (REVIEWER, Role.REVIEWER, []),
            (REPRESENTATIVE, Role.REPRESENTATIVE, ["TH", "KH"]),
        ):
            if db.session.scalar(select(User).filter_by(email=email)) is None:
                db.session.add(
                    User(
                        email=email,
                        name=email.split("@")[0].title(),
                        role=role,
                        password_hash=password,
                        email_confirmed_at=datetime.now(UTC),
                        representative=Representative(
                            name="Bench representative",
                            countries=[RepresentativeCountry(country_code=c) for c in countries],
                        )
                        if countries
                        else None,
                    )
                )
        # Staff sign in with a second factor: every staff account here gets the demo key.
        db.session.execute(
            update(User)
            .where(User.role != Role.COMPANY, User.two_factor_enabled_at.is_(None))
            .values(totp_secret=DEMO_TOTP_SECRET, two_factor_enabled_at=datetime.now(UTC))
        )
        db.session.commit()
        db.engine.dispose()
    return app


def settle(db) -> None:
    """Statistics for the planner, and on PostgreSQL the VACUUM that autovacuum soon runs after
    a bulk load (index-only scans need it): the steady state of a live database."""
    from sqlalchemy import text

    db.session.commit()
    command = "VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(command))


def load(load_companies, companies: int) -> None:
    started, done = time.perf_counter(), 0

    def progress(count: int) -> None:
        nonlocal done
        done += count
        if done % 10_000 < count or done == companies:
            print(f"loading demo companies: {done:,} of {companies:,}", flush=True)

    load_companies(companies, seed=1, progress=progress)
    print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)


def signed_in(base: str, email: str, password: str = PASSWORD) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/account/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post(
        "/account/login", data={"csrf_token": token, "email": email, "password": password}
    )
    if answer.headers.get("Location") == "/account/two-factor/":  # staff: the demo key's code
        import pyotp

        from tracker.demo import DEMO_TOTP_SECRET

        code = pyotp.TOTP(DEMO_TOTP_SECRET).now()
        answer = client.post("/account/two-factor/", data={"csrf_token": token, "code": code})
    if answer.status_code != 302:
        raise SystemExit(f"could not sign in as {email}: {answer.status_code}")
    return client
