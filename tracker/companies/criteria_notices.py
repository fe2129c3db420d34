"""E-mail to members asked to sign a new version of the criteria (`flask --app wsgi criteria
notify`, also run by `send-reminders`).

Who: every active member whose latest signature names an earlier version than the one in force
(`queries.must_sign_again`, the SQL twin of `Company.must_sign_again`, which the dashboard's
notice reads too). Suspended members see that notice on their dashboard but are not e-mailed:
their standing is being dealt with first, and they are e-mailed once reinstated if still asked.

What: one e-mail per member and version, to the owner (the contact e-mail when the company has
no active owner), in the owner's language, naming the criteria whose text changed (from
criteria.py) and linking to the sign page; then one reminder CRITERIA_RESIGN_REMINDER_DAYS
later if the member has still not signed. Each is audited.

Why a table (`CriteriaNotice`) rather than a query on the audit trail: its unique key (company,
version) is what makes a second run, or two runs at once, queue nothing more, as
`ReportReminder` does for report reminders; and when the reminder is due is an indexed date
column, where the audit trail would need a JSON field read differently on SQLite and
PostgreSQL. The audit entries remain the history a person reads.
"""

from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from tracker import audit
from tracker.audit import AuditAction
from tracker.auth.models import User
from tracker.companies import queries
from tracker.companies.criteria import changes, current_version
from tracker.companies.enums import Stage
from tracker.companies.models import Company
from tracker.companies.signatures import CriteriaNotice
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.outbox import queue_email
from tracker.urls import public_url

BATCH_SIZE = 500  # members loaded, e-mailed and committed at a time
NOTICE = "notice"
REMINDER = "reminder"


def asked():
    """The condition on Company for being e-mailed: active, and asked to sign again."""
    return queries.in_stage(Stage.ACTIVE) & queries.must_sign_again()


def member_count() -> int:
    """How many members `queue_notices` goes through: for a progress bar."""
    return db.session.scalar(select(func.count(Company.id)).where(asked()))


def queue_notices(
    now: datetime | None = None,
    progress: Callable[[int], object] | None = None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
) -> Counter[str]:
    """Queue the notices and reminders due at `now` (default: now), committing batch by batch;
    with `dry_run`, only count them. Returns the counts of NOTICE and REMINDER."""
    now = now or utcnow()
    reminder_before = now - timedelta(days=current_app.config["CRITERIA_RESIGN_REMINDER_DAYS"])
    counts: Counter[str] = Counter({NOTICE: 0, REMINDER: 0})
    after = 0
    while ids := _next_batch(after, batch_size):
        counts.update(_batch(ids, now, reminder_before, dry_run))
        if not dry_run:
            db.session.commit()  # the session holds its objects weakly: a batch leaves no trace
        if progress is not None:
            progress(len(ids))
        after = ids[-1]
    return counts


def _next_batch(after: int, batch_size: int) -> list[int]:
    query = select(Company.id).where(asked(), Company.id > after).order_by(Company.id)
    return list(db.session.scalars(query.limit(batch_size)))


def _batch(ids: list[int], now: datetime, reminder_before: datetime, dry_run: bool) -> Counter:
    version = current_version()
    companies = db.session.scalars(
        select(Company)
        .where(Company.id.in_(ids))
        .options(selectinload(Company.signatures))
        .order_by(Company.id)
    )
    owners = {
        user.company_id: (user.email, user.locale)
        for user in db.session.scalars(
            select(User).where(
                User.company_id.in_(ids), User.is_owner, User.deactivated_at.is_(None)
            )
        )
    }
    notices = {
        notice.company_id: notice
        for notice in db.session.scalars(
            select(CriteriaNotice).where(
                CriteriaNotice.company_id.in_(ids), CriteriaNotice.criteria_version == version
            )
        )
    }
    counts: Counter[str] = Counter()
    for company in companies:
        to = owners.get(company.id) or (company.contact_email, None)
        notice = notices.get(company.id)
        if notice is None:
            kind = NOTICE
        elif notice.reminded_at is None and notice.sent_at <= reminder_before:
            kind = REMINDER
        else:
            continue
        if dry_run or _send(company, version, kind, to, now):
            counts[kind] += 1
    return counts


def _send(company: Company, version: str, kind: str, to: tuple, now: datetime) -> bool:
    """Record the notice (or its reminder), audit it and queue its e-mail together; False if
    another run recorded it first (nothing is queued then)."""
    try:
        with db.session.begin_nested():
            if kind == NOTICE:
                db.session.add(
                    CriteriaNotice(company_id=company.id, criteria_version=version, sent_at=now)
                )
                db.session.flush()
            elif not _claim_reminder(company.id, version, now):
                return False
            _audit_and_queue(company, version, kind, to)
    except IntegrityError:
        return False
    return True


def _claim_reminder(company_id: int, version: str, now: datetime) -> bool:
    """Mark the reminder sent, unless another run did: only one update finds it unsent."""
    result = db.session.execute(
        update(CriteriaNotice)
        .where(
            CriteriaNotice.company_id == company_id,
            CriteriaNotice.criteria_version == version,
            CriteriaNotice.reminded_at.is_(None),
        )
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _audit_and_queue(company: Company, version: str, kind: str, to: tuple) -> None:
    signed = company.latest_signature.criteria_version
    reminder = kind == REMINDER
    action = AuditAction.CRITERIA_REMINDER_SENT if reminder else AuditAction.CRITERIA_NOTICE_SENT
    audit.record(action, company=company, criteria_version=version, signed_version=signed)
    email, locale = to
    queue_email(
        email,
        subject(version, reminder=reminder),
        "criteria_changed",
        locale=locale,
        company=company,
        version=version,
        signed=signed,
        changed=changes(signed, version),
        reminder=reminder,
        link=public_url("companies.sign"),
    )


def subject(version: str, reminder: bool = False):
    """The subject, lazy: written in the recipient's language when the e-mail is."""
    if reminder:
        return _l(
            "Reminder: please sign version %(version)s of The Code's criteria", version=version
        )
    return _l("The Code's criteria have changed: please sign version %(version)s", version=version)
