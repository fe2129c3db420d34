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
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from served import (  # noqa: E402
    REPRESENTATIVE,
    REVIEWER,
    bench_env,
    prepare,
    served,
    signed_in,
    sqlite_url,
)

SINGLE_TARGET_MS, THROUGHPUT_TARGET = 50.0, 0.25


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seconds", type=int, default=10, help="of each wrk run")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    url = args.database_url or sqlite_url(args.companies, args.fresh)
    detail_id = heaviest_company(prepare(url, args.companies))
    env = bench_env(url)
    with served(env, workers=2) as base:
        singles = measure_singles(base, detail_id, args.runs)
        throughput = measure_throughput(base, args.seconds)
    print(f"database {url.split('://')[0]}, {args.companies:,} companies, gunicorn 2 workers")
    ok = report_singles(singles) & report_throughput(throughput)
    sys.exit(0 if ok else 1)


def heaviest_company(app) -> int:
    """The company with the most operations: the heaviest review page."""
    from sqlalchemy import func, select

    from tracker.companies.operations import Operation
    from tracker.extensions import db

    with app.app_context():
        detail_id = db.session.scalar(
            select(Operation.company_id)
            .group_by(Operation.company_id)
            .order_by(func.count().desc(), Operation.company_id)
            .limit(1)
        )
        db.engine.dispose()
    return detail_id


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
