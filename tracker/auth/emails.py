"""Account e-mails, queued in the outbox: confirmation, reset, registration attempts, invitations.

Greetings never repeat a name typed at registration: whoever registers may type someone else's
address, so that text would be an attacker's, mailed to a stranger.
"""

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from tracker.auth.models import Invitation, User
from tracker.auth.services import find_user, reset_token_payload
from tracker.outbox import OutboxMessage, queue_deferred, queue_email
from tracker.tokens import make_token
from tracker.urls import public_url


def queue_confirmation(user: User) -> None:
    token = make_token("confirm", {"id": user.id, "email": user.email})
    queue_email(
        user.email,
        _("Confirm your e-mail address"),
        "confirm_email",
        link=public_url("auth.confirm", token=token),
    )


def queue_registration_attempt(email: str) -> None:
    """Tell an address's owner that someone tried to register it again (it has an account)."""
    queue_email(
        email,
        _("Someone tried to register with your address"),
        "registration_attempt",
        login_link=public_url("auth.login"),
        reset_link=public_url("auth.reset_request"),
    )


def queue_password_reset(email: str) -> None:
    """Queue a reset for `email` whether or not it has an account: the check happens at delivery."""
    queue_deferred("password_reset", email)


def render_password_reset(message: OutboxMessage) -> tuple[str, str] | None:
    """Subject and body of a queued reset, or None when no account uses the address."""
    user = find_user(message.recipient)
    if user is None:
        return None
    token = make_token("reset", reset_token_payload(user))
    with force_locale(message.payload.get("locale") or user.locale or "en"):
        body = render_template(
            "email/reset_password.txt", link=public_url("auth.reset_password", token=token)
        )
        return _("Reset your password"), body


def queue_invitation(invitation: Invitation) -> None:
    """Mail the link just issued (tracker.auth.invitations.issue_token) to the invitee."""
    if invitation.token is None:
        raise ValueError("issue a token before mailing an invitation")
    company = invitation.company
    queue_email(
        invitation.email,
        _("Join %(company)s on The Code", company=company.display_name),
        "invitation",
        invitation=invitation,
        link=public_url("auth.accept_invitation", token=invitation.token),
    )
