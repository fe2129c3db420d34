"""Benchmark: a hotel chain with 2,000 properties (the most a company lists): its pages, one
property added, a 2,000-row CSV previewed and imported, and the annual report's training file
(a line per property and staff group: 6,000 lines, about 500 KB) previewed and imported.

Usage: .venv/bin/python bench/properties.py [--rows 2000] [--runs 7] [--database-url URL]
Without --database-url it uses a fresh SQLite file in a temporary folder. Targets: every page
under 0.5 s (median of warm requests); adding a property and previewing the CSV under 1 s; the
import under 5 s. The script exits with status 1 when one is missed.
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from served import empty_app  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from tracker.auth.models import Role, User  # noqa: E402
from tracker.companies.enums import ApplicationStatus, CompanyType, RevenueBand, Standing  # noqa: E402
from tracker.companies.models import Company, Membership  # noqa: E402
from tracker.companies.operations import Operation  # noqa: E402
from tracker.countries import country_choices  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.reports import (
    drafting,  # noqa: E402
)
from tracker.reports.models import Report, ReportState  # noqa: E402

PAGE_TARGET, ACTION_TARGET, IMPORT_TARGET = 0.5, 1.0, 5.0
EMAIL, PASSWORD = "owner@chain.example", "bench password 1"
PAGES = {
    "edit form": "/company/edit",
    "dashboard": "/company/",
    "properties": "/company/properties",
    "properties p.40": "/company/properties?page=40",
    "one country": "/company/properties?country=TH",
    "CSV export": "/company/properties.csv",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        results = run(url, args.rows, args.runs)
    print(f"database      {url.split('://')[0]}, {args.rows} properties")
    missed = [line for line in map(report, results) if line.endswith("TOO SLOW")]
    sys.exit(1 if missed else 0)


def codes() -> list[str]:
    return [code for code, _ in country_choices()]


def make_chain(rows: int) -> None:
    """A hotel chain with `rows` properties spread over many countries, and its owner."""
    company = Company(
        legal_name="Bench Hotels Group Ltd",
        display_name="Bench Hotels",
        type=CompanyType.HOTEL_CHAIN,
        hq_country="TH",
        revenue_band=RevenueBand.ABOVE_50M,
        contact_name="Bench Owner",
        contact_email=EMAIL,
        status=ApplicationStatus.SUBMITTED,
        operations=[
            Operation(country_code=codes()[n % 40], property_name=f"Hotel {n}", city="City")
            for n in range(rows)
        ],
    )
    owner = User(
        email=EMAIL,
        name="Bench Owner",
        role=Role.COMPANY,
        company=company,
        is_owner=True,
        email_confirmed_at=datetime.now(UTC),
        password_hash=generate_password_hash(PASSWORD),
    )
    db.session.add_all([company, owner])
    db.session.commit()


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def errors(response) -> list[str]:
    return re.findall(r'class="error"[^>]*>([^<]+)<', response.get_data(as_text=True))


def check(condition: bool, problem: str) -> None:
    if not condition:
        sys.exit(f"bench/properties.py: {problem}")


def timed(call):
    started = time.perf_counter()
    response = call()
    return time.perf_counter() - started, response


def run(url: str, rows: int, runs: int) -> list[tuple[str, list[float], float]]:
    """(what, seconds of each run, target) for each measure."""

    app = empty_app(url)
    with app.app_context():
        make_chain(rows - 1)  # the property added below makes `rows`
    client = app.test_client()
    login = client.get("/account/login").get_data(as_text=True)
    form = {"csrf_token": csrf_token(login), "email": EMAIL, "password": PASSWORD}
    check(client.post("/account/login", data=form).status_code == 302, "could not sign in")
    results = [measure_page(client, name, path, runs) for name, path in PAGES.items()]
    token = csrf_token(client.get("/company/properties").get_data(as_text=True))
    results += measure_changes(app, client, token, rows)
    results += measure_training(app, client, token, rows)
    return results


def measure_page(client, name: str, path: str, runs: int):
    client.get(path)  # warm up: template compilation and caches
    measured = [timed(lambda: client.get(path)) for _ in range(runs)]
    check(measured[-1][1].status_code == 200, f"GET {path} gave {measured[-1][1].status_code}")
    return (f"GET {name}", [seconds for seconds, _ in measured], PAGE_TARGET)


def measure_changes(app, client, token: str, rows: int):
    new = {"csrf_token": token, "country_code": "TH", "property_name": "New", "city": "Krabi"}
    add_seconds, added = timed(lambda: client.post("/company/properties", data=new))
    check(added.status_code == 302, f"adding a property gave {added.status_code}: {errors(added)}")

    every = codes()
    csv = "\n".join(f"{every[n % len(every)]},Renamed hotel {n},Town" for n in range(rows))
    form = {"csrf_token": token, "rows": csv, "mode": "replace"}
    preview_seconds, preview = timed(lambda: client.post("/company/properties/import", data=form))
    check(f"Import {rows} rows" in preview.get_data(as_text=True), "the preview found problems")
    form["confirm"] = "1"
    import_seconds, saved = timed(lambda: client.post("/company/properties/import", data=form))
    check(saved.status_code == 302, f"the import gave {saved.status_code}, not a redirect")
    with app.app_context():
        renamed = db.session.scalar(
            select(func.count(Operation.id)).where(Operation.property_name.like("Renamed%"))
        )
        db.engine.dispose()
    check(renamed == rows, f"{renamed} of {rows} rows imported")
    return [
        ("POST add one property", [add_seconds], ACTION_TARGET),
        (f"POST preview {rows} rows", [preview_seconds], ACTION_TARGET),
        (f"POST import {rows} rows", [import_seconds], IMPORT_TARGET),
    ]


def start_report(app) -> int:
    """The chain made a member last year, with this year's report started: its year."""
    year = datetime.now(UTC).year - 1
    with app.app_context():
        company = db.session.scalar(select(Company))
        company.status = ApplicationStatus.APPROVED
        joined = datetime(year - 1, 5, 1, tzinfo=UTC)
        company.membership = Membership(
            number="TC-BENCH",
            joined_at=joined,
            standing=Standing.ACTIVE,
            standing_since=joined,
            first_unreported_year=year,
        )
        report = Report(company=company, year=year, state=ReportState.DRAFT)
        report.training = drafting.training_rows(company)
        db.session.add(report)
        db.session.commit()
        db.engine.dispose()
    return year


