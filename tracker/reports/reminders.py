"""Report reminders: `flask --app wsgi send-reminders` e-mails members about reports due.

For each member (active or suspended) and each reporting year it owes or will soon owe, the
report's due date (an extension's, when staff granted one) decides the reminder:

- 90 days before: 30 < days until due <= 90;
- 30 days before: 0 < days until due <= 30;
- on the day: the due date is today;
- overdue: the due date has passed (once per year's report, not once a day).

Only the most urgent of these applies in a run, so a member first met 20 days before its due
date (one that joined late, or a first run of the command) gets the 30-day reminder only, never
a 90-day one afterwards; and because each is a window rather than one day, a run missed for a
day or two is caught up by the next. Nothing goes for a report submitted or accepted ("handed
in"); a draft, a returned report or one not started is reminded of.

Each reminder goes to the company's owner (its contact e-mail when it has no active owner), and a
copy to every active Local Code Representative of one of its countries of operation; a company
with neither an owner nor a contact e-mail is skipped (and reminded once it has one).

Never twice: a `ReportReminder` row (unique per company, year and kind) is written in the same
transaction as the e-mail it stands for, so a second run, or a second copy of the command running
at the same time, queues nothing more. One consequence: each kind goes once per year's report,
so after an extension the reminders already sent for the old date are not repeated; those still
to come count from the new date.

Safe to run daily from cron (the e-mail goes through the outbox, and the command delivers it):

    0 6 * * * cd /srv/tracker && .venv/bin/flask --app wsgi send-reminders

`--date YYYY-MM-DD` runs it as on another day, to test or to catch up.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from tracker.auth.models import RepresentativeCountry, Role, User
from tracker.companies.models import Company
from tracker.companies.queries import reporting_member
from tracker.extensions import db
from tracker.outbox import queue_email
from tracker.reports import services
from tracker.reports.models import (
    ReminderKind,
    Report,
    ReportExtension,
    ReportReminder,
    ReportState,
)
from tracker.reports.standing import HANDED_IN, effective_due, owed_years
from tracker.urls import public_url

BATCH_SIZE = 500  # members loaded, reminded and committed at a time


@dataclass(frozen=True)
class Recipient:
    email: str
    locale: str | None


def kind_for(days_until_due: int) -> ReminderKind | None:
    """The reminder due `days_until_due` days before the due date (negative once passed)."""
    if days_until_due < 0:
        return ReminderKind.OVERDUE
    if days_until_due == 0:
        return ReminderKind.DUE_TODAY
    if days_until_due <= 30:
        return ReminderKind.DUE_IN_30_DAYS
    if days_until_due <= 90:
        return ReminderKind.DUE_IN_90_DAYS
    return None


def member_count() -> int:
    """How many members `queue_reminders` goes through: for a progress bar."""
    return db.session.scalar(select(func.count(Company.id)).where(reporting_member()))


def queue_reminders(
    on: date, progress: Callable[[int], object] | None = None, batch_size: int = BATCH_SIZE
) -> Counter[ReminderKind]:
    """Queue the reminders due on `on` that were not queued before; commits batch by batch.

    Returns how many of each kind it queued (every kind present, zero when none); `progress`
    is called with the number of members after each batch.
    """
    counts: Counter[ReminderKind] = Counter({kind: 0 for kind in ReminderKind})
    representatives = _representatives()
    after = 0
    while True:
        ids = list(
            db.session.scalars(
                select(Company.id)
                .where(reporting_member(), Company.id > after)
                .order_by(Company.id)
                .limit(batch_size)
            )
        )
        if not ids:
            break
        counts.update(_queue_batch(ids, on, representatives))
        db.session.commit()  # the session holds its objects weakly: a batch leaves no trace
        if progress is not None:
            progress(len(ids))
        after = ids[-1]
    return counts


def _representatives() -> dict[str, list[Recipient]]:
    """Active Local Code Representatives by country code."""
    rows = db.session.execute(
        select(RepresentativeCountry.country_code, User.email, User.locale)
        .join(User, RepresentativeCountry.representative_id == User.representative_id)
        .where(User.role == Role.REPRESENTATIVE, User.deactivated_at.is_(None))
        .order_by(User.id)
    )
    by_country: dict[str, list[Recipient]] = defaultdict(list)
    for code, email, locale in rows:
        by_country[code].append(Recipient(email, locale))
    return by_country


def _queue_batch(
    ids: list[int], on: date, representatives: dict[str, list[Recipient]]
) -> Counter[ReminderKind]:
    companies = db.session.scalars(
        select(Company)
        .where(Company.id.in_(ids))
        .options(selectinload(Company.operations))
        .order_by(Company.id)
    )
    owners = {
        user.company_id: Recipient(user.email, user.locale)
        for user in db.session.scalars(
            select(User).where(
                User.company_id.in_(ids), User.is_owner, User.deactivated_at.is_(None)
            )
        )
    }
    handed_in, extensions = _handed_in(ids), _extensions(ids)
    already = already_sent(ids)
    counts: Counter[ReminderKind] = Counter()
    for company in companies:
        to = owners.get(company.id)
        if to is None and company.contact_email:
            to = Recipient(company.contact_email, None)
        if to is None:
            continue
        for year in owed_years(services.open_years(company, on), handed_in[company.id]):
            due = effective_due(year, extensions[company.id])
            kind = kind_for((due - on).days)
            if kind is None or (company.id, year.year, kind) in already:
                continue
            copies = _copies_for(company, representatives, to)
            if _queue_one(company, year.year, kind, due, on, to, copies):
                counts[kind] += 1
    return counts


def _handed_in(ids: list[int]) -> defaultdict[int, dict[int, ReportState]]:
    """The states of the reports handed in, by company and year: nothing is owed for them."""
    query = select(Report.company_id, Report.year, Report.state).where(
        Report.company_id.in_(ids), Report.state.in_(HANDED_IN)
    )
    states: defaultdict[int, dict[int, ReportState]] = defaultdict(dict)
    for company_id, year, state in db.session.execute(query):
        states[company_id][year] = state
    return states


def _extensions(ids: list[int]) -> defaultdict[int, dict[int, date]]:
    """The extended due dates, by company and year."""
    query = select(ReportExtension.company_id, ReportExtension.year, ReportExtension.due_on).where(
        ReportExtension.company_id.in_(ids)
    )
    extensions: defaultdict[int, dict[int, date]] = defaultdict(dict)
    for company_id, year, due_on in db.session.execute(query):
        extensions[company_id][year] = due_on
    return extensions


def already_sent(ids: list[int]) -> set[tuple[int, int, ReminderKind]]:
    """The reminders on record for these companies. Read before queueing to save work; the
    unique key still decides when another run queues the same reminder meanwhile."""
    query = select(ReportReminder.company_id, ReportReminder.year, ReportReminder.kind).where(
        ReportReminder.company_id.in_(ids)
    )
    return {(company_id, year, kind) for company_id, year, kind in db.session.execute(query)}


def _copies_for(
    company: Company, representatives: dict[str, list[Recipient]], to: Recipient
) -> list[Recipient]:
    """The representatives of the company's countries of operation, each once."""
    seen = {to.email.lower()}
    copies = []
    for code in company.country_codes:
        for representative in representatives.get(code, ()):
            if representative.email.lower() not in seen:
                seen.add(representative.email.lower())
                copies.append(representative)
    return copies


