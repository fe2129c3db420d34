"""Demo data: the demo sign-ins and bulk fake companies (`flask --app wsgi demo-data`)."""

from tracker.demo.accounts import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    demo_reviewer,
    ensure_demo_accounts,
)
from tracker.demo.billing import load_billing
from tracker.demo.bulk import company_count, load_companies
from tracker.demo.representatives import ensure_demo_representatives

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "DEMO_TOTP_SECRET",
    "company_count",
    "demo_reviewer",
    "load_billing",
    "ensure_demo_accounts",
    "ensure_demo_representatives",
    "load_companies",
]
