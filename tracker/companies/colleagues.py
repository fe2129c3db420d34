"""Colleague services for a company's owner: cancel invitations, remove colleagues, hand over
ownership (the new owner accepts through an e-mailed link). They flush; the view commits."""

from flask_babel import gettext as _
from sqlalchemy import select, update

from tracker import audit
from tracker.audit import AuditAction
from tracker.auth import sessions
from tracker.auth.models import Invitation, User
from tracker.companies.models import Company
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import MAX_ID
from tracker.tokens import is_id

# What an ownership link carries: the company, its owner when the offer was made, the colleague.
OWNERSHIP_SHAPE = {"company": is_id, "owner": is_id, "to": is_id}


def _require_owner(owner: User) -> Company:
    if not owner.is_owner or owner.company is None:
        raise DomainError.on(None, _("Only the company's owner can manage colleagues."))
    return owner.company


def own_invitation(owner: User, invitation_id: int) -> Invitation | None:
    """A pending invitation of the owner's company, or None (another company's is not found)."""
    if not 0 < invitation_id <= MAX_ID or owner.company_id is None:
        return None
    return db.session.scalar(
        select(Invitation).where(
            Invitation.id == invitation_id,
            Invitation.company_id == owner.company_id,
            Invitation.accepted_at.is_(None),
        )
    )


def own_colleague(owner: User, user_id: int) -> User | None:
    """Another user of the owner's company, or None."""
    if not 0 < user_id <= MAX_ID or owner.company_id is None or user_id == owner.id:
        return None
    return db.session.scalar(
        select(User).where(User.id == user_id, User.company_id == owner.company_id)
    )


def cancel_invitation(owner: User, invitation: Invitation) -> None:
    """:raises DomainError: if `owner` is not the company's owner."""
    company = _require_owner(owner)
    db.session.delete(invitation)
    db.session.flush()
    audit.record(
        AuditAction.COLLEAGUE_INVITATION_CANCELLED,
        actor=owner,
        company=company,
        email=invitation.email,
    )


def remove_colleague(owner: User, colleague: User) -> None:
    """Take the colleague's access to the company away and end their sessions at once.

    :raises DomainError: if `owner` is not the owner.
    """
    company = _require_owner(owner)
    colleague.company, colleague.is_owner = None, False
    sessions.end_other_sessions(colleague, None)
    db.session.flush()
    audit.record(
        AuditAction.COLLEAGUE_REMOVED, actor=owner, company=company, subject_user=colleague
    )


def offer_ownership(owner: User, colleague: User) -> dict:
    """Record the offer and return the payload of the colleague's acceptance link.

    :raises DomainError: if `owner` is not the owner.
    """
    company = _require_owner(owner)
    audit.record(
        AuditAction.OWNERSHIP_OFFERED, actor=owner, company=company, subject_user=colleague
    )
    return {"company": company.id, "owner": owner.id, "to": colleague.id}


def accept_ownership(colleague: User, offer: dict) -> Company:
    """Make `colleague` the owner, if the offer is theirs and its owner still owns the company.

    Conditional updates: a second use of the link, or an owner who changed meanwhile, finds no
    row to change, so the link works once and only while it is true.

    :raises DomainError: if the offer is not for this user or no longer holds.
    """
    if offer["to"] != colleague.id or colleague.company_id != offer["company"]:
        raise DomainError.on(None, _("This link is for another account. Sign in as its colleague."))
    stepped_down = db.session.execute(
        update(User)
        .where(User.id == offer["owner"], User.company_id == offer["company"], User.is_owner)
        .values(is_owner=False)
        .execution_options(synchronize_session=False)
    )
    if stepped_down.rowcount != 1:
        raise DomainError.on(
            None, _("This offer no longer holds: the company's owner has changed.")
        )
    colleague.is_owner = True
    db.session.flush()
    db.session.expire_all()
    company = db.session.get(Company, offer["company"])
    audit.record(
        AuditAction.OWNERSHIP_TRANSFERRED,
        actor=colleague,
        company=company,
        subject_user=db.session.get(User, offer["owner"]),
    )
    return company
