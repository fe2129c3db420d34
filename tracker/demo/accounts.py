"""The four demo sign-ins, one per role, so a newcomer can try every part of the tracker."""

from dataclasses import dataclass

from tracker.auth.models import Role, User
from tracker.auth.services import StaffAccount, create_staff, find_user
from tracker.companies.criteria import criteria
from tracker.companies.models import CompanyType, RevenueBand
from tracker.companies.services import (
    CompanyDetails,
    OperationInput,
    SignatureInput,
    sign_code,
    submit_application,
)
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.review.services import approve_application

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
    """A member made through the real services, so its history shows the whole journey."""
    owner = User(email=email, name="Demo Owner", role=Role.COMPANY, email_confirmed_at=utcnow())
    owner.set_password(DEMO_PASSWORD)
    db.session.add(owner)
    details = CompanyDetails(
        legal_name="Andaman Sea Hotels Co., Ltd.",
        display_name="Andaman Sea Hotels",
        type=CompanyType.HOTEL_CHAIN,
        hq_country="TH",
        website="https://andaman.example",
        revenue_band=RevenueBand.UP_TO_50M,
        contact_name="Demo Owner",
        contact_email=email,
        operations=(
            OperationInput("TH", "Andaman Beach Resort", "Phuket"),
            OperationInput("KH", "Riverside Lodge", "Siem Reap"),
        ),
    )
    company = submit_application(owner, details)
    reviewer = next(account for account in DEMO_ACCOUNTS if account.role is Role.REVIEWER)
    approve_application(company, find_user(reviewer.email))
    all_criteria = tuple(criterion.number for criterion in criteria())
    sign_code(company, owner, SignatureInput("Demo Owner", "Managing Director", all_criteria, True))
