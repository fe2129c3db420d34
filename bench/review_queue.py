"""Benchmark: the staff queue and review page at 100,000 companies, as a client of gunicorn sees
them.

Usage: .venv/bin/python bench/review_queue.py [--companies 100000] [--database-url URL] [--runs 15]
       [--seconds 10] [--fresh]
Without --database-url the database is instance/bench/queue-<companies>.sqlite3, kept between
runs (loading 100,000 companies takes a minute); --fresh loads it again. A --database-url is
emptied and loaded unless it already holds that many companies.

Serves the app with gunicorn (2 workers, development config) and measures, signed in as staff:
- every queue view (the default, each status, all statuses, a country, a name search, newest
  first, page 1,000) and the review page of a company: the median of warm single requests, each
  URL asked once so that the page cache cannot answer. Target: under 50 ms each.
- throughput under 32 connections (wrk) of the default queue against /healthz in the same run.
  Target: the queue serves at least 0.25 of /healthz's requests per second.
The script exits with status 1 when a target is missed.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from served import ROOT, served  # noqa: E402

SINGLE_TARGET_MS, THROUGHPUT_TARGET = 50.0, 0.25
REVIEWER, REPRESENTATIVE = "reviewer@bench.example", "rep@bench.example"
PASSWORD = "bench password 1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seconds", type=int, default=10, help="of each wrk run")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    url = args.database_url or sqlite_url(args.companies, args.fresh)
    detail_id = prepare(url, args.companies)
    env = bench_env(url)
    with served(env, workers=2) as base:
        singles = measure_singles(base, detail_id, args.runs)
        throughput = measure_throughput(base, args.seconds)
    print(f"database {url.split('://')[0]}, {args.companies:,} companies, gunicorn 2 workers")
    ok = report_singles(singles) & report_throughput(throughput)
    sys.exit(0 if ok else 1)


def sqlite_url(companies: int, fresh: bool) -> str:
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


def prepare(url: str, companies: int) -> int:
    """Load the companies unless they are there, add the staff; the id of a company to review."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select, text
    from werkzeug.security import generate_password_hash

    from config import DevelopmentConfig
    from tracker import create_app
    from tracker.auth.models import Role, StaffCountry, User
    from tracker.companies.models import Company, Operation
    from tracker.demo import load_companies
    from tracker.extensions import db

    class BenchConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()
        if db.session.scalar(select(func.count(Company.id))) != companies:
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
                        staff_countries=[StaffCountry(country_code=c) for c in countries],
                    )
                )
        db.session.commit()
        # The company with the most operations: the heaviest review page.
        detail_id = db.session.scalar(
            select(Operation.company_id)
            .group_by(Operation.company_id)
            .order_by(func.count().desc(), Operation.company_id)
            .limit(1)
        )
        db.engine.dispose()
    return detail_id


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
    print(f"loaded in {time.perf_counter() - started:.0f} s")


def signed_in(base: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/account/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post(
        "/account/login", data={"csrf_token": token, "email": email, "password": PASSWORD}
    )
    if answer.status_code != 302:
        raise SystemExit(f"could not sign in as {email}: {answer.status_code}")
    return client


def views(detail_id: int) -> list[tuple[str, str, str]]:
    """(name, who, path) of every view measured."""
    statuses = [
        "submitted", "returned", "rejected", "approved", "active", "suspended", "withdrawn",
        "expelled",
    ]  # fmt: skip
    rows = [("queue, default (under review)", REVIEWER, "/review/")]
    rows += [(f"queue, {status}", REVIEWER, f"/review/?status={status}") for status in statuses]
    rows += [
        ("queue, all statuses", REVIEWER, "/review/?status="),
        ("queue, country TH", REVIEWER, "/review/?country=TH"),
        ("queue, all in TH", REVIEWER, "/review/?status=&country=TH"),
        ("queue, search hotel", REVIEWER, "/review/?q=hotel"),
        ("queue, all, search hotel", REVIEWER, "/review/?status=&q=hotel"),
        ("queue, all, search rare word", REVIEWER, "/review/?status=&q=zzqq"),
        ("queue, newest first", REVIEWER, "/review/?sort=newest"),
        ("queue, page 1000", REVIEWER, "/review/?status=&page=1000"),
        ("queue, representative", REPRESENTATIVE, "/review/"),
        ("queue, representative, all", REPRESENTATIVE, "/review/?status="),
        ("review page", REVIEWER, f"/review/companies/{detail_id}"),
    ]
    return rows


def measure_singles(base: str, detail_id: int, runs: int) -> list[tuple[str, list[float]]]:
    clients = {email: signed_in(base, email) for email in (REVIEWER, REPRESENTATIVE)}
    results = []
    for name, who, path in views(detail_id):
        client = clients[who]
        for _ in range(3):  # warm both workers
            assert client.get(path).status_code == 200, path
        timings = []
        for run in range(runs):
            # Each URL once: the page cache would answer a repeated one without the queries.
            started = time.perf_counter()
            response = client.get(f"{path}{'&' if '?' in path else '?'}run={run}")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        results.append((name, timings))
    return results


def measure_throughput(base: str, seconds: int) -> dict[str, float]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing (apt-get install wrk)")
    client = signed_in(base, REVIEWER)
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    rates = {}
    for name, path, headers in (
        ("/healthz", "/healthz", []),
        ("/review/", "/review/", ["-H", f"Cookie: {cookie}"]),
    ):
        command = ["wrk", "-t2", "-c32", f"-d{seconds}s", *headers, base + path]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        rates[name] = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        if errors:
            raise SystemExit(f"{path}: {errors.group(1)} failed requests under load")
    return rates


def report_singles(results) -> bool:
    ok = True
    for name, timings in results:
        median = statistics.median(timings)
        verdict = "ok" if median < SINGLE_TARGET_MS else "TOO SLOW"
        ok &= verdict == "ok"
        print(f"{name:<32}{median:7.1f} ms median (max {max(timings):6.1f}): {verdict}")
    print(f"target: under {SINGLE_TARGET_MS:.0f} ms each")
    return ok


def report_throughput(rates: dict[str, float]) -> bool:
    ratio = rates["/review/"] / rates["/healthz"]
    ok = ratio >= THROUGHPUT_TARGET
    print(
        f"32 connections: /healthz {rates['/healthz']:,.0f} requests/s, "
        f"/review/ {rates['/review/']:,.0f} requests/s"
    )
    print(f"ratio {ratio:.2f}; target at least {THROUGHPUT_TARGET}: {'ok' if ok else 'TOO SLOW'}")
    return ok


if __name__ == "__main__":
    main()
