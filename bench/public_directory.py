"""Benchmark: the public directory at 100,000 companies under load, against /healthz.

Usage: .venv/bin/python bench/public_directory.py [--companies 100000] [--database-url URL]
       [--seconds 10] [--connections 32] [--fresh] [--strict]
The database is the queue benchmark's (bench/served.py `prepare`): without --database-url
instance/bench/queue-<companies>.sqlite3, kept between runs; --fresh loads it again. A
--database-url is emptied and loaded unless it already holds that many companies.

Serves the app with gunicorn (one worker per core, development config) and drives each URL with
wrk from a separate process (2 threads, 32 connections, a fixed time each) after a few warm-up
requests that fill the page cache: /healthz (the baseline), the country with the most members,
a name search for the commonest word in members' names, the profile and the verify page of the
member with the most operations, and the API's members of that country. The per-client limits
(API_RATE_LIMIT, PUBLIC_RENDER_RATE_LIMIT, VERIFY_RATE_LIMIT) are raised for the run: wrk asks
from one address.
Targets, in the same run: every public URL serves at least 0.5 of /healthz's requests per second,
with a 99th percentile under 100 ms. The table shows every URL; with --strict the script exits
with status 1 when a target is missed or a URL fails.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from served import bench_env, prepare, served, sqlite_url  # noqa: E402

RATIO_TARGET, P99_TARGET_MS = 0.5, 100.0
UNCACHED_TARGET_MS = 100.0  # a page rendered afresh after a change
CSV_MEMORY_SLACK_MIB = 16  # the whole directory's CSV may need this much more than a country's
LIMIT = "1000000 per minute"
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass
class Result:
    path: str
    rate: float = 0.0
    p50: float = 0.0
    p99: float = 0.0
    error: str | None = None  # a URL that failed: its status, or the failed requests under load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seconds", type=int, default=10, help="of each wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--runs", type=int, default=10, help="uncached requests per URL")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing (apt-get install wrk)")
    url = args.database_url or sqlite_url(args.companies, args.fresh)
    chosen = choose(prepare(url, args.companies))
    workers = os.cpu_count() or 1
    raised = ("API_RATE_LIMIT", "PUBLIC_RENDER_RATE_LIMIT", "VERIFY_RATE_LIMIT")
    env = {**bench_env(url), **dict.fromkeys(raised, LIMIT)}
    print(
        f"database {url.split('://')[0]}, {args.companies:,} companies ({chosen['members']:,} "
        f"members), gunicorn {workers} workers; wrk -t2 -c{args.connections} "
        f"-d{args.seconds}s per URL"
    )
    print(f"{', '.join(raised)} {LIMIT!r} (wrk asks from one address)")
    print(f"{'URL':<44}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>7}  ratio>=0.5  p99<100")
    ok = True
    server = served(env, workers=workers)
    with server as base:
        baseline = None  # /healthz's requests/s, measured first
        for path in paths(chosen):
            result = measure(base, path, args.seconds, args.connections, workers)
            if path == "/healthz":
                baseline = result.rate or None
            ok &= report(result, baseline, is_baseline=path == "/healthz")
        singles = measure_uncached(base, uncached_paths(chosen), args.runs)
        csv_ok = report_csv(base, server.process.pid, chosen["country"])
    print(
        f"targets: at least {RATIO_TARGET} of /healthz's requests/s, p99 under "
        f"{P99_TARGET_MS:.0f} ms at {args.connections} connections: "
        f"{'all met' if ok else 'MISSED'}"
    )
    ok &= report_uncached(singles) and csv_ok
    sys.exit(1 if args.strict and not ok else 0)


def choose(app) -> dict:
    """From the data: the country with the most members, the commonest word (4 letters or more)
    in members' display names, and the slug and membership number of the member with the most
    operations."""
    from sqlalchemy import func, select

    from tracker.companies import naming
    from tracker.companies.enums import Stage
    from tracker.companies.models import Company, Membership
    from tracker.companies.operations import Operation
    from tracker.extensions import db

    listed = Company.stored_stage == Stage.ACTIVE
    with app.app_context():
        members = db.session.scalar(select(func.count(Company.id)).where(listed))
        country = db.session.scalar(
            select(Operation.country_code)
            .join(Company, Company.id == Operation.company_id)
            .where(listed)
            .group_by(Operation.country_code)
            .order_by(func.count(func.distinct(Operation.company_id)).desc())
            .limit(1)
        )
        words = Counter(
            word
            for name in db.session.scalars(select(Company.display_name).where(listed))
            for word in set(naming.folded(name).split())
            if len(word) >= 4
        )
        busiest = (
            select(Operation.company_id, func.count().label("operations"))
            .group_by(Operation.company_id)
            .subquery()
        )
        slug, number = db.session.execute(
            select(Company.slug, Membership.number)
            .join(Membership, Membership.company_id == Company.id)
            .join(busiest, busiest.c.company_id == Company.id)
            .where(listed)
            .order_by(busiest.c.operations.desc(), Company.id)
            .limit(1)
        ).one()
        db.engine.dispose()
    word = words.most_common(1)[0][0] if words else "hotel"
    return {"members": members, "country": country, "q": word, "slug": slug, "number": number}


def paths(chosen: dict) -> list[str]:
    return [
        "/healthz",
        f"/countries/{chosen['country']}",
        f"/signatories?q={quote(chosen['q'])}",
        f"/signatories/{quote(chosen['slug'])}",
        f"/verify/{quote(chosen['number'])}",
        f"/api/v1/signatories?country={chosen['country']}",
    ]


def uncached_paths(chosen: dict) -> list[str]:
    """What a page costs when nobody asked for it since the data changed: every filter, a late
    page of the directory and of the country, and the open data."""
    country = chosen["country"]
    return [
        "/",
        "/countries",
        "/signatories",
        f"/signatories?page={chosen['members'] // 20}",
        f"/signatories?sort=newest&page={chosen['members'] // 20}",
        f"/signatories?q={quote(chosen['q'])}",
        "/signatories?q=zzzz",
        "/signatories?type=airline",
        "/signatories?standing=report_overdue",
        "/signatories?standing=top_member",
        f"/countries/{country}",
        f"/countries/{country}?page=200",
        f"/signatories/{quote(chosen['slug'])}",
        f"/verify/{quote(chosen['number'])}",
        "/signatories/changes.atom",
    ]


def measure_uncached(base: str, paths: list[str], runs: int) -> list[tuple[str, float]]:
    """Median of `runs` single requests that the page cache cannot answer: each URL carries a
    parameter of its own (public pages are kept per URL). Shared figures (counts per country)
    stay cached as they are in use: they are filled by a first request."""
    results = []
    with httpx.Client(base_url=base, timeout=120) as client:
        for path in paths:
            client.get(path)
            joiner = "&" if "?" in path else "?"
            times = []
            for run in range(runs):
                started = time.perf_counter()
                answer = client.get(f"{path}{joiner}uncached={run}-{time.time_ns()}")
                times.append((time.perf_counter() - started) * 1000)
                if answer.status_code not in (200, 404):
                    times = [float("inf")]
                    break
            results.append((path, statistics.median(times)))
    return results


def report_uncached(results: list[tuple[str, float]]) -> bool:
    print(f"uncached single requests (median), target under {UNCACHED_TARGET_MS:.0f} ms:")
    for path, ms in results:
        verdict = "PASS" if ms < UNCACHED_TARGET_MS else "FAIL"
        print(f"  {path[:60]:<62}{ms:8.1f} ms  {verdict}", flush=True)
    return all(ms < UNCACHED_TARGET_MS for _, ms in results)


def worker_peaks(master: int) -> dict[int, int]:
    """Each gunicorn worker's peak resident memory so far (VmHWM), in KiB."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    peaks = {}
    for pid in map(int, children):
        status = Path(f"/proc/{pid}/status").read_text()
        peaks[pid] = int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1))
    return peaks


