"""Benchmark: how fast the company edit page renders and saves for a chain with 300 properties.

Usage: .venv/bin/python bench/edit_page.py [--rows 300] [--runs 7] [--database-url URL]
Without --database-url it uses a fresh SQLite file in a temporary folder. Target: GET
/company/edit under 0.5 s (median); the script exits with status 1 when it is slower.
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from config import DevelopmentConfig  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.auth.models import Role, User  # noqa: E402
from tracker.companies.models import (  # noqa: E402
    Company,
    CompanyStatus,
    CompanyType,
    Operation,
    RevenueBand,
)
from tracker.countries import country_choices  # noqa: E402
from tracker.extensions import db  # noqa: E402

TARGET_SECONDS = 0.5
EMAIL, PASSWORD = "owner@chain.example", "bench password 1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        result = run(url, args.rows, args.runs)
    report(result, url)
    sys.exit(0 if result["get_median"] <= TARGET_SECONDS else 1)


def make_chain(rows: int) -> None:
    """A hotel chain with `rows` properties spread over the country list, and its owner."""
    codes = [code for code, _ in country_choices()]
    company = Company(
        legal_name="Bench Hotels Group Ltd",
        display_name="Bench Hotels",
        type=CompanyType.HOTEL_CHAIN,
        hq_country="TH",
        revenue_band=RevenueBand.ABOVE_50M,
        contact_name="Bench Owner",
        contact_email=EMAIL,
        status=CompanyStatus.APPROVED,
        operations=[
            Operation(country_code=codes[n % len(codes)], property_name=f"Hotel {n}", city="City")
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


def edit_form(page: str, rows: int) -> dict:
    """The edit form as the browser would post it, every row renamed so that all are saved."""
    data = {
        "csrf_token": csrf_token(page),
        "legal_name": "Bench Hotels Group Ltd",
        "display_name": "Bench Hotels",
        "type": "hotel_chain",
        "hq_country": "TH",
        "revenue_band": "above_50m",
        "contact_name": "Bench Owner",
        "contact_email": EMAIL,
        "save": "1",
    }
    codes = [code for code, _ in country_choices()]
    for n in range(rows):
        data[f"operations-{n}-country_code"] = codes[n % len(codes)]
        data[f"operations-{n}-property_name"] = f"Renamed hotel {n}"
        data[f"operations-{n}-city"] = "Town"
    return data


def check(condition: bool, problem: str) -> None:
    if not condition:
        sys.exit(f"bench/edit_page.py: {problem}")


def timed(call):
    started = time.perf_counter()
    response = call()
    return time.perf_counter() - started, response


def run(url: str, rows: int, runs: int) -> dict:
    class BenchConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url
        MAIL_BACKEND = "console"

    app = create_app(BenchConfig)
    with app.app_context():
        if url.startswith("postgresql"):
            db.drop_all()
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        upgrade()
        make_chain(rows)
    client = app.test_client()
    login = client.get("/account/login").get_data(as_text=True)
    form = {"csrf_token": csrf_token(login), "email": EMAIL, "password": PASSWORD}
    check(client.post("/account/login", data=form).status_code == 302, "could not sign in")
    client.get("/company/edit")  # warm up: template compilation and caches
    gets = [timed(lambda: client.get("/company/edit")) for _ in range(runs)]
    check(gets[-1][1].status_code == 200, f"GET /company/edit gave {gets[-1][1].status_code}")
    page = gets[-1][1].get_data(as_text=True)
    post_seconds, saved = timed(lambda: client.post("/company/edit", data=edit_form(page, rows)))
    check(saved.status_code == 302, f"POST /company/edit gave {saved.status_code}, not a redirect")
    with app.app_context():
        renamed = db.session.scalar(
            select(func.count(Operation.id)).where(Operation.property_name.like("Renamed%"))
        )
        db.engine.dispose()
    check(renamed == rows, f"{renamed} of {rows} rows saved")
    return {
        "rows": rows,
        "get_median": statistics.median(seconds for seconds, _ in gets),
        "get_all": [seconds for seconds, _ in gets],
        "page_bytes": len(page.encode()),
        "post_seconds": post_seconds,
    }


def report(result: dict, url: str) -> None:
    verdict = "ok" if result["get_median"] <= TARGET_SECONDS else "TOO SLOW"
    print(f"database      {url.split('://')[0]}")
    print(f"rows          {result['rows']}")
    print(
        f"GET  edit     {result['get_median']:.3f} s median of {len(result['get_all'])} "
        f"(min {min(result['get_all']):.3f}, max {max(result['get_all']):.3f}); "
        f"target {TARGET_SECONDS} s: {verdict}"
    )
    print(f"page size     {result['page_bytes'] / 1024 / 1024:.2f} MiB")
    print(f"POST save     {result['post_seconds']:.3f} s ({result['rows']} rows saved)")


if __name__ == "__main__":
    main()
