"""The half-signed-in state between the password and the second factor, kept in the session.

Flask-Login knows nothing of it: whoever is in this state is not signed in, and only the code
and setup pages read it.
"""

import time

from flask import current_app, g, session
from flask_wtf.csrf import generate_csrf

from tracker.auth.models import User
from tracker.extensions import db
from tracker.tokens import fingerprint, fingerprint_matches, is_id

PENDING = "two_factor_pending"
SETUP = "two_factor_setup"


def _password_fingerprint(user: User) -> str:
    # Binds the state to the password it was reached with: a password reset voids it.
    return fingerprint("two-factor-pending", f"{user.id}:{user.password_hash}")


def begin(user: User, remember: bool, next_url: str | None) -> None:
    """Note that `user` gave the right password and now owes the second factor."""
    session.pop(SETUP, None)
    session[PENDING] = {
        "u": user.id,
        "r": bool(remember),
        "n": next_url,
        "t": int(time.time()),
        "p": _password_fingerprint(user),
    }


def _state() -> dict | None:
    state = session.get(PENDING)
    if not isinstance(state, dict) or not is_id(state.get("u")):
        return None
    started = state.get("t")
    max_age = current_app.config["TWO_FACTOR_PENDING_MAX_AGE"].total_seconds()
    if not isinstance(started, int) or not 0 <= time.time() - started <= max_age:
        return None
    return state


def pending_user() -> User | None:
    """The active user who gave the password in this session a short while ago, if any."""
    state = _state()
    if state is None:
        return None
    user = db.session.get(User, state["u"])
    if user is None or not user.is_active:
        return None
    secret = f"{user.id}:{user.password_hash}"
    return user if fingerprint_matches("two-factor-pending", secret, state.get("p")) else None


def pending_user_id() -> int | None:
    """The pending account's id without a database read (for rate-limit keys)."""
    state = _state()
    return state["u"] if state is not None else None


def finish() -> tuple[bool, str | None]:
    """Forget the state and rotate the session: (remember, next) for the full sign-in.

    The whole session is emptied, so nothing set before the sign-in (a CSRF token, a setup
    secret) carries over into the signed-in session; it gets a new CSRF token.
    """
    state = _state() or {}
    session.clear()
    # A new CSRF token at once, as a sign-in without the step keeps one: pages rendered for
    # staff are kept only for a session that has its token (tracker/page_cache.py).
    g.pop("csrf_token", None)
    generate_csrf()
    return bool(state.get("r")), state.get("n") if isinstance(state.get("n"), str) else None


def cancel() -> None:
    session.pop(PENDING, None)
    session.pop(SETUP, None)


def setup_secret(user: User, new_secret) -> str:
    """The secret being set up for `user` in this session, made on first use, so a reload
    shows the same QR code."""
    state = session.get(SETUP)
    if isinstance(state, dict) and state.get("u") == user.id and isinstance(state.get("s"), str):
        return state["s"]
    secret = new_secret()
    session[SETUP] = {"u": user.id, "s": secret}
    return secret


def drop_setup_secret() -> None:
    session.pop(SETUP, None)
