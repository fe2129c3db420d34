"""Where each member stands in its reporting: the first year it has not handed in a report for.

Standing (due, overdue, extension...) depends on the date and is derived at the moment it is
asked for; what it derives from, besides the date, is one number per member: the first reporting
year, from its first full one, without a report submitted or accepted. Reading that from the
reports takes a pass over all of them; the dashboard needs it for 100,000 members in a fraction of
a second, so it is kept on the membership (`first_unreported_year`), in the same flush as every
change that moves it: a membership joining (or its joining date changing), a report added,
removed or changing state. `refresh` recomputes it from the reports (the demo loader, and
`flask recompute-reporting` after a change of the reporting calendar); the tests check it
against the reports after each kind of change.
"""

from collections.abc import Iterable, Iterator
from datetime import UTC
from itertools import islice

from flask import current_app
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from tracker import derived
from tracker.companies.models import Membership, bump_version
from tracker.data_versions import STAFF, bump
from tracker.extensions import db
from tracker.reports.models import Report, ReportExtension
from tracker.reports.periods import ReportingCalendar
from tracker.reports.standing import HANDED_IN

BATCH = 5_000


def calendar() -> ReportingCalendar:
    return ReportingCalendar.from_config(current_app.config)


def first_unreported(joined, handed: Iterable[int], calendar: ReportingCalendar) -> int:
    """The first year from the member's first full one without a report handed in."""
    year, handed = calendar.first_full_year(joined.date()).year, set(handed)
    while year in handed:
        year += 1
    return year


def _handed(connection, company_ids) -> dict[int, set[int]]:
    query = select(Report.company_id, Report.year).where(
        Report.company_id.in_(company_ids), Report.state.in_(HANDED_IN)
    )
    found: dict[int, set[int]] = {}
    for company_id, year in connection.execute(query):
        found.setdefault(company_id, set()).add(year)
    return found


def _recompute(connection, company_ids: list[int]) -> list[dict]:
    joined = connection.execute(
        select(Membership.company_id, Membership.joined_at).where(
            Membership.company_id.in_(company_ids)
        )
    ).all()
    handed = _handed(connection, company_ids)
    cal = calendar()
    return [
        {"b_company": cid, "b_year": first_unreported(_aware(at), handed.get(cid, ()), cal)}
        for cid, at in joined
    ]


def _aware(at):
    """SQLite hands back naive datetimes through Core; they are UTC."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _chunks(items: Iterable[int], size: int) -> Iterator[list[int]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


UPDATE = (
    update(Membership.__table__)
    .where(Membership.__table__.c.company_id == bindparam("b_company"))
    .values(first_unreported_year=bindparam("b_year"))
)


def refresh(company_ids: Iterable[int] | None = None, progress=None) -> int:
    """Recompute the members' first unreported year from their reports (all members when
    `company_ids` is None); returns how many were updated. The caller commits."""
    connection = db.session.connection()
    if company_ids is None:
        company_ids = connection.scalars(select(Membership.company_id)).all()
    done = 0
    for chunk in _chunks(company_ids, BATCH):
        rows = _recompute(connection, chunk)
        if rows:
            connection.execute(UPDATE, rows)
        done += len(chunk)
        if progress is not None:
            progress(len(chunk))
    if done:
        # Standings change with the years: public and staff pages are made again.
        bump_version(db.session)
    db.session.expire_all()
    return done


JOINED_AT, STATE = frozenset({"joined_at"}), frozenset({"state"})


def _set_on_joining(session: Session) -> None:
    """A new membership starts at its first full year; a changed joining date moves it. An
    extension changes standings: staff pages kept until the data changes are made again (and
    public ones: data_versions.PUBLIC_RECORD lists extensions)."""
    if any(isinstance(obj, ReportExtension) for obj in (*session.new, *session.dirty)):
        bump(session, STAFF)
    new = session.new  # once: `obj in session.new` builds the set again at each question
    for obj in (*new, *session.dirty):
        if not isinstance(obj, Membership) or obj.joined_at is None:
            continue
        if obj in new or derived.has_changed(obj, JOINED_AT):
            handed = _handed(session.connection(), [obj.company_id]) if obj.company_id else {}
            obj.first_unreported_year = first_unreported(
                obj.joined_at, handed.get(obj.company_id, ()), calendar()
            )


def _follow_reports(session: Session) -> None:
    """After reports were added, removed or changed state, move their members' year (and the
    data version that kept pages depend on)."""
    changed = {
        obj.company_id
        for obj, whole in derived.flushed(session)
        if isinstance(obj, Report)
        and obj.company_id is not None
        and (whole or derived.has_changed(obj, STATE))
    }
    if not changed:
        return
    connection = session.connection()
    rows = _recompute(connection, sorted(changed))
    if rows:
        connection.execute(UPDATE, rows)
    # Standings and the dashboard's figures change with them (see page_cache); whether the
    # public sees the change is data_versions' to say (a report's state is on its list).
    bump(connection, STAFF)
    years = {row["b_company"]: row["b_year"] for row in rows}
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Membership) and obj.company_id in years:
            # What the row now holds, without marking the membership changed.
            set_committed_value(obj, "first_unreported_year", years[obj.company_id])


# The keepers (tracker/derived.py; the factory says when they run).
ON_JOINING = derived.Keeper(
    "membership's first unreported year on joining; staff version on extensions",
    derived.BEFORE_FLUSH,
    derived.watching(Membership="joined_at", ReportExtension=None),
    _set_on_joining,
)
FOLLOWING_REPORTS = derived.Keeper(
    "members' first unreported year after their reports changed",
    derived.AFTER_FLUSH,
    derived.watching(Report="state"),
    _follow_reports,
)
