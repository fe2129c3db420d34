"""Second factor: time-based one-time codes (RFC 6238) and single-use recovery codes."""

import hashlib
import hmac
import secrets
import time

import pyotp
from flask_babel import gettext as _
from sqlalchemy import delete, or_, update

from tracker import audit
from tracker.audit import AuditAction
from tracker.auth import sessions
from tracker.auth.models import RecoveryCode, User
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow

ISSUER = "The Code Signatory Tracker"
RECOVERY_CODE_COUNT = 10
# A code of the step before or after the current one is accepted too: phone clocks drift.
VALID_WINDOW = 1
MAX_CODE_LENGTH = 40  # longer input is no code of ours; do not hash megabytes
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def new_secret() -> str:
    """A random base32 secret of 160 bits, as RFC 4226 recommends."""
    return pyotp.random_base32(32)


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def _clean(code: object) -> str:
    if not isinstance(code, str) or len(code) > MAX_CODE_LENGTH:
        return ""
    return "".join(code.split()).replace("-", "").lower()


def matching_step(secret: str, code: object, now: float | None = None) -> int | None:
    """The time step whose code `code` is, within VALID_WINDOW of `now`; None if none is."""
    code = _clean(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int((time.time() if now is None else now) // totp.interval)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _claim_step(user: User, step: int) -> bool:
    """Record `step` as used unless it, or a later one, was: so each code works once.

    A conditional UPDATE, so of two requests racing with one code only one succeeds.
    """
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    user.totp_last_step = step
    return True


def check_code(user: User, code: object) -> bool:
    """True if `code` is the account's current one-time code and was not used before."""
    if not user.has_two_factor:
        return False
    step = matching_step(user.totp_secret, code)
    return step is not None and _claim_step(user, step)


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _new_recovery_code() -> str:
    return "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(16))  # ~79 bits


def format_recovery_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def renew_recovery_codes(user: User, *, record: bool = True) -> list[str]:
    """Replace the account's recovery codes with RECOVERY_CODE_COUNT new ones, returned once.

    Only their hashes are kept: the caller shows them and they are never shown again.
    """
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes)
    db.session.flush()
    if record:
        audit.record(AuditAction.RECOVERY_CODES_RENEWED, actor=user)
    return [format_recovery_code(code) for code in codes]


def use_recovery_code(user: User, code: object) -> bool:
    """Spend one of the account's unused recovery codes; True if `code` was one."""
    code = _clean(code)
    if len(code) != 16 or not user.has_two_factor:
        return False
    spent = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        return False
    audit.record(AuditAction.RECOVERY_CODE_USED, actor=user)
    return True


def enable(user: User, secret: str, code: object) -> list[str]:
    """Turn the second factor on with `secret` once `code` shows the app has it.

    :returns: the new recovery codes, to be shown once.
    :raises DomainError: if the code is not the secret's current one.
    """
    step = matching_step(secret, code)
    if step is None:
        raise DomainError.on("code", _("This code is not right. Check the app and try again."))
    user.totp_secret = secret
    user.two_factor_enabled_at = utcnow()
    user.totp_last_step = step  # the code just typed cannot sign anyone in
    db.session.flush()
    audit.record(AuditAction.TWO_FACTOR_ENABLED, actor=user)
    return renew_recovery_codes(user, record=False)


def _clear(user: User) -> None:
    user.totp_secret = user.two_factor_enabled_at = user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


def disable(user: User, code: object) -> None:
    """Turn off a business user's second factor, after a current code or a recovery code.

    :raises DomainError: for staff (they must keep one) or a wrong code.
    """
    if user.is_staff:
        raise DomainError.on(None, _("Staff accounts must keep two-step sign-in."))
    if not (check_code(user, code) or use_recovery_code(user, code)):
        raise DomainError.on("code", _("This code is not right, or it was already used."))
    _clear(user)
    audit.record(AuditAction.TWO_FACTOR_DISABLED, actor=user)


def reset(admin: User, person: User) -> None:
    """An administrator clears a colleague's lost second factor and ends their sessions: the
    colleague sets up a new one at the next sign-in.

    :raises DomainError: for one's own account or a company account.
    """
    if person.id == admin.id:
        raise DomainError.on(None, _("You cannot reset your own second factor."))
    if not person.is_staff:
        raise DomainError.on(None, _("Only staff accounts are managed here."))
    _clear(person)
    sessions.end_other_sessions(person, None)
    db.session.flush()
    audit.record(AuditAction.STAFF_TWO_FACTOR_RESET, actor=admin, subject_user=person)
