"""Benchmark: the CPU one supplier check of 1,000 lines costs at 100,000 companies.

Usage: .venv/bin/python bench/supplier_check.py [--companies 100000] [--database-url URL]
       [--fresh] [--runs 3]
The database is the queue benchmark's (bench/served.py `prepare`): without --database-url
instance/bench/queue-<companies>.sqlite3, kept between runs; --fresh loads it again.

Builds the name index once (and times loading it back from its file, as every other worker
does), then checks lists made to be slow: 1,000 copies of the commonest surname, the 1,000
commonest surnames, each with "Hotel", near-duplicates ("Hotel Garcia 17"), typos of members'
names, members' names as they are, lines of 12 common surnames, lines of unknown words, and
300-character lines. Each list is checked `--runs` times with SUPPLIER_CHECK_TIME_BUDGET as
configured; the figure is the median CPU seconds (time.process_time) of the whole check,
queries included. Target: under 1 s for every list, with every line checked (none left out by
the time budget). Exits 1 when a target is missed.
"""

import argparse
import random
import statistics
import string
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from served import prepare, sqlite_url  # noqa: E402

TARGET_SECONDS = 1.0
LINES = 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url = args.database_url or sqlite_url(args.companies, args.fresh)
    app = prepare(url, args.companies)
    with app.test_request_context():
        index = index_figures(app)
        print(
            f"database {url.split('://')[0]}, {args.companies:,} companies, {index.size:,} signed"
        )
        print(f"SUPPLIER_CHECK_TIME_BUDGET {app.config['SUPPLIER_CHECK_TIME_BUDGET']} s")
        print(f"{'list of 1,000 lines':<36}{'CPU s':>8}{'matched':>9}{'right':>7}{'left out':>10}")
        ok = True
        for label, (lines, expected) in lists().items():
            ok &= measure(label, lines, expected, args.runs)
    print(
        f"target: every list under {TARGET_SECONDS} s of CPU, every line checked: "
        f"{'met' if ok else 'MISSED'}"
    )
    sys.exit(0 if ok else 1)


def index_figures(app):
    """Build the index (as the first worker after a change does), then load it from its file
    (as every other worker does)."""
    from tracker.directory.supplier_check import index_store, matching

    version = index_store.index_version()
    started = time.process_time()
    index = matching.build_index(version)
    built = time.process_time() - started
    app.extensions.pop("supplier_check", None)
    index_store.index_path(version).unlink(missing_ok=True)
    index_store.current_index()  # builds and writes the file
    app.extensions.pop("supplier_check", None)
    started = time.process_time()
    index_store.current_index()
    loaded = time.process_time() - started
    size = index_store.index_path(version).stat().st_size / 2**20
    print(
        f"index: built in {built:.2f} s of CPU, loaded from its file ({size:.0f} MiB) in "
        f"{loaded:.2f} s"
    )
    return index


def lists() -> dict[str, tuple[list[str], list[str] | None]]:
    """Each list, with the display names its lines should find (None: not measured)."""
    from sqlalchemy import select

    from tracker.companies.models import Company, Membership
    from tracker.extensions import db

    names = db.session.scalars(select(Company.display_name).join(Membership)).all()
    surnames = [word for word, _ in Counter(name.split()[0] for name in names).most_common(LINES)]
    rnd = random.Random(1)
    sample = rnd.sample(names, LINES)

    def typo(name: str) -> str:
        at = rnd.randrange(1, len(name) - 2)
        return name[:at] + name[at + 1] + name[at] + name[at + 2 :]

    def unknown() -> str:
        return " ".join(
            "".join(rnd.choices(string.ascii_lowercase, k=rnd.randint(5, 9))) for _ in range(6)
        )

    def long_line() -> str:
        words = rnd.sample(surnames, 60)
        return " ".join(words)[:299]

    return {
        f"1,000 x {surnames[0]}": ([surnames[0]] * LINES, None),
        "the 1,000 commonest surnames": (surnames, None),
        "surname Hotel": ([f"{word} Hotel" for word in surnames], None),
        "near-duplicates (Hotel Garcia 17)": (
            [f"Hotel {word} {n}" for n, word in enumerate(surnames)],
            None,
        ),
        "members' names with a typo": ([typo(name) for name in sample], sample),
        "members' names": (sample, sample),
        "12 common surnames a line": (
            [" ".join(rnd.sample(surnames[:100], 12)) for _ in range(LINES)],
            None,
        ),
        "6 unknown words a line": ([unknown() for _ in range(LINES)], None),
        "300-character lines": ([long_line() for _ in range(LINES)], None),
    }


def measure(label: str, lines: list[str], expected: list[str] | None, runs: int) -> bool:
    from tracker.directory.supplier_check.checking import check_suppliers
    from tracker.directory.supplier_check.supplier_list import Supplier
    from tracker.extensions import db
    from tracker.reports.services import today

    suppliers = [Supplier(n, line) for n, line in enumerate(lines, start=1)]
    seconds = []
    for _ in range(runs):
        db.session.expire_all()  # each check loads its companies, as a request does
        started = time.process_time()
        checked = check_suppliers(suppliers, today())
        seconds.append(time.process_time() - started)
    median = statistics.median(seconds)
    matched = sum(result.company is not None for result in checked.results)
    right = f"{found_right(checked.results, expected):,}" if expected else "-"
    left_out = checked.summary.not_checked
    ok = median < TARGET_SECONDS and left_out == 0
    print(
        f"{label:<36}{median:>8.2f}{matched:>9,}{right:>7}{left_out:>10,}"
        f"{'' if ok else '  MISSED'}",
        flush=True,
    )
    return ok


def found_right(results, expected: list[str]) -> int:
    """Lines whose match has the display name the line was made from."""
    pairs = zip(results, expected, strict=True)
    return sum(
        result.company is not None and result.company.display_name == name for result, name in pairs
    )


if __name__ == "__main__":
    main()
