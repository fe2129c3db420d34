"""Realistic fake companies for demos and benchmarks, inserted in bulk (one executemany a batch);
the members among them get their annual reports (`demo.reports`)."""

import random
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

from faker import Faker
from flask import current_app
from sqlalchemy import func, insert, select, text
from werkzeug.security import generate_password_hash

from tracker.auth.models import Role, User
from tracker.companies import naming
from tracker.companies.criteria import FIRST_VERSION, criteria
from tracker.companies.enums import ApplicationStatus, CompanyType, RevenueBand, Stage, Standing
from tracker.companies.lifecycle import membership_number
from tracker.companies.models import Company, CompanySlug, Membership, bump_version
from tracker.companies.operations import Operation
from tracker.companies.signatures import Signature
from tracker.demo import plans as demo_plans
from tracker.demo import publication, recognition
from tracker.demo.accounts import DEMO_PASSWORD, demo_reviewer
from tracker.demo.reports import Member, ReportMaker
from tracker.extensions import db
from tracker.reports import position
from tracker.reports.periods import ReportingCalendar

# Where demo businesses are based and operate: 60 countries, so every listing has members.
# fmt: off
DEMO_COUNTRIES = [
    "TH", "KH", "VN", "LA", "MM", "ID", "PH", "MY", "IN", "LK", "NP", "BD", "CN", "JP", "KR",
    "AU", "NZ", "FJ", "US", "CA", "MX", "GT", "CR", "CO", "PE", "BR", "AR", "CL", "DO", "CU",
    "GB", "IE", "FR", "ES", "PT", "IT", "DE", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "FI",
    "PL", "CZ", "GR", "TR", "HR", "MA", "EG", "KE", "TZ", "ZA", "GH", "SN", "NG", "AE", "JO",
]
# fmt: on
TYPE_WEIGHTS = {
    CompanyType.HOTEL: 30,
    CompanyType.HOTEL_CHAIN: 10,
    CompanyType.TOUR_OPERATOR: 25,
    CompanyType.TRAVEL_AGENCY: 15,
    CompanyType.AIRLINE: 3,
    CompanyType.TRANSPORT: 7,
    CompanyType.TOURISM_ASSOCIATION: 5,
    CompanyType.AIRPORT: 1,
    CompanyType.CRUISE_LINE: 1,
    CompanyType.ONLINE_PLATFORM: 2,
    CompanyType.VOLUNTEERING_ORGANISATION: 2,
    CompanyType.CORPORATE_TRAVEL_BUYER: 1,
    CompanyType.OTHER: 5,
}
STAGE_WEIGHTS = {
    Stage.ACTIVE: 56,
    Stage.SUSPENDED: 2,
    Stage.WITHDRAWN: 1,
    Stage.EXPELLED: 1,
    Stage.APPROVED: 8,
    Stage.SUBMITTED: 20,
    Stage.RETURNED: 7,
    Stage.REJECTED: 5,
}
SIGNED_STAGES = {Stage.ACTIVE, Stage.SUSPENDED, Stage.WITHDRAWN, Stage.EXPELLED}
REPORTING_STANDINGS = {Standing.ACTIVE, Standing.SUSPENDED}  # members who write reports
JOINED_WITHIN_DAYS = 5 * 365
NAME_SUFFIX = {
    CompanyType.HOTEL: "Hotel",
    CompanyType.HOTEL_CHAIN: "Hotels & Resorts",
    CompanyType.TOUR_OPERATOR: "Tours",
    CompanyType.TRAVEL_AGENCY: "Travel",
    CompanyType.AIRLINE: "Airways",
    CompanyType.TRANSPORT: "Transport",
    CompanyType.TOURISM_ASSOCIATION: "Tourism Association",
    CompanyType.AIRPORT: "Airport",
    CompanyType.CRUISE_LINE: "Cruises",
    CompanyType.ONLINE_PLATFORM: "Online",
    CompanyType.VOLUNTEERING_ORGANISATION: "Volunteers",
    CompanyType.CORPORATE_TRAVEL_BUYER: "Corporate Travel",
    CompanyType.OTHER: "Group",
}


def company_count() -> int:
    return db.session.scalar(select(func.count(Company.id))) or 0


