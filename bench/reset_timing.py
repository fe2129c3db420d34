"""Benchmark: does a password-reset request take as long for an unknown address as a known one?

Usage: .venv/bin/python bench/reset_timing.py [--requests 200]
Serves the app with gunicorn (one worker, development config, a fresh SQLite file, mail written
to files) and times POST /account/reset for an address with an account and one without,
alternating, as a client sees it. Target: the medians differ by less than 1 ms, and by less
than their own spread; the script exits with status 1 otherwise.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from served import flask, served  # noqa: E402

KNOWN, UNKNOWN = "known@bench.example", "unknown@bench.example"
TARGET_MS = 1.0
PAUSE = 0.05


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="per address")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = bench_env(Path(folder))
        prepare(env)
        with served(env) as url:
            known, unknown = measure(url, args.requests)
    ok = report(known, unknown)
    sys.exit(0 if ok else 1)


def bench_env(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TRACKER_CONFIG": "development",
        "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
        "MAIL_BACKEND": "file",
        "MAIL_FILE_PATH": str(folder / "mail"),
        # Limits would stop a benchmark long before it has enough samples.
        "MAIL_LIMIT_PER_ADDRESS": "100000 per hour",
        "MAIL_LIMIT_PER_RECIPIENT": "100000 per hour",
    }


def prepare(env: dict[str, str]) -> None:
    flask(env, "db", "upgrade")
    # Any account will do; a staff account needs no company.
    flask(env, "create-staff", KNOWN, "--role", "reviewer", stdin="bench password 1\n" * 2)


def measure(url: str, count: int) -> tuple[list[float], list[float]]:
    """Milliseconds per request for each address, alternating so drift affects both alike."""
    timings: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
    with httpx.Client(base_url=url) as client:
        page = client.get("/account/reset").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        for i in range(count * 2 + 20):
            email = (KNOWN, UNKNOWN)[i % 2]
            started = time.perf_counter()
            response = client.post("/account/reset", data={"email": email, "csrf_token": token})
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 302, response.status_code
            if i >= 20:  # the first requests warm up the worker
                timings[email].append(elapsed)
            # Let the worker finish its after-response delivery: what is measured here is the
            # answer itself, not the queue behind the previous request.
            time.sleep(PAUSE)
    return timings[KNOWN], timings[UNKNOWN]


def report(known: list[float], unknown: list[float]) -> bool:
    medians = statistics.median(known), statistics.median(unknown)
    spread = statistics.quantiles(known + unknown, n=4)
    iqr = spread[2] - spread[0]
    difference = abs(medians[0] - medians[1])
    print(f"requests per address:     {len(known)}")
    print(f"median, known address:    {medians[0]:.2f} ms")
    print(f"median, unknown address:  {medians[1]:.2f} ms")
    print(f"difference:               {difference:.2f} ms (spread, IQR: {iqr:.2f} ms)")
    ok = difference < TARGET_MS and difference < iqr
    print("within target" if ok else f"OVER TARGET: {TARGET_MS} ms and the spread")
    return ok


if __name__ == "__main__":
    main()
