"""Benchmark: how fast `demo-data` loads companies, and its peak memory.

Usage: .venv/bin/python bench/demo_data.py [--companies 100000] [--database-url URL]
Without --database-url it uses a fresh SQLite file in a temporary folder. Target: 100,000
companies (about 300,000 operations) in a few minutes on a 2-core machine.
"""

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from served import empty_app  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from tracker import demo  # noqa: E402
from tracker.companies.operations import Operation  # noqa: E402
from tracker.extensions import db  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        report(run(url, args.companies), url)


def run(url: str, count: int) -> dict:
    app = empty_app(url)
    with app.app_context():
        started = time.perf_counter()
        demo.load_companies(count, seed=1)
        seconds = time.perf_counter() - started
        operations = db.session.scalar(select(func.count(Operation.id)))
        countries = db.session.scalar(select(func.count(func.distinct(Operation.country_code))))
        db.engine.dispose()
    return {
        "companies": count,
        "operations": operations,
        "countries": countries,
        "seconds": seconds,
    }


def report(result: dict, url: str) -> None:
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database      {url.split('://')[0]}")
    print(f"companies     {result['companies']:,}")
    print(f"operations    {result['operations']:,} in {result['countries']} countries")
    print(
        f"time          {result['seconds']:.1f} s "
        f"({result['companies'] / result['seconds']:,.0f} companies/s)"
    )
    print(f"peak memory   {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
