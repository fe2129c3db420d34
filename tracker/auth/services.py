"""Account services: they flush, the caller commits and then sends any e-mail."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from tracker import audit
from tracker.auth import sessions
from tracker.auth.models import Representative, Role, User
from tracker.countries import is_country_code
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.tokens import fingerprint, fingerprint_matches, has_shape, is_id, is_text

# Compared against when no account matches, so a wrong e-mail costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _ensure_email_free(email: str, field_name: str = "email") -> None:
    if find_user(email) is not None:
        raise DomainError.on(field_name, _("An account with this e-mail address already exists."))


def register_user(name: str, email: str, password: str, locale: str | None = None) -> User | None:
    """Create an unconfirmed company user without a company yet.

    Returns None, creating nothing, when the address already has an account: the caller then
    answers as for a new account and tells the address's owner, so the form reveals nothing.
    The password is hashed either way, so both answers take as long.
    """
    password_hash = generate_password_hash(password)
    if find_user(email) is not None:
        return None
    user = User(name=name.strip(), email=normalise_email(email), role=Role.COMPANY, locale=locale)
    user.password_hash = password_hash
    db.session.add(user)
    db.session.flush()
    audit.record("user.registered", actor=user)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user whose e-mail and password match, else None (without saying which was wrong)."""
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    # A deactivated account reads like a wrong password: the form reveals nothing more.
    return user if user.check_password(password) and user.is_active else None


def confirm_email(user: User, email: str) -> bool:
    """Mark the address confirmed if the token's address is still the account's address."""
    if user.email != email:
        return False
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        audit.record("user.email_confirmed", actor=user)
    return True


def set_new_password(
    user: User, password: str, *, action: str, keep_session: str | None = None
) -> None:
    """Replace the password and end every session of this user but `keep_session`'s."""
    user.set_password(password)
    sessions.end_other_sessions(user, keep_session)
    db.session.flush()
    audit.record(action, actor=user)


def change_password(
    user: User, current_password: str, new_password: str, *, keep_session: str | None
) -> None:
    """Change a signed-in user's password, keeping the session `keep_session` names.

    :raises DomainError: if the current password is wrong.
    """
    if not user.check_password(current_password):
        raise DomainError.on("current_password", _("This is not your current password."))
    set_new_password(user, new_password, action="user.password_changed", keep_session=keep_session)


# What a reset link carries: the user's id and a fingerprint of the password hash.
RESET_TOKEN_SHAPE = {"id": is_id, "h": is_text}


def _reset_secret(user: User) -> str:
    return f"{user.id}:{user.password_hash}"


def reset_token_payload(user: User) -> dict:
    # Bound to the whole password hash by an HMAC, so the link is single-use (a new password
    # no longer matches) and the token, readable by anyone, reveals nothing of the hash.
    return {"id": user.id, "h": fingerprint("reset", _reset_secret(user))}


def user_for_reset(payload: dict | None) -> User | None:
    """The user a reset payload (of RESET_TOKEN_SHAPE) is for, if it still matches the password."""
    if not has_shape(payload, RESET_TOKEN_SHAPE):
        return None
    user = db.session.get(User, payload["id"])
    if user is None or not fingerprint_matches("reset", _reset_secret(user), payload["h"]):
        return None
    return user


@dataclass(frozen=True)
class StaffAccount:
    email: str
    name: str
    role: Role
    password: str
    countries: tuple[str, ...] = field(default_factory=tuple)


def _organisation_for(account: StaffAccount) -> Representative:
    """The organisation named after the account, made with its countries if there is none."""
    from tracker.representatives import services as representatives  # a feature on top of auth

    existing = db.session.scalar(select(Representative).where(Representative.name == account.name))
    if existing is not None:
        return existing
    details = representatives.RepresentativeDetails(name=account.name, countries=account.countries)
    return representatives.create_representative(None, details)


def create_staff(account: StaffAccount) -> User:
    """Create a confirmed staff account.

    :raises DomainError: for a company role, an unknown country, a representative without
        countries, or a taken e-mail.
    """
    if not account.role.is_staff:
        raise DomainError.on("role", _("Staff accounts are reviewer, admin or representative."))
    bad = [code for code in account.countries if not is_country_code(code)]
    if bad:
        raise DomainError.on("country", _("Unknown country code: %(codes)s.", codes=", ".join(bad)))
    if account.role is Role.REPRESENTATIVE and not account.countries:
        raise DomainError.on("country", _("A representative needs at least one country."))
    if account.role is not Role.REPRESENTATIVE and account.countries:
        raise DomainError.on("country", _("Only representatives are limited to countries."))
    _ensure_email_free(account.email)
    user = User(
        name=account.name,
        email=normalise_email(account.email),
        role=account.role,
        email_confirmed_at=utcnow(),
    )
    user.set_password(account.password)
    if account.role is Role.REPRESENTATIVE:
        user.representative = _organisation_for(account)
    db.session.add(user)
    db.session.flush()
    audit.record("staff.created", role=account.role.value, countries=list(account.countries))
    return user
