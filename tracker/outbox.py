"""The outbox: e-mail written in the same transaction as the change it reports, sent later.

A view queues messages and commits once; a rollback drops them with the change. Delivery runs
after the response has gone out (or from `flask --app wsgi send-mail`), so a slow or broken mail
server never breaks a request, never changes what a page says, and never shows in its timing.
"""

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from flask import Flask, current_app, g, render_template
from flask_babel import force_locale, get_locale
from sqlalchemy import JSON, Integer, String, Text, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.utils import import_string

from tracker.extensions import db
from tracker.mail import send_message
from tracker.models_base import LabelledEnum, UTCDateTime, enum_column_type, utcnow

log = logging.getLogger(__name__)

CLAIM_TIME = timedelta(minutes=5)  # a crashed sender's claim lapses after this
MAX_BACKOFF = timedelta(hours=1)

# Messages whose text is written only at delivery: the request that queues them does the same
# work whether or not the address has an account (see auth.emails).
DEFERRED_RENDERERS = {"password_reset": "tracker.auth.emails:render_password_reset"}


class OutboxStatus(LabelledEnum):
    PENDING = "pending"
    SENT = "sent"
    SKIPPED = "skipped"  # a deferred message that turned out to have no one to go to


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recipient: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(255))
    body: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column_type(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status.value}>"


def queue_email(
    to: str, subject, template: str, locale: str | None = None, **context
) -> OutboxMessage:
    """Render `templates/email/<template>.txt` now and queue it in the current transaction.

    Written in `locale` (the recipient's language, when known), else in the request's; pass
    the subject lazily (`_l`) when the two may differ.
    """
    with force_locale(locale or str(get_locale())):
        body = render_template(f"email/{template}.txt", **context)
        subject = str(subject)
    return _add(OutboxMessage(recipient=to, kind=template, subject=subject, body=body))


def queue_deferred(kind: str, to: str, **payload) -> OutboxMessage:
    """Queue a message that DEFERRED_RENDERERS[kind] writes at delivery (or skips)."""
    if kind not in DEFERRED_RENDERERS:
        raise ValueError(f"no renderer for deferred e-mail {kind!r}")
    # Written at delivery, outside any request: keep the language it was asked in.
    payload.setdefault("locale", str(get_locale()))
    return _add(OutboxMessage(recipient=to, kind=kind, payload=payload))


def _add(message: OutboxMessage) -> OutboxMessage:
    db.session.add(message)
    db.session.flush()
    g.setdefault("outbox_ids", []).append(message.id)
    return message


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _claim(message_id: int) -> bool:
    """Take a due message for this sender; False if it is sent, not due or someone has it."""
    now = utcnow()
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .values(claimed_until=now + CLAIM_TIME, attempts=OutboxMessage.attempts + 1)
    )
    db.session.commit()
    return result.rowcount == 1


def _render(message: OutboxMessage) -> bool:
    """Fill in a deferred message; False when it has no one to go to."""
    if message.body is not None:
        return True
    rendered = import_string(DEFERRED_RENDERERS[message.kind])(message)
    if rendered is None:
        return False
    message.subject, message.body = rendered
    return True


def deliver_one(message_id: int) -> OutboxStatus | None:
    """Send one due message; returns its status afterwards, None if it was not ours to send."""
    if not _claim(message_id):
        return None
    message = db.session.get(OutboxMessage, message_id)
    message.claimed_until = None
    try:
        if not _render(message):
            message.status = OutboxStatus.SKIPPED
        else:
            send_message(message.recipient, message.subject, message.body)
            message.status, message.sent_at, message.last_error = OutboxStatus.SENT, utcnow(), None
    except Exception as error:  # any failure: keep it queued and try again later
        db.session.rollback()
        message = db.session.get(OutboxMessage, message_id)
        message.claimed_until = None
        message.last_error = f"{type(error).__name__}: {error}"[:500]
        message.next_attempt_at = utcnow() + _backoff(message.attempts)
        log.warning("e-mail %s to @%s failed: %s", message.id, _domain(message), message.last_error)
    db.session.commit()
    return message.status


def _domain(message: OutboxMessage) -> str:
    return message.recipient.rpartition("@")[2]


def due_message_ids(limit: int | None = None) -> list[int]:
    now = utcnow()
    query = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def pending_count() -> int:
    query = select(db.func.count()).where(OutboxMessage.status == OutboxStatus.PENDING)
    return db.session.scalar(query)


def _deliver_after_response(app: Flask, message_ids: list[int]) -> None:
    # Runs when the WSGI server closes the response, outside the request's app context.
    with app.app_context():
        for message_id in message_ids:
            try:
                deliver_one(message_id)
            except Exception:  # the database itself failed: `send-mail` will pick it up
                log.exception("delivery after response failed; left for send-mail")
                db.session.rollback()


def _schedule_delivery(response):
    message_ids = g.pop("outbox_ids", None)
    if message_ids and current_app.config["MAIL_DELIVER_AFTER_RESPONSE"]:
        app = current_app._get_current_object()
        response.call_on_close(partial(_deliver_after_response, app, message_ids))
    return response


def init_app(app: Flask) -> None:
    app.after_request(_schedule_delivery)
