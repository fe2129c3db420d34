"""Server-side sign-in sessions: the browser holds a random token, the database its hash."""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, g
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import joinedload

from tracker.auth.models import AuthSession, User
from tracker.extensions import db
from tracker.models_base import utcnow

# last_seen_at is written at most this often: idle timeouts are minutes to days long, and a
# write per request would serialise every request on SQLite.
TOUCH_INTERVAL = timedelta(minutes=1)
MAX_TOKEN_LENGTH = 100  # token_urlsafe(32) gives 43 characters


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _lifetimes(user: User, remembered: bool) -> tuple[timedelta, timedelta]:
    """(idle timeout, absolute lifetime); staff are never kept signed in for longer."""
    config = current_app.config
    if user.is_staff:
        return config["STAFF_SESSION_IDLE_TIMEOUT"], config["SESSION_MAX_AGE"]
    if remembered:
        return config["REMEMBERED_SESSION_IDLE_TIMEOUT"], config["REMEMBER_COOKIE_DURATION"]
    return config["SESSION_IDLE_TIMEOUT"], config["SESSION_MAX_AGE"]


def is_live(record: AuthSession, now: datetime) -> bool:
    """Not revoked, not idle too long and not too old."""
    idle, lifetime = _lifetimes(record.user, record.remembered)
    return (
        record.revoked_at is None
        and now - record.last_seen_at <= idle
        and now - record.created_at <= lifetime
    )


def _find(token: object) -> AuthSession | None:
    # The token comes from a cookie: anything at all may arrive here.
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_LENGTH:
        return None
    return db.session.scalar(
        select(AuthSession)
        .where(AuthSession.token_hash == _hash(token))
        .options(joinedload(AuthSession.user))
    )


def start_session(user: User, remember: bool) -> str:
    """Record a new session for `user` and return its token (set on `user` as well)."""
    now = utcnow()
    _forget_dead_sessions(user, now)
    token = secrets.token_urlsafe(32)
    record = AuthSession(user=user, token_hash=_hash(token), remembered=remember)
    record.created_at = record.last_seen_at = now
    db.session.add(record)
    db.session.flush()
    user.session_token = token
    return token


def _forget_dead_sessions(user: User, now: datetime) -> None:
    # Keeps the table small: no session outlives the longest lifetime, and revoked ones are dead.
    oldest = now - max(current_app.config["REMEMBER_COOKIE_DURATION"], _lifetimes(user, False)[1])
    db.session.execute(
        delete(AuthSession).where(
            AuthSession.user_id == user.id,
            or_(AuthSession.revoked_at.is_not(None), AuthSession.created_at < oldest),
        )
    )


def load_session(token: object) -> User | None:
    """The user of a live session, with `session_token` set; None for anything else."""
    record = _find(token)
    if record is None or not is_live(record, utcnow()) or not record.user.is_active:
        return None  # a deactivated account is signed out at its next request
    record.user.session_token = token
    # What touch() needs, so that it need not read the record again in the same request (not
    # the record itself: holding it would keep it in the session past a bulk delete).
    g.auth_session = (record.id, record.token_hash, record.last_seen_at)
    return record.user


def touch(token: str) -> bool:
    """Record activity on the session, at most once per TOUCH_INTERVAL; True if it wrote."""
    # Read first and write only when due: on SQLite even an UPDATE that matches no row would
    # take the write lock until the request ends.
    now = utcnow()
    seen = g.get("auth_session")
    if seen is not None and seen[1] == _hash(token) and now - seen[2] < TOUCH_INTERVAL:
        return False  # read by load_session in this request, and not yet due
    record = _find(token)
    if record is None or record.revoked_at is not None:
        return False
    if now - record.last_seen_at < TOUCH_INTERVAL:
        return False
    record.last_seen_at = now
    db.session.flush()
    return True


def is_remembered(token: str) -> bool:
    record = _find(token)
    return record is not None and record.remembered


def end_session(token: str) -> None:
    """Revoke one session: its session and remember cookies, and all copies, stop working."""
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == _hash(token), AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def end_other_sessions(user: User, keep_token: str | None) -> None:
    """Revoke every session of `user` but the one `keep_token` names (all of them for None)."""
    query = update(AuthSession).where(
        AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None)
    )
    if keep_token is not None:
        query = query.where(AuthSession.token_hash != _hash(keep_token))
    db.session.execute(
        query.values(revoked_at=utcnow()).execution_options(synchronize_session=False)
    )
