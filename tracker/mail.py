"""Sending one e-mail through the configured backend (SMTP, console or file)."""

from flask import current_app
from flask_mailman import EmailMessage


def send_message(to: str, subject: str, body: str) -> None:
    """Send one plain-text message now; raises whatever the backend raises."""
    message = EmailMessage(
        subject=f"[The Code] {subject}",
        body=body,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[to],
    )
    message.send()