class DemoGenerator:
    """Builds rows as plain dicts, so they go in with one executemany per table and batch."""

    def __init__(self, seed: int | None = None):
        self.faker = Faker()
        self.random = random.Random(seed)
        if seed is not None:
            self.faker.seed_instance(seed)
        # One hash for every fake owner: hashing 100,000 passwords would take an hour.
        self.password_hash = generate_password_hash(DEMO_PASSWORD)
        self.now = datetime.now(UTC)
        self.run = self.random.getrandbits(32)
        self.taken_slugs = set(db.session.scalars(select(Company.slug)))
        self.taken_slugs |= set(db.session.scalars(select(CompanySlug.slug)))
        self.slug_counts: dict[str, int] = {}

    def company(self, index: int) -> dict:
        kind = self.random.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()))[0]
        stage = self.random.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()))[0]
        name = f"{self.faker.last_name()} {NAME_SUFFIX[kind]}"
        legal_name = f"{self.faker.company()} ({name})"
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower().replace("&", "and")).strip("-")
        return {
            "legal_name": legal_name,
            "display_name": name,
            "slug": self.slug(name),
            "search_name": f"{naming.folded(name)} | {naming.folded(legal_name)}",
            "type": kind,
            "hq_country": self.random.choice(DEMO_COUNTRIES),
            "website": f"https://{slug}.example",
            "revenue_band": self.random.choice(list(RevenueBand)),
            "contact_name": self.faker.name(),
            "contact_email": f"contact.{index}@{slug}.example",
            "status": ApplicationStatus.APPROVED
            if stage in SIGNED_STAGES
            else ApplicationStatus(stage.value),
            "stored_stage": stage,
            "submitted_at": self.now - timedelta(days=self.random.randint(30, 2000)),
            "_standing": Standing(stage.value) if stage in SIGNED_STAGES else None,
            "_joined": None,
        } | (self._joined() if stage in SIGNED_STAGES else {})

    def slug(self, name: str) -> str:
        """As `naming` gives it (bulk inserts pass by the keeper in tracker/derived.py)."""
        base = naming.slug_base(name)
        n = self.slug_counts.get(base, 1)
        while (slug := base if n == 1 else f"{base}-{n}") in self.taken_slugs:
            n += 1
        self.slug_counts[base] = n + 1
        self.taken_slugs.add(slug)
        return slug

    def _joined(self) -> dict:
        """Members joined over the last five years, a few weeks after they applied."""
        joined = self.now - timedelta(
            days=self.random.randint(10, JOINED_WITHIN_DAYS), minutes=self.random.randint(0, 600)
        )
        return {
            "_joined": joined,
            "submitted_at": joined - timedelta(days=self.random.randint(5, 60)),
        }

    def operations(self, company_id: int, row: dict) -> list[dict]:
        kind = row["type"]
        spread = {
            CompanyType.HOTEL: 1,
            CompanyType.HOTEL_CHAIN: self.random.randint(2, 6),
            CompanyType.TOUR_OPERATOR: self.random.randint(2, 8),
            CompanyType.AIRLINE: self.random.randint(3, 12),
        }.get(kind, self.random.randint(1, 3))
        countries = {row["hq_country"], *self.random.sample(DEMO_COUNTRIES, spread - 1)}
        ops = []
        for code in sorted(countries):
            for _ in range(self.random.randint(1, 3) if kind is CompanyType.HOTEL_CHAIN else 1):
                ops.append({"company_id": company_id, "country_code": code, **self._property(kind)})
        return ops

    def _property(self, kind: CompanyType) -> dict:
        if not kind.has_properties:
            return {"property_name": None, "city": None}
        style = self.random.choice(["Resort", "Inn", "Hotel", "Lodge"])
        return {"property_name": f"{self.faker.last_name()} {style}", "city": self.faker.city()}

    def owner(self, company_id: int, index: int, row: dict) -> dict:
        return {
            "email": f"owner.{self.run}.{index}@{row['website'][8:]}",
            "name": row["contact_name"],
            "password_hash": self.password_hash,
            "role": Role.COMPANY,
            "company_id": company_id,
            "is_owner": True,
            "email_confirmed_at": self.now,
            "created_at": row["submitted_at"],
        }