def measure_training(app, client, token: str, rows: int):
    year = start_report(app)
    url = f"/company/reports/{year}/training/import"
    template = client.get(f"/company/reports/{year}/training.csv").get_data(as_text=True)
    lines = template.lstrip("\ufeff").splitlines()[1:]
    check(len(lines) == 3 * rows, f"the template has {len(lines)} lines")
    # Every group: 40 employees, 10 trained in person, 30 currently trained, 2.5 hours.
    figures = ["40", "10", "0", "0", "0", "30", "2.5"]
    text = "\n".join(",".join(line.split(",")[:4] + figures) for line in lines)
    page = client.get(url).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    form = {"csrf_token": token, "rows": text, "version": version}
    preview_seconds, preview = timed(lambda: client.post(url, data=form))
    check(preview.status_code == 200, f"the training preview gave {preview.status_code}")
    form["version"] = re.search(
        r'name="version" type="hidden" value="(\d+)"', preview.get_data(as_text=True)
    ).group(1)
    form["confirm"] = "1"
    import_seconds, saved = timed(lambda: client.post(url, data=form))
    check(saved.status_code == 302, f"the training import gave {saved.status_code}")
    size = len(text.encode()) // 1000
    return [
        (f"POST preview training {size} KB", [preview_seconds], ACTION_TARGET * 3),
        (f"POST import training {size} KB", [import_seconds], IMPORT_TARGET),
    ]


def report(result) -> str:
    name, seconds, target = result
    verdict = "ok" if statistics.median(seconds) <= target else "TOO SLOW"
    spread = f" median of {len(seconds)}, max {max(seconds):.3f}" if len(seconds) > 1 else ""
    line = f"{name:<26}{statistics.median(seconds):7.3f} s{spread}; target {target} s: {verdict}"
    print(line)
    return line


if __name__ == "__main__":
    main()
