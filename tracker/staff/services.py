"""Staff account services: invite, join, deactivate, reactivate. They flush.

A representative's countries are its organisation's (tracker/representatives).
"""

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from tracker import audit
from tracker.audit import AuditAction
from tracker.auth import invitations, sessions
from tracker.auth.models import Representative, Role, StaffInvitation, User
from tracker.auth.services import find_user, normalise_email
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import MAX_ID, utcnow


def list_staff() -> list[User]:
    """Every staff account with its countries, for administrators."""
    query = (
        select(User)
        .where(User.role != Role.COMPANY)
        .options(selectinload(User.representative))
        .order_by(User.role, User.email)
    )
    return list(db.session.scalars(query))


def pending_staff_invitations() -> list[StaffInvitation]:
    query = select(StaffInvitation).where(
        StaffInvitation.accepted_at.is_(None), StaffInvitation.cancelled_at.is_(None)
    )
    return list(db.session.scalars(query.order_by(StaffInvitation.created_at.desc())))


def own_pending_invitation(invitation_id: int) -> StaffInvitation | None:
    """A staff invitation not yet accepted nor withdrawn, by id (for its buttons), else None."""
    invitation = (
        db.session.get(StaffInvitation, invitation_id) if 0 < invitation_id <= MAX_ID else None
    )
    return invitation if invitation is not None and invitation.is_pending else None


def check_organisation(role: Role, representative: Representative | None) -> None:
    """:raises DomainError: for a company role, a representative without an organisation or
    an organisation for a role that sees every country."""
    if not role.is_staff:
        raise DomainError.on("role", _("Choose a staff role."))
    if role is Role.REPRESENTATIVE and representative is None:
        raise DomainError.on(
            "representative", _("Choose the organisation the representative works for.")
        )
    if role is not Role.REPRESENTATIVE and representative is not None:
        raise DomainError.on("representative", _("Only representatives belong to an organisation."))


def invite_staff(
    admin: User, email: str, role: Role, representative: Representative | None = None
) -> StaffInvitation:
    """Invite a new staff member, or renew the pending invitation to the address.

    Renewing sends a new link (on the returned row's `token`): the earlier one stops working.

    :raises DomainError: if the address has an account, or as check_organisation.
    """
    check_organisation(role, representative)
    email = normalise_email(email)
    if find_user(email) is not None:
        raise DomainError.on("email", _("This address already has an account."))
    invitation = db.session.scalar(
        select(StaffInvitation).where(
            StaffInvitation.email == email,
            StaffInvitation.accepted_at.is_(None),
            StaffInvitation.cancelled_at.is_(None),
        )
    ) or StaffInvitation(email=email)
    invitation.role, invitation.invited_by = role, admin
    invitation.representative = representative
    invitations.issue_token(invitation)
    db.session.add(invitation)
    db.session.flush()
    details = {"representative_id": representative.id} if representative else {}
    audit.record(AuditAction.STAFF_INVITED, actor=admin, email=email, role=role.value, **details)
    return invitation


def pending_staff_invitation(token: object) -> StaffInvitation | None:
    """The open staff invitation a link's token names, if its sender is still active, else None.

    Deactivating an administrator withdraws their invitations (see deactivate); the sender
    check here also covers invitations that were open before that rule.
    """
    invitation = invitations.find_open(StaffInvitation, token)
    return invitation if invitation is not None and invitation.invited_by.is_active else None


def withdraw_staff_invitation(admin: User, invitation: StaffInvitation) -> None:
    """Kill a staff invitation's link; the row stays, marked cancelled."""
    invitations.cancel(invitation)
    audit.record(AuditAction.STAFF_INVITATION_WITHDRAWN, actor=admin, email=invitation.email)


def accept_staff_invitation(invitation: StaffInvitation, name: str, password: str) -> User:
    """Create the staff account the invitation describes; the e-mailed link proves the address.

    :raises DomainError: if the invitation was used, withdrawn or sent again meanwhile, or the
        address has an account.
    """
    if find_user(invitation.email) is not None:
        raise DomainError.on(None, _("This address already has an account. Sign in with it."))
    if not invitations.claim(invitation):
        raise DomainError.on(None, _("This invitation has already been used."))
    user = User(
        name=name.strip(), email=invitation.email, role=invitation.role, email_confirmed_at=utcnow()
    )
    user.set_password(password)
    user.representative = invitation.representative
    db.session.add(user)
    db.session.flush()
    audit.record(AuditAction.STAFF_JOINED, actor=user, subject_user=user, role=user.role.value)
    return user


def lock_active_admins() -> list[int]:
    """The ids of the active administrators, their rows locked until the transaction ends.

    PostgreSQL: SELECT ... FOR UPDATE, in id order so two deactivations cannot deadlock; the
    second waits, then reads the first's change. SQLite ignores FOR UPDATE: there the write in
    deactivate takes the database's single write lock before the count is read again.
    """
    query = (
        select(User.id)
        .where(User.role == Role.ADMIN, User.deactivated_at.is_(None))
        .order_by(User.id)
        .with_for_update()
    )
    return list(db.session.scalars(query))


def active_admins() -> int:
    query = select(func.count(User.id)).where(
        User.role == Role.ADMIN, User.deactivated_at.is_(None)
    )
    return db.session.scalar(query)


def deactivate(admin: User, person: User) -> None:
    """Switch a staff account off, end its sessions and withdraw its pending invitations.

    Two administrators deactivating each other at once: the row lock (or SQLite's write lock)
    serialises them, and the second finds itself deactivated or the last administrator.

    :raises DomainError: for one's own account, a company account, the last administrator, or
        an administrator deactivated meanwhile.
    """
    if person.id == admin.id:
        raise DomainError.on(None, _("You cannot deactivate your own account."))
    if not person.is_staff:
        raise DomainError.on(None, _("Only staff accounts are managed here."))
    if admin.id not in lock_active_admins():
        raise DomainError.on(None, _("Your own account was deactivated meanwhile."))
    db.session.refresh(person)
    if not person.is_active:
        return
    person.deactivated_at = utcnow()
    db.session.flush()  # on SQLite this write waits for, then excludes, any other writer
    if person.role is Role.ADMIN and active_admins() < 1:
        raise DomainError.on(None, _("Keep at least one active administrator."))
    sessions.end_other_sessions(person, None)
    withdrawn = _withdraw_invitations_by(person)
    db.session.flush()
    audit.record(
        AuditAction.STAFF_DEACTIVATED,
        actor=admin,
        subject_user=person,
        invitations_withdrawn=withdrawn,
    )


def _withdraw_invitations_by(person: User) -> int:
    # An invitation speaks for its sender: it must not outlive their access.
    result = db.session.execute(
        update(StaffInvitation)
        .where(
            StaffInvitation.invited_by_id == person.id,
            StaffInvitation.accepted_at.is_(None),
            StaffInvitation.cancelled_at.is_(None),
        )
        .values(cancelled_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def reactivate(admin: User, person: User) -> None:
    """:raises DomainError: for a company account."""
    if not person.is_staff:
        raise DomainError.on(None, _("Only staff accounts are managed here."))
    if person.is_active:
        return
    person.deactivated_at = None
    db.session.flush()
    audit.record(AuditAction.STAFF_REACTIVATED, actor=admin, subject_user=person)
