"""Outgoing e-mail, rendered from templates/email/ and sent after the transaction commits."""

from flask import current_app, render_template
from flask_mailman import EmailMessage


def send_email(to: str, subject: str, template: str, **context) -> None:
    """Send one plain-text message through the configured backend (SMTP, console or file)."""
    body = render_template(f"email/{template}.txt", **context)
    message = EmailMessage(
        subject=f"[The Code] {subject}",
        body=body,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[to],
    )
    message.send()
