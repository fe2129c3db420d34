"""One log line per refused request, so an operator can see an attack without personal data."""

import ipaddress
import logging

from flask import request

logger = logging.getLogger("tracker.security")

MAX_FIELD = 120  # an attacker chooses paths and hosts; keep their lines short


def anonymised_network(address: str | None) -> str:
    """The client's network, not the client: an IPv4 /24 or an IPv6 /48."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def clean(value: object) -> str:
    """One printable token: no spaces or line breaks an attacker could use to forge a line."""
    text = str(value)[:MAX_FIELD]
    return "".join(c if c.isprintable() and not c.isspace() else escape(c) for c in text)


def escape(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def submitted_email_domain() -> str | None:
    # Only a form someone already parsed: parsing here could read an oversized body (or
    # raise 413 again). Everything before the "@" is personal and never leaves this function.
    form = request.__dict__.get("form")
    email = form.get("email", "") if form is not None else ""
    domain = email.rpartition("@")[2].strip().lower() if "@" in email else ""
    return domain or None


def request_path() -> str:
    # The route's rule, not the URL: a path such as /account/reset/<token> carries a secret.
    # The query string is never logged.
    return request.url_rule.rule if request.url_rule is not None else request.path


def log_refusal(reason: str, **fields: object) -> None:
    """Log `refused reason=... method=... path=... client=<network>` with optional fields.

    Reads nothing that re-checks the Host header, so it is safe in the untrusted-host handler.
    """
    parts = {
        "reason": reason,
        "method": request.method,
        "path": request_path(),
        "client": anonymised_network(request.remote_addr),
        "email_domain": submitted_email_domain(),
        **fields,
    }
    line = " ".join(f"{key}={clean(value)}" for key, value in parts.items() if value is not None)
    logger.warning("refused %s", line)


def log_rate_limit_breach(request_limit) -> None:
    """Flask-Limiter's on_breach callback; the limit's key is not logged (it may be an e-mail)."""
    log_refusal("rate_limit", detail=str(request_limit.limit))