def load_companies(
    count: int,
    batch_size: int = 2000,
    seed: int | None = None,
    progress: Callable[[int], None] = lambda done: None,
) -> None:
    """Insert `count` fake companies with operations, owners and signatures, and the members'
    annual reports (`demo.reports`); commits per batch."""
    generator = DemoGenerator(seed)
    reports = ReportMaker(
        generator.random,
        ReportingCalendar.from_config(current_app.config),
        generator.now,
        demo_reviewer().id,
    )
    for start, size in _batches(count, batch_size):
        _load_batch(generator, reports, start, size)
        db.session.commit()
        progress(size)
    recognition.load_top_members(
        generator.random,
        ReportingCalendar.from_config(current_app.config),
        generator.now,
        demo_reviewer().id,
    )
    publication.choose(generator.random)
    db.session.commit()
    bump_version(db.session)  # bulk inserts pass by its keeper (tracker/derived.py)
    # Fresh statistics, or the query planner goes on believing the tables are empty.
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def _batches(count: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, count, size):
        yield start, min(size, count - start)


def _load_batch(generator: DemoGenerator, reports: ReportMaker, start: int, size: int) -> None:
    rows = [generator.company(start + i) for i in range(size)]
    standings = [row.pop("_standing") for row in rows]
    joined = [row.pop("_joined") for row in rows]
    ids = db.session.scalars(
        insert(Company).returning(Company.id, sort_by_parameter_order=True), rows
    ).all()
    operations = {cid: generator.operations(cid, row) for cid, row in zip(ids, rows, strict=True)}
    db.session.execute(insert(Operation), [op for ops in operations.values() for op in ops])
    owners = [
        generator.owner(cid, start + i, row)
        for i, (cid, row) in enumerate(zip(ids, rows, strict=True))
    ]
    owner_ids = db.session.scalars(
        insert(User).returning(User.id, sort_by_parameter_order=True), owners
    ).all()
    signed = [
        (cid, uid, row | {"standing": standing, "joined_at": joined_at})
        for cid, uid, row, standing, joined_at in zip(
            ids, owner_ids, rows, standings, joined, strict=True
        )
        if standing is not None
    ]
    if signed:
        _sign_all(signed)
    reports.load(
        [
            Member(cid, uid, row["type"], row["standing"], row["joined_at"], operations[cid])
            for cid, uid, row in signed
            if row["standing"] in REPORTING_STANDINGS
        ]
    )
    position.refresh([cid for cid, _, _ in signed])
    approved = [
        (cid, uid)
        for cid, uid, row, standing in zip(ids, owner_ids, rows, standings, strict=True)
        if standing is None and row["status"] is ApplicationStatus.APPROVED
    ]
    members = [(cid, row["joined_at"]) for cid, _, row in signed]
    demo_plans.load(generator.random, generator.now, reports.staff_id, approved, members)


def _sign_all(signed: list[tuple[int, int, dict]]) -> None:
    numbers = list(criteria(FIRST_VERSION))
    joined = {cid: row["joined_at"] for cid, _, row in signed}
    db.session.execute(
        insert(Signature),
        [
            {
                "company_id": cid,
                "user_id": uid,
                "signatory_name": row["contact_name"],
                "signatory_title": "Managing Director",
                "criteria_version": FIRST_VERSION,
                "accepted_criteria": [c.number for c in numbers],
                "authority_confirmed": True,
                "signed_at": joined[cid],
            }
            for cid, uid, row in signed
        ],
    )
    db.session.execute(
        insert(Membership),
        [
            {
                "company_id": cid,
                "number": membership_number(cid),
                "joined_at": joined[cid],
                # Moved on by position.refresh once the batch's reports are in.
                "first_unreported_year": position.calendar()
                .first_full_year(joined[cid].date())
                .year,
                "standing": row["standing"],
                # Those no longer active left a month after joining (or by now).
                "standing_since": min(joined[cid] + timedelta(days=30), datetime.now(UTC))
                if row["standing"] is not Standing.ACTIVE
                else joined[cid],
            }
            for cid, _, row in signed
        ],
    )
