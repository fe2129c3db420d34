"""The four demo sign-ins, one per role, so a newcomer can try every part of the tracker."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tracker.auth.models import Role, User
from tracker.auth.services import StaffAccount, create_staff, find_user
from tracker.companies.criteria import CURRENT_VERSION, criteria
from tracker.companies.models import (
    Company,
    CompanyStatus,
    CompanyType,
    Operation,
    RevenueBand,
    Signature,
)
from tracker.companies.services import membership_number
from tracker.extensions import db

DEMO_PASSWORD = "code-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: Role
    note: str


DEMO_ACCOUNTS = (
    DemoAccount("admin@demo.thecode.example", Role.ADMIN, "staff admin"),
    DemoAccount("reviewer@demo.thecode.example", Role.REVIEWER, "staff reviewer"),
    DemoAccount(
        "rep.thailand@demo.thecode.example",
        Role.REPRESENTATIVE,
        "local representative for Thailand and Cambodia",
    ),
    DemoAccount(
        "owner@demo.thecode.example", Role.COMPANY, "owner of Andaman Sea Hotels, a member"
    ),
)


def ensure_demo_accounts() -> None:
    """Create the four demo sign-ins if missing (idempotent)."""
    for account in DEMO_ACCOUNTS:
        if find_user(account.email) is not None:
            continue
        if account.role is Role.COMPANY:
            _create_demo_owner(account.email)
        else:
            countries = ("TH", "KH") if account.role is Role.REPRESENTATIVE else ()
            create_staff(
                StaffAccount(
                    account.email, account.note.title(), account.role, DEMO_PASSWORD, countries
                )
            )


def _create_demo_owner(email: str) -> None:
    now = datetime.now(UTC)
    company = Company(
        legal_name="Andaman Sea Hotels Co., Ltd.",
        display_name="Andaman Sea Hotels",
        type=CompanyType.HOTEL_CHAIN,
        hq_country="TH",
        website="https://andaman.example",
        revenue_band=RevenueBand.UP_TO_50M,
        contact_name="Demo Owner",
        contact_email=email,
        status=CompanyStatus.APPROVED,
        submitted_at=now - timedelta(days=400),
        operations=[
            Operation(country_code="TH", property_name="Andaman Beach Resort", city="Phuket"),
            Operation(country_code="KH", property_name="Riverside Lodge", city="Siem Reap"),
        ],
    )
    owner = User(
        email=email,
        name="Demo Owner",
        role=Role.COMPANY,
        company=company,
        is_owner=True,
        email_confirmed_at=now,
    )
    owner.set_password(DEMO_PASSWORD)
    db.session.add_all([company, owner])
    db.session.flush()
    joined = now - timedelta(days=365)
    db.session.add(
        Signature(
            company=company,
            user=owner,
            signatory_name="Demo Owner",
            signatory_title="Managing Director",
            criteria_version=CURRENT_VERSION,
            accepted_criteria=[c.number for c in criteria()],
            authority_confirmed=True,
            signed_at=joined,
        )
    )
    company.status, company.joined_at = CompanyStatus.MEMBER, joined
    company.membership_number = membership_number(company.id)
