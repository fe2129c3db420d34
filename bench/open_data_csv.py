"""Benchmark: /signatories.csv at 100,000 companies, written once per public data version.

Usage: .venv/bin/python bench/open_data_csv.py [--companies 100000] [--database-url URL]
       [--runs 10] [--fresh] [--strict]
The database is the queue benchmark's (bench/served.py `prepare`). Serves the app with gunicorn
(one worker per core, CSV_RATE_LIMIT lifted, EXPORT_FOLDER a temporary folder) and measures:
the first download, which writes the file; the median of `runs` downloads of the kept file; two
downloads at once; a conditional request (304) and a range (206); then, after one public change
(the public data version moves, as a member joining would), the download that writes the new file,
and that the old version's folder is gone. Targets: a download of the kept file under 1 s, two
at once under 2 s, the first write under 60 s. With --strict the script exits 1 on a miss.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from served import bench_env, prepare, served, sqlite_url  # noqa: E402

DOWNLOAD_TARGET_S, TWO_AT_ONCE_TARGET_S, WRITE_TARGET_S = 1.0, 2.0, 60.0
PUBLIC_CHANGE = "UPDATE data_versions SET value = value + 1 WHERE name IN ('companies', 'public')"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    url = args.database_url or sqlite_url(args.companies, args.fresh)
    prepare(url, args.companies)
    exports = Path(tempfile.mkdtemp(prefix="bench-exports-"))
    env = {
        **bench_env(url),
        "CSV_RATE_LIMIT": "1000000 per minute",
        "EXPORT_FOLDER": str(exports),
        # gunicorn's sync workers are killed after 30 s by default: the first write may be longer
        "GUNICORN_CMD_ARGS": "--timeout 600",
    }
    workers = os.cpu_count() or 1
    print(
        f"database {url.split('://')[0]}, {args.companies:,} companies, gunicorn {workers} workers"
    )
    with served(env, workers=workers) as base, httpx.Client(base_url=base, timeout=600) as client:
        ok = run(client, base, exports, url, args.runs)
    sys.exit(1 if args.strict and not ok else 0)


def run(client: httpx.Client, base: str, exports: Path, url: str, runs: int) -> bool:
    first, seconds = timed(client, "/signatories.csv")
    rows = first.content.count(b"\n") - 1
    size = len(first.content) / 1024 / 1024
    label = f"first download, writes the file ({rows:,} rows, {size:.1f} MiB)"
    ok = check(label, seconds, WRITE_TARGET_S, first)

    kept = statistics.median(timed(client, "/signatories.csv")[1] for _ in range(runs))
    ok &= check(f"download of the kept file (median of {runs})", kept, DOWNLOAD_TARGET_S)
    ok &= check("two downloads at once (both done)", two_at_once(base), TWO_AT_ONCE_TARGET_S)
    etag = first.headers["ETag"]
    answer, seconds = timed(client, "/signatories.csv", {"If-None-Match": etag})
    ok &= check(f"conditional request ({answer.status_code})", seconds, 0.1, answer, 304)
    answer, seconds = timed(client, "/signatories.csv", {"Range": "bytes=1000-1999"})
    ok &= check(f"range of 1,000 bytes ({answer.status_code})", seconds, 0.1, answer, 206)
    before = sorted(path.name for path in exports.iterdir())
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(PUBLIC_CHANGE))
    engine.dispose()
    time.sleep(1.1)  # PUBLIC_VERSION_TTL: workers read the version at most once a second
    answer, seconds = timed(client, "/signatories.csv")
    ok &= check("first download after a public change (writes anew)", seconds, WRITE_TARGET_S)
    after = sorted(path.name for path in exports.iterdir())
    replaced = len(after) == 1 and after != before and answer.headers["ETag"] != etag
    print(f"  version folders {before} -> {after}: {'PASS' if replaced else 'FAIL'}")
    return ok and replaced


def timed(client: httpx.Client, path: str, headers: dict | None = None):
    started = time.perf_counter()
    answer = client.get(path, headers=headers)
    return answer, time.perf_counter() - started


def two_at_once(base: str) -> float:
    def one(_):
        with httpx.Client(base_url=base, timeout=600) as client:
            return client.get("/signatories.csv").status_code

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        codes = list(pool.map(one, range(2)))
    return time.perf_counter() - started if codes == [200, 200] else float("inf")


def check(label: str, seconds: float, target: float, answer=None, status: int = 200) -> bool:
    met = seconds < target and (answer is None or answer.status_code == status)
    print(f"  {label:<58}{seconds:8.3f} s  {'PASS' if met else 'FAIL'} (target {target} s)")
    return met


if __name__ == "__main__":
    main()
