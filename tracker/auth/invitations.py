"""E-mailed links that open one row (invitations, ownership offers), and colleague invitations.

A link carries a random token; the row keeps only its SHA-256 in a unique column (as sessions
do), so a link opens exactly the row it was made for, once, until it is cancelled, replaced by
a newer link or INVITATION_MAX_AGE old. Services flush; the caller commits, then sends mail.
"""

from datetime import timedelta
from typing import TypeVar

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from tracker import audit
from tracker.auth.models import EmailedLink, Invitation, Role, User
from tracker.auth.services import find_user, normalise_email
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.tokens import hash_link_token, new_link_token

Link = TypeVar("Link", bound=EmailedLink)


def issue_token(row: EmailedLink) -> str:
    """Give `row` a new link token (killing any earlier one) and return it; also on `row.token`."""
    row.token, row.token_hash = new_link_token()
    row.sent_at = utcnow()
    return row.token


def oldest_live_sent_at():
    """Links sent before this have expired."""
    return utcnow() - timedelta(seconds=current_app.config["INVITATION_MAX_AGE"])


def find_open(model: type[Link], token: object) -> Link | None:
    """The pending, unexpired row of `model` whose link carries `token`, else None."""
    token_hash = hash_link_token(token)
    if token_hash is None:
        return None
    return db.session.scalar(
        select(model).where(
            model.token_hash == token_hash,
            model.accepted_at.is_(None),
            model.cancelled_at.is_(None),
            model.sent_at >= oldest_live_sent_at(),
        )
    )


def claim(row: EmailedLink) -> bool:
    """Mark `row` used if its link is still open; of two racing requests exactly one wins.

    The token hash is part of the condition: a link sent again meanwhile is not the same link.
    """
    model = type(row)
    claimed = db.session.execute(
        update(model)
        .where(
            model.id == row.id,
            model.token_hash == row.token_hash,
            model.accepted_at.is_(None),
            model.cancelled_at.is_(None),
        )
        .values(accepted_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def cancel(row: EmailedLink) -> None:
    """Kill the row's link for good; the row stays, so its id is never handed out again."""
    row.cancelled_at = utcnow()
    db.session.flush()


def invite_colleague(inviter: User, email: str) -> Invitation:
    """Invite a colleague to the inviter's company, or renew a pending invitation to the address.

    Renewing sends a new link: the earlier one stops working. Whether the address has an
    account elsewhere is not checked here: the inviter may not learn it. Such an invitee is told
    when following the link.

    :raises DomainError: if the inviter is not the owner or the address is already a colleague.
    """
    if not inviter.is_owner or inviter.company is None:
        raise DomainError.on(None, _("Only the company's owner can invite colleagues."))
    email = normalise_email(email)
    company = inviter.company
    if any(user.email == email for user in company.users):
        raise DomainError.on("email", _("This colleague already has access to your company."))
    invitation = db.session.scalar(
        select(Invitation).where(
            Invitation.company_id == company.id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.cancelled_at.is_(None),
        )
    )
    if invitation is None:
        invitation = Invitation(company=company, email=email, invited_by=inviter)
        db.session.add(invitation)
    issue_token(invitation)
    db.session.flush()
    audit.record("company.colleague_invited", actor=inviter, company=company, email=email)
    return invitation


def renew_invitation(invitation: Invitation) -> str:
    """A new link for a pending invitation (to send again); the old link stops working."""
    token = issue_token(invitation)
    db.session.flush()
    return token


def pending_invitation(token: object) -> Invitation | None:
    """The open colleague invitation a link's token names, else None."""
    return find_open(Invitation, token)


def accept_invitation(invitation: Invitation, name: str, password: str) -> User:
    """Create the colleague's account with the invited address; the e-mailed link proves it.

    :raises DomainError: if the invitation was used, cancelled or sent again meanwhile, or the
        address already has an account.
    """
    if find_user(invitation.email) is not None:
        raise DomainError.on(
            None, _("This e-mail address already has an account. Sign in with it instead.")
        )
    if not claim(invitation):
        raise DomainError.on(None, _("This invitation has already been used."))
    user = User(
        name=name.strip(),
        email=invitation.email,
        role=Role.COMPANY,
        company=invitation.company,
        email_confirmed_at=utcnow(),
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("company.colleague_joined", actor=user, company=invitation.company)
    return user
