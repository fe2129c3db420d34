"""A rate limit on what a company saves: its profile and contact details, properties, reports.

Every save is a transaction that takes the staff data version's row lock and may move the
public one (tracker/data_versions.py); one company re-saving a form in a loop would serialise
everyone else's writes behind it. Its saves are counted per company (all its users together,
whatever address they come from), so the limit holds for one account with many clients too.
"""

from flask import current_app
from flask_login import current_user

from tracker.client_address import client_key
from tracker.extensions import limiter


def _allowance() -> str:
    return current_app.config["COMPANY_WRITE_RATE_LIMIT"]


def _company_key() -> str:
    """The company's id; a user without one (applying) by itself; anyone else by address
    (the view turns them away anyway)."""
    if not current_user.is_authenticated:
        return f"address:{client_key()}"
    if current_user.company_id is not None:
        return f"company:{current_user.company_id}"
    return f"user:{current_user.id}"


# Counts the POSTs of every company-side form that saves data, across all of them; 429 with
# Retry-After beyond COMPANY_WRITE_RATE_LIMIT.
limit_company_writes = limiter.shared_limit(
    _allowance, scope="company-write", key_func=_company_key, methods=["POST"]
)
