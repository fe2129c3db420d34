"""Colleague services for a company's owner: cancel invitations, remove colleagues, hand over
ownership (the new owner accepts through an e-mailed link, which the owner may withdraw).
They flush; the view commits."""

from flask_babel import gettext as _
from sqlalchemy import select, update

from tracker import audit
from tracker.audit import AuditAction
from tracker.auth import invitations, sessions
from tracker.auth.models import Invitation, OwnershipOffer, User
from tracker.companies.models import Company
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import MAX_ID, utcnow


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
            Invitation.cancelled_at.is_(None),
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
    """Kill the invitation's link; the row stays (cancelled), so no later row takes its id.

    :raises DomainError: if `owner` is not the company's owner.
    """
    company = _require_owner(owner)
    invitations.cancel(invitation)
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


def offer_ownership(owner: User, colleague: User) -> OwnershipOffer:
    """Offer the company to `colleague`; earlier open offers of the company are withdrawn.

    The offer's link token is on the returned row's `token`, for its e-mail.

    :raises DomainError: if `owner` is not the owner.
    """
    company = _require_owner(owner)
    _cancel_open_offers(company.id)
    offer = OwnershipOffer(company=company, offered_by=owner, offered_to=colleague)
    db.session.add(offer)
    invitations.issue_token(offer)
    db.session.flush()
    audit.record(
        AuditAction.OWNERSHIP_OFFERED, actor=owner, company=company, subject_user=colleague
    )
    return offer


def open_offers(company: Company) -> list[OwnershipOffer]:
    """The company's offers not yet accepted, withdrawn or expired (at most one), for its owner."""
    query = select(OwnershipOffer).where(
        OwnershipOffer.company_id == company.id,
        OwnershipOffer.accepted_at.is_(None),
        OwnershipOffer.cancelled_at.is_(None),
        OwnershipOffer.sent_at >= invitations.oldest_live_sent_at(),
    )
    return list(db.session.scalars(query.order_by(OwnershipOffer.id.desc())))


def own_offer(owner: User, offer_id: int) -> OwnershipOffer | None:
    """A pending ownership offer of the owner's company, or None."""
    if not 0 < offer_id <= MAX_ID or owner.company_id is None:
        return None
    return db.session.scalar(
        select(OwnershipOffer).where(
            OwnershipOffer.id == offer_id,
            OwnershipOffer.company_id == owner.company_id,
            OwnershipOffer.accepted_at.is_(None),
            OwnershipOffer.cancelled_at.is_(None),
        )
    )


def withdraw_offer(owner: User, offer: OwnershipOffer) -> None:
    """Kill an ownership offer's link.

    :raises DomainError: if `owner` is not the company's owner.
    """
    company = _require_owner(owner)
    invitations.cancel(offer)
    audit.record(
        AuditAction.OWNERSHIP_OFFER_WITHDRAWN,
        actor=owner,
        company=company,
        subject_user=offer.offered_to,
    )


def _cancel_open_offers(company_id: int) -> None:
    # Once ownership passes (or a newer offer is made) no earlier offer may hand it on again,
    # even if the person who made it owns the company once more later.
    db.session.execute(
        update(OwnershipOffer)
        .where(
            OwnershipOffer.company_id == company_id,
            OwnershipOffer.accepted_at.is_(None),
            OwnershipOffer.cancelled_at.is_(None),
        )
        .values(cancelled_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def pending_offer(colleague: User, token: object) -> OwnershipOffer | None:
    """The open offer a link's token names, if it is for `colleague`; else None."""
    offer = invitations.find_open(OwnershipOffer, token)
    return offer if offer is not None and offer.offered_to_id == colleague.id else None


def accept_ownership(colleague: User, offer: OwnershipOffer) -> Company:
    """Make `colleague` the owner, if the offer is theirs and the owner who made it still owns.

    Conditional updates: a second use of the link, a withdrawn offer or an owner who changed
    meanwhile finds no row to change, so the link works once and only while it is true.

    :raises DomainError: if the offer is not for this user or no longer holds.
    """
    if offer.offered_to_id != colleague.id or colleague.company_id != offer.company_id:
        raise DomainError.on(None, _("This link is for another account. Sign in as its colleague."))
    if not invitations.claim(offer):
        raise DomainError.on(None, _("This offer was withdrawn or has already been used."))
    stepped_down = db.session.execute(
        update(User)
        .where(User.id == offer.offered_by_id, User.company_id == offer.company_id, User.is_owner)
        .values(is_owner=False)
        .execution_options(synchronize_session=False)
    )
    if stepped_down.rowcount != 1:
        raise DomainError.on(
            None, _("This offer no longer holds: the company's owner has changed.")
        )
    colleague.is_owner = True
    _cancel_open_offers(offer.company_id)
    db.session.flush()
    db.session.expire_all()
    company = db.session.get(Company, offer.company_id)
    audit.record(
        AuditAction.OWNERSHIP_TRANSFERRED,
        actor=colleague,
        company=company,
        subject_user=db.session.get(User, offer.offered_by_id),
    )
    return company
