"""Benchmark: what the derived-column registry (tracker/derived.py) adds to a flush.

Usage: .venv/bin/python bench/derived.py [--rows 2000] [--runs 5] [--database-url URL]
Without --database-url it uses a fresh SQLite file in a temporary folder.

Every flush runs the registry: for each keeper it looks through the flushed rows for one that
concerns it, then calls the keepers concerned. The looking is the registry's own cost, paid by
every write; the keepers' work is the derived values' (it would be paid without the registry).
Flushes measured, each `--runs` times (median):
- one company renamed (watched: every keeper looks, two run);
- `--rows` companies' phone numbers changed in one flush (dirty rows: each keeper reads each
  row's history);
- `--rows` properties added to one company in one flush (new rows);
- `--rows` audit entries added in one flush (a model no keeper watches).
Target: the registry's looking is at most 10% of each flush, and at most 20 ms. Exits 1 when a
target is missed.
"""

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from served import empty_app  # noqa: E402
from sqlalchemy import select  # noqa: E402

from tracker import derived  # noqa: E402
from tracker.audit import AuditEntry  # noqa: E402
from tracker.companies.enums import ApplicationStatus, CompanyType, RevenueBand  # noqa: E402
from tracker.companies.models import Company  # noqa: E402
from tracker.companies.operations import Operation  # noqa: E402
from tracker.extensions import db  # noqa: E402

SHARE_TARGET, SECONDS_TARGET = 0.10, 0.020


class Clock:
    """Seconds spent in the registry (`run`) and in the keepers it called, since `reset`."""

    def __init__(self):
        self.registry = self.keepers = 0.0

    def reset(self) -> None:
        self.registry = self.keepers = 0.0

    def timed_keep(self, keep):
        def timed(session):
            started = time.perf_counter()
            keep(session)
            self.keepers += time.perf_counter() - started

        return timed

    def timed_run(self, run):
        def timed(session, when):
            started = time.perf_counter()
            run(session, when)
            self.registry += time.perf_counter() - started

        return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        results = measure(url, args.rows, args.runs)
    print(f"database  {url.split('://')[0]}, {args.rows} rows a flush, median of {args.runs}")
    print(f"{'flush':<34}{'flush ms':>10}{'looking ms':>12}{'share':>8}{'keepers ms':>12}")
    missed = [name for name, *figures in results if not report(name, *figures)]
    sys.exit(1 if missed else 0)


def report(name: str, flush: float, looking: float, keepers: float) -> bool:
    share = looking / flush if flush else 0.0
    kept = share <= SHARE_TARGET and looking <= SECONDS_TARGET
    verdict = "ok" if kept else "TOO SLOW"
    print(
        f"{name:<34}{flush * 1000:>10.1f}{looking * 1000:>12.2f}{share:>8.1%}"
        f"{keepers * 1000:>12.1f}  {verdict}"
    )
    return kept


def company(number: int) -> Company:
    return Company(
        legal_name=f"Bench Company {number} Ltd",
        display_name=f"Bench Company {number}",
        type=CompanyType.TOUR_OPERATOR,
        hq_country="TH",
        revenue_band=RevenueBand.UP_TO_500K,
        contact_name="Bench Contact",
        contact_email=f"contact{number}@bench.example",
        status=ApplicationStatus.SUBMITTED,
        operations=[Operation(country_code="TH")],
    )


def measure(url: str, rows: int, runs: int) -> list[tuple[str, float, float, float]]:
    app = empty_app(url)
    clock = Clock()
    with app.app_context():
        derived.init_app(
            app,
            [dataclasses.replace(k, keep=clock.timed_keep(k.keep)) for k in derived.keepers()],
        )
        derived.run = clock.timed_run(derived.run)  # the listeners look it up at each flush
        db.session.add_all(company(number) for number in range(rows))
        db.session.commit()
        first = db.session.get(Company, 1)
        flushes = {
            "one company renamed": lambda run: setattr(first, "display_name", f"Renamed {run}"),
            f"{rows:,} phone numbers changed": lambda run: [
                setattr(each, "contact_phone", f"+66 2 {run:03d} {n:04d}")
                for n, each in enumerate(loaded())
            ],
            f"{rows:,} properties added": lambda run: first.operations.extend(
                Operation(country_code="FR", property_name=f"Hotel {run}-{n}", city="Nice")
                for n in range(rows)
            ),
            f"{rows:,} audit entries added": lambda run: db.session.add_all(
                AuditEntry(action="bench", details={"n": n}) for n in range(rows)
            ),
        }
        return [(name, *timed(change, clock, runs)) for name, change in flushes.items()]


def loaded() -> list[Company]:
    """Every company, loaded as a request loads what it changes (a commit expired them)."""
    return db.session.scalars(select(Company).order_by(Company.id)).all()


def timed(change, clock: Clock, runs: int) -> tuple[float, float, float]:
    """Median seconds of the flush, of the registry's looking, and of the keepers' work."""
    measured = []
    for run in range(runs):
        change(run)
        clock.reset()
        started = time.perf_counter()
        db.session.flush()
        flush = time.perf_counter() - started
        measured.append((flush, clock.registry - clock.keepers, clock.keepers))
        db.session.commit()
    return tuple(statistics.median(figures) for figures in zip(*measured, strict=True))


if __name__ == "__main__":
    main()
