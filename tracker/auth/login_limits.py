"""Limits on failed sign-ins: per client address, per account, and per known browser."""

import secrets
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, g, request

from tracker.auth.models import User
from tracker.auth.services import find_user, normalise_email
from tracker.client_address import client_key
from tracker.extensions import limiter
from tracker.tokens import is_id, make_token, read_dict_token

DEVICE_COOKIE = "tracker_device"
MAX_ACCOUNTS = 5  # per device cookie: a shared computer may know a few accounts


def _is_device_id(value: Any) -> bool:
    return type(value) is str and 0 < len(value) <= 64


def _is_account_list(value: Any) -> bool:
    return type(value) is list and 0 < len(value) <= MAX_ACCOUNTS and all(map(is_id, value))


DEVICE_SHAPE = {"d": _is_device_id, "a": _is_account_list}


def _device() -> dict | None:
    """This browser's device cookie: {"d": device id, "a": [user ids]}, if valid."""
    max_age = current_app.config["LOGIN_DEVICE_COOKIE_DURATION"].total_seconds()
    return read_dict_token(
        "device", request.cookies.get(DEVICE_COOKIE, ""), int(max_age), DEVICE_SHAPE
    )


def _submitted_email() -> str:
    return normalise_email(request.form.get("email", ""))[:254]


def known_device_key() -> str | None:
    """The key `<device id>:<user id>` if this browser signed in to the account before, or None."""
    if "login_device_key" not in g:
        device, email = _device(), _submitted_email()
        user = find_user(email) if device is not None and email else None
        known = user is not None and user.id in device["a"]
        g.login_device_key = f"{device['d']}:{user.id}" if known else None
    return g.login_device_key


def _is_known_device() -> bool:
    return known_device_key() is not None


def _is_unknown_device() -> bool:
    return known_device_key() is None


def count_failure() -> None:
    """Count this request against the limits that apply to it (called on a wrong password)."""
    g.login_failed = True


def _failed(response: Response) -> bool:
    return bool(g.get("login_failed"))


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


# A failure counts against the client address and the submitted account, and once either has
# had its share, further attempts get 429 -- but not from a browser that has signed in to that
# account before (OWASP's device cookie): its failures count only against its own allowance, so
# guesses from elsewhere cannot lock the owner out, and a stolen device cookie still gets a
# bounded number of guesses. Successful sign-ins never count.
per_address = limiter.limit(
    _setting("LOGIN_LIMIT_PER_ADDRESS"),
    methods=["POST"],
    key_func=lambda: f"address:{client_key()}",
    deduct_when=_failed,
    exempt_when=_is_known_device,
)
per_account = limiter.limit(
    _setting("LOGIN_LIMIT_PER_ACCOUNT"),
    methods=["POST"],
    key_func=lambda: f"account:{_submitted_email()}",
    deduct_when=_failed,
    exempt_when=_is_known_device,
)
per_device = limiter.limit(
    _setting("LOGIN_LIMIT_PER_DEVICE"),
    methods=["POST"],
    key_func=lambda: f"device:{known_device_key()}",
    deduct_when=_failed,
    exempt_when=_is_unknown_device,
)


def limit_login(view: Callable) -> Callable:
    """Apply the three sign-in limits to the view; it calls count_failure on a wrong password."""
    return per_address(per_account(per_device(view)))


def mark_device(response: Response, user: User) -> None:
    """Make this browser known to `user`'s account (after a sign-in or a password reset)."""
    device = _device() or {"d": secrets.token_urlsafe(16), "a": []}
    accounts = [user.id, *(account for account in device["a"] if account != user.id)]
    response.set_cookie(
        DEVICE_COOKIE,
        make_token("device", {"d": device["d"], "a": accounts[:MAX_ACCOUNTS]}),
        max_age=current_app.config["LOGIN_DEVICE_COOKIE_DURATION"],
        path="/account/",  # only the account pages need it
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
