"""Staff account services: invite, join, change countries, deactivate, reactivate. They flush."""

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from tracker import audit
from tracker.audit import AuditAction
from tracker.auth import sessions
from tracker.auth.models import Role, StaffCountry, StaffInvitation, User
from tracker.auth.services import find_user, normalise_email
from tracker.countries import is_country_code
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow


def list_staff() -> list[User]:
    """Every staff account with its countries, for administrators."""
    query = (
        select(User)
        .where(User.role != Role.COMPANY)
        .options(selectinload(User.staff_countries))
        .order_by(User.role, User.email)
    )
    return list(db.session.scalars(query))


def pending_staff_invitations() -> list[StaffInvitation]:
    query = select(StaffInvitation).where(StaffInvitation.accepted_at.is_(None))
    return list(db.session.scalars(query.order_by(StaffInvitation.created_at.desc())))


def check_countries(role: Role, countries: list[str]) -> list[str]:
    """The countries, sorted and once each, if they fit the role.

    :raises DomainError: for a company role, unknown codes, a representative without countries
        or countries for a role that sees every country.
    """
    if not role.is_staff:
        raise DomainError.on("role", "Choose a staff role.")
    if not all(is_country_code(code) for code in countries):
        raise DomainError.on("countries", "Choose countries from the list.")
    if role is Role.REPRESENTATIVE and not countries:
        raise DomainError.on("countries", "A representative needs at least one country.")
    if role is not Role.REPRESENTATIVE and countries:
        raise DomainError.on("countries", "Only representatives are limited to countries.")
    return sorted(set(countries))


def invite_staff(admin: User, email: str, role: Role, countries: list[str]) -> StaffInvitation:
    """Invite a new staff member, or renew the pending invitation to the address.

    :raises DomainError: if the address has an account, or as check_countries.
    """
    countries = check_countries(role, countries)
    email = normalise_email(email)
    if find_user(email) is not None:
        raise DomainError.on("email", "This address already has an account.")
    invitation = db.session.scalar(
        select(StaffInvitation).where(
            StaffInvitation.email == email, StaffInvitation.accepted_at.is_(None)
        )
    ) or StaffInvitation(email=email)
    invitation.role, invitation.countries, invitation.invited_by = role, countries, admin
    db.session.add(invitation)
    db.session.flush()
    audit.record(AuditAction.STAFF_INVITED, actor=admin, email=email, role=role.value)
    return invitation


def pending_staff_invitation(invitation_id: int | None) -> StaffInvitation | None:
    invitation = db.session.get(StaffInvitation, invitation_id) if invitation_id else None
    return invitation if invitation is not None and invitation.accepted_at is None else None


def accept_staff_invitation(invitation: StaffInvitation, name: str, password: str) -> User:
    """Create the staff account the invitation describes; the e-mailed link proves the address.

    :raises DomainError: if the invitation was used meanwhile or the address has an account.
    """
    if find_user(invitation.email) is not None:
        raise DomainError.on(None, "This address already has an account. Sign in with it.")
    claimed = db.session.execute(
        update(StaffInvitation)
        .where(StaffInvitation.id == invitation.id, StaffInvitation.accepted_at.is_(None))
        .values(accepted_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise DomainError.on(None, "This invitation has already been used.")
    user = User(
        name=name.strip(), email=invitation.email, role=invitation.role, email_confirmed_at=utcnow()
    )
    user.set_password(password)
    user.staff_countries = [StaffCountry(country_code=code) for code in invitation.countries]
    db.session.add(user)
    db.session.flush()
    audit.record(AuditAction.STAFF_JOINED, actor=user, subject_user=user, role=user.role.value)
    return user


def set_countries(admin: User, person: User, countries: list[str]) -> None:
    """Change a representative's countries.

    :raises DomainError: for someone who is not a representative, or as check_countries.
    """
    if person.role is not Role.REPRESENTATIVE:
        raise DomainError.on(None, "Only representatives are limited to countries.")
    new = check_countries(person.role, countries)
    old = person.country_codes
    if new == old:
        return
    # Keep the rows that stay: replacing them all would insert "FR" again before the unit of
    # work deletes the old "FR" row, which the unique constraint refuses.
    kept = [row for row in person.staff_countries if row.country_code in new]
    added = [StaffCountry(country_code=code) for code in new if code not in old]
    person.staff_countries = kept + added
    db.session.flush()
    audit.record(
        AuditAction.STAFF_COUNTRIES_CHANGED,
        actor=admin,
        subject_user=person,
        changes={"countries": [old, new]},
    )


def active_admins() -> int:
    query = select(func.count(User.id)).where(
        User.role == Role.ADMIN, User.deactivated_at.is_(None)
    )
    return db.session.scalar(query)


def deactivate(admin: User, person: User) -> None:
    """Switch a staff account off and end its sessions at once.

    :raises DomainError: for one's own account, a company account or the last administrator.
    """
    if person.id == admin.id:
        raise DomainError.on(None, "You cannot deactivate your own account.")
    if not person.is_staff:
        raise DomainError.on(None, "Only staff accounts are managed here.")
    if not person.is_active:
        return
    if person.role is Role.ADMIN and active_admins() <= 1:
        raise DomainError.on(None, "Keep at least one active administrator.")
    person.deactivated_at = utcnow()
    sessions.end_other_sessions(person, None)
    db.session.flush()
    audit.record(AuditAction.STAFF_DEACTIVATED, actor=admin, subject_user=person)


def reactivate(admin: User, person: User) -> None:
    """:raises DomainError: for a company account."""
    if not person.is_staff:
        raise DomainError.on(None, "Only staff accounts are managed here.")
    if person.is_active:
        return
    person.deactivated_at = None
    db.session.flush()
    audit.record(AuditAction.STAFF_REACTIVATED, actor=admin, subject_user=person)
