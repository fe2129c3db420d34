"""Applications saved unfinished: one draft per user, kept until the user applies."""

import json
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from tracker.auth.models import User
from tracker.companies.applications import ApplicationDraft
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow

# The most a draft may hold, as UTF-8 JSON: a full form of ordinary rows is far less, and the
# request limits (config.py) already bound what arrives; this bounds what is kept per user.
MAX_DRAFT_BYTES = 64 * 1024


def draft_of(user: User) -> ApplicationDraft | None:
    return db.session.scalar(select(ApplicationDraft).where(ApplicationDraft.user_id == user.id))


def save_draft(user: User, data: dict) -> datetime:
    """Keep `data` (the form's values) as the user's draft, replacing any earlier one; returns
    when it was saved.

    :raises DomainError: if the user already belongs to a company, or the draft is too large.
    """
    # The account's row, taken on the condition that it has no company yet (a write that
    # changes nothing, for its lock): an application sent meanwhile either is seen here, or
    # waits for this draft and then deletes it with the others (submit_application).
    held = db.session.execute(
        update(User).where(User.id == user.id, User.company_id.is_(None)).values(company_id=None)
    )
    if held.rowcount != 1:
        raise DomainError.on(None, _("This account already belongs to a company."))
    if len(json.dumps(data, ensure_ascii=False).encode()) > MAX_DRAFT_BYTES:
        raise DomainError.on(
            None,
            _("This draft is too long to keep. Remove some operations, or submit the application."),
        )
    now = utcnow()
    if not _overwrite(user.id, data, now):
        try:
            with db.session.begin_nested():
                db.session.add(ApplicationDraft(user_id=user.id, data=data, saved_at=now))
        except IntegrityError:  # a parallel save made the row first: this later one wins
            _overwrite(user.id, data, now)
    return now


def _overwrite(user_id: int, data: dict, now: datetime) -> bool:
    """Replace the user's draft; False if there is none."""
    result = db.session.execute(
        update(ApplicationDraft)
        .where(ApplicationDraft.user_id == user_id)
        .values(data=data, saved_at=now)
    )
    return result.rowcount == 1


def discard_draft(user: User) -> None:
    """Remove the user's draft, if any (in the caller's transaction: with the application)."""
    db.session.execute(delete(ApplicationDraft).where(ApplicationDraft.user_id == user.id))
