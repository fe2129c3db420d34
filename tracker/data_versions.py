"""Data versions: the counters that kept pages, figures, files and indexes are keyed on.

Two rows of `data_versions`. `companies` (STAFF) moves with every transaction that changes a
company, a membership, a report or an extension: staff pages show everything. `public` (PUBLIC)
moves only when something the public sees may have changed, as `PUBLIC_RECORD` below declares,
so an applicant (or a member) re-saving its contact details thirty times a second empties no
public page, open-data file or supplier index. Every move of PUBLIC also moves STAFF, in that
order: the row locks are always taken STAFF first, so two transactions cannot deadlock on them.

This module is shared: it names the models it watches by class name and imports no feature.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Connection, Integer, String, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from tracker import derived
from tracker.extensions import db

STAFF = "companies"
PUBLIC = "public"


class DataVersion(db.Model):
    """A counter moved by the transactions that change what it stands for, in the order they
    commit (the UPDATE's row lock lasts until then). Rows: STAFF and PUBLIC."""

    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


# What the public sees -----------------------------------------------------------------------


def _company_on_record(company) -> bool:
    """Members, and former members (their verify page and the feed still name them):
    `Company.has_membership`, asked by name (this module imports no feature)."""
    return company is not None and company.has_membership


@dataclass(frozen=True)
class Watched:
    """A model's attributes the public sees, and whose rows they are public for."""

    fields: frozenset[str]
    on_record: Callable[[object], bool]  # does this row belong to the public record?
    rows: bool = True  # adding or removing a row is itself a public change


def fields(names: str) -> frozenset[str]:
    return frozenset(names.split())


def _always(row) -> bool:
    return True  # only members have them


# The one place that says which changes are public. An applicant is never public; a member's
# contact details, revenue band, colleagues and report drafts are not either. Derived columns
# (search_name, stored_stage, slug) are listed so that code setting them directly counts too.
PUBLIC_RECORD: dict[str, Watched] = {
    "Company": Watched(
        fields(
            "legal_name display_name type hq_country website slug search_name stored_stage"
            " operations publish_properties publish_legal_name representative representative_id"
        ),
        _company_on_record,
    ),
    # A row whose text staff have not seen yet shows nothing but its (approved) country.
    "Operation": Watched(
        fields("country_code property_name city reviewed"),
        lambda operation: operation.reviewed and _company_on_record(operation.company),
    ),
    "Membership": Watched(
        fields("number joined_at standing standing_since first_unreported_year"),
        _always,
    ),
    # A new report is a draft, which is not public; submitting, returning and accepting are
    # (the profile lists reports, standings and figures follow them).
    "Report": Watched(fields("state"), _always, rows=False),
    "ReportExtension": Watched(fields("company_id year due_on"), _always),
    # Top Member titles are published from the moment they are named or withdrawn.
    "TopMemberAward": Watched(fields("year withdrawn_at"), _always),
    # The profile says which version of the criteria a member signed: signing again is public.
    "Signature": Watched(fields("criteria_version"), lambda row: _company_on_record(row.company)),
    # Verify says whether a member's membership year is paid for (billing/standing.py).
    "Invoice": Watched(
        fields("state year kind"), lambda invoice: _company_on_record(invoice.company)
    ),
    # Country pages and members' profiles show representatives' public contact.
    "Representative": Watched(fields("name website email phone countries"), _always),
    "RepresentativeCountry": Watched(fields("country_code"), _always),
}


def changes_public_record(obj, whole: bool) -> bool:
    """Whether flushing `obj` (added or removed `whole`, else changed) changes what the public
    sees (see PUBLIC_RECORD)."""
    watched = PUBLIC_RECORD.get(type(obj).__name__)
    if watched is None:
        return False
    changed = watched.rows if whole else derived.has_changed(obj, watched.fields)
    return changed and watched.on_record(obj)


def _move_public_version(session: Session) -> None:
    """After a flush that changed the public record, move both versions. (After the flush:
    the other hooks' derived changes are in; `new`, `dirty` and the history still tell.)"""
    if any(changes_public_record(obj, whole) for obj, whole in derived.flushed(session)):
        bump(session.connection(), STAFF, PUBLIC)


# Rows staff figures count that change no company row: the dashboard's fees and plans pending.
STAFF_RECORD = frozenset({"Invoice", "Plan"})


def _move_staff_version(session: Session) -> None:
    """After a flush that added or changed an invoice or a plan, move the staff version (kept
    staff figures count them; the public sees neither)."""
    flushed = (*session.new, *session.dirty, *session.deleted)
    if any(type(obj).__name__ in STAFF_RECORD for obj in flushed):
        bump(session.connection(), STAFF)


# The keepers (tracker/derived.py; the factory says when they run).
PUBLIC_VERSION = derived.Keeper(
    "public data version",
    derived.AFTER_FLUSH,
    {model: watched.fields for model, watched in PUBLIC_RECORD.items()},
    _move_public_version,
)
STAFF_VERSION = derived.Keeper(
    "staff data version for invoices and plans",
    derived.AFTER_FLUSH,
    dict.fromkeys(STAFF_RECORD, derived.ANY_FIELD),
    _move_staff_version,
)


# Moving and reading ---------------------------------------------------------------------------


def bump(target: Session | Connection, *names: str) -> None:
    """Move the versions `names` (STAFF before PUBLIC, whatever order they are given in).
    The row locks this takes last until commit: a page rendered before a change commits never
    carries the version after it."""
    table = DataVersion.__table__
    for name in sorted(names, key=(STAFF, PUBLIC).index):
        moved = target.execute(
            update(table).where(table.c.name == name).values(value=table.c.value + 1)
        )
        if moved.rowcount == 0:  # the migrations add the rows; an emptied table gets them back
            target.execute(insert(table).values(name=name, value=1))


def read(name: str) -> int:
    """The version as committed (0 before it ever moved)."""
    query = select(DataVersion.value).where(DataVersion.name == name)
    return db.session.scalar(query) or 0


def staff_version() -> str:
    """Keys staff pages and figures: moves with every change of a company or its reports."""
    return str(read(STAFF))


def public_version() -> str:
    """Keys public pages, their figures, the open-data files and the supplier check's index;
    read at most once per PUBLIC_VERSION_TTL seconds in each worker.

    On a kept public page that one query is most of the work; public pages may be a second or
    so late (browsers and proxies may keep them for minutes anyway), staff pages never are.
    """
    ttl = current_app.config["PUBLIC_VERSION_TTL"]
    memo = current_app.extensions.setdefault("public_data_version", {"value": None, "at": 0.0})
    now = time.monotonic()
    if memo["value"] is None or now - memo["at"] >= ttl:
        memo["value"], memo["at"] = str(read(PUBLIC)), now
    return memo["value"]