def download(base: str, path: str) -> tuple[int, float]:
    """Lines of a streamed CSV and the seconds it took, read as it comes."""
    started, lines = time.perf_counter(), 0
    with httpx.stream("GET", base + path, timeout=600) as answer:
        for chunk in answer.iter_bytes():
            lines += chunk.count(b"\n")
    return lines, time.perf_counter() - started


def report_csv(base: str, master: int, country: str) -> bool:
    """The whole directory as CSV must not need more memory than a country's: it is streamed."""
    download(base, "/signatories.csv?q=zzzz")  # warm: the code the download runs is loaded
    growth = {}
    for label, path in (
        ("a country", f"/signatories.csv?country={country}"),
        ("every member", "/signatories.csv"),
    ):
        before = worker_peaks(master)
        lines, seconds = download(base, path)
        after = worker_peaks(master)
        growth[label] = max(after[pid] - before.get(pid, after[pid]) for pid in after) / 1024
        print(
            f"CSV of {label}: {lines - 1:,} rows in {seconds:.1f} s; "
            f"worker peak memory grew {growth[label]:.1f} MiB",
            flush=True,
        )
    flat = growth["every member"] <= growth["a country"] + CSV_MEMORY_SLACK_MIB
    verdict = "PASS" if flat else "FAIL"
    print(f"  memory flat (within {CSV_MEMORY_SLACK_MIB} MiB of a country's): {verdict}")
    return flat


def measure(base: str, path: str, seconds: int, connections: int, workers: int) -> Result:
    # Warm-up: each worker renders the page once and keeps it (the page cache is per worker).
    try:
        for _ in range(4 * workers):
            answer = httpx.get(base + path, timeout=60)
            if answer.status_code != 200:
                return Result(path, error=f"HTTP {answer.status_code} before the run")
    except httpx.HTTPError as error:
        return Result(path, error=f"{type(error).__name__} before the run")
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", base + path]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    result = Result(path, rate, percentile(output, 50), percentile(output, 99))
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    problems = []
    if failed:
        problems.append(f"{int(failed.group(1)):,} non-2xx/3xx responses")
    if sockets and any(int(count) for count in sockets.groups()):
        problems.append(sockets.group(0).lower())
    if problems:
        result.error = "; ".join(problems)
    return result


def percentile(output: str, which: int) -> float:
    """wrk's `--latency` line for `which`% (e.g. "    99%    1.23ms"), in milliseconds."""
    found = re.search(rf"^\s*{which}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.M)
    return float(found.group(1)) * UNITS_MS[found.group(2)]


def report(result: Result, baseline: float | None, is_baseline: bool) -> bool:
    name = result.path if len(result.path) <= 43 else result.path[:40] + "..."
    if result.rate == 0.0:
        print(f"{name:<44}FAIL: {result.error}", flush=True)
        return False
    ratio = result.rate / baseline if baseline else 0.0
    fast = result.p99 < P99_TARGET_MS
    enough = ratio >= RATIO_TARGET
    if is_baseline:
        verdicts = f"{'baseline':>10}  {'-':>7}"
    else:
        verdicts = f"{'PASS' if enough else 'FAIL':>10}  {'PASS' if fast else 'FAIL':>7}"
    print(
        f"{name:<44}{result.rate:9,.0f}{result.p50:9.2f}{result.p99:9.2f}{ratio:7.2f}  {verdicts}"
        + (f"  FAIL: {result.error}" if result.error else ""),
        flush=True,
    )
    return result.error is None and (is_baseline or (enough and fast))


if __name__ == "__main__":
    main()