def _queue_one(
    company: Company,
    year: int,
    kind: ReminderKind,
    due: date,
    on: date,
    to: Recipient,
    copies: list[Recipient],
) -> bool:
    """Record the reminder and queue its e-mail together; False if it was on record already
    (another run got there first: its savepoint is rolled back, nothing is queued)."""
    context = dict(
        company=company,
        year=year,
        kind=kind.value,
        due=due,
        days_until_due=max((due - on).days, 0),
        days_overdue=max((on - due).days, 0),
    )
    try:
        with db.session.begin_nested():
            db.session.add(ReportReminder(company_id=company.id, year=year, kind=kind))
            db.session.flush()
            queue_email(
                to.email,
                subject(kind, year, due),
                "report_reminder",
                locale=to.locale,
                link=public_url("reports.index"),
                **context,
            )
            for copy in copies:
                queue_email(
                    copy.email,
                    subject(kind, year, due, company=company.display_name),
                    "report_reminder_copy",
                    locale=copy.locale,
                    link=public_url("review.detail", company_id=company.id),
                    recipient=to.email,
                    **context,
                )
    except IntegrityError:
        return False
    return True


def subject(kind: ReminderKind, year: int, due: date, company: str | None = None) -> LazyString:
    """The subject, written when the e-mail is (in its recipient's language); a copy for a
    representative (`company` given) names the company."""
    return LazyString(_subject, kind, year, due, company)


def _subject(kind: ReminderKind, year: int, due: date, company: str | None) -> str:
    when = format_date(due, "long")
    if company is None:
        if kind is ReminderKind.OVERDUE:
            return _("Your %(year)s report to The Code is overdue", year=year)
        if kind is ReminderKind.DUE_TODAY:
            return _("Your %(year)s report to The Code is due today", year=year)
        return _("Your %(year)s report to The Code is due on %(date)s", year=year, date=when)
    if kind is ReminderKind.OVERDUE:
        return _("Copy: the %(year)s report of %(company)s is overdue", year=year, company=company)
    if kind is ReminderKind.DUE_TODAY:
        return _(
            "Copy: the %(year)s report of %(company)s is due today", year=year, company=company
        )
    return _(
        "Copy: the %(year)s report of %(company)s is due on %(date)s",
        year=year,
        company=company,
        date=when,
    )
