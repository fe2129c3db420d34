"""Rate limits on requests that send e-mail: per client address (429) and per recipient (silent).

The per-address limit is a Flask-Limiter decorator shared by every mail-sending form, so one
client cannot spread its requests over several forms. The per-recipient limit is checked inside
the view: when an address has had enough mail, the view answers exactly as if it had sent one,
so the limit neither reveals whether the address has an account nor lets anyone flood it.
"""

from flask import current_app
from limits import parse_many

from tracker.extensions import limiter
from tracker.security_log import log_refusal


def _per_address() -> str:
    return current_app.config["MAIL_LIMIT_PER_ADDRESS"]


# Counts every POST to a form that may send e-mail, from one client address, across all of them.
limit_mail_per_address = limiter.shared_limit(_per_address, scope="mail", methods=["POST"])


def recipient_allowed(recipient: str) -> bool:
    """Count one message to `recipient`; False once it has had its share (send nothing then)."""
    items = parse_many(current_app.config["MAIL_LIMIT_PER_RECIPIENT"])
    key = recipient.strip().lower()
    strategy = limiter.limiter
    if not all(strategy.test(item, "mail-recipient", key) for item in items):
        log_refusal("rate_limit", detail="mail-per-recipient")
        return False
    for item in items:
        strategy.hit(item, "mail-recipient", key)
    return True
