"""Open data besides the API: the directory as CSV, and an Atom feed of listing changes.

The CSV of a search is written once per public data version and day into
EXPORT_FOLDER/<day>-<version>/ (csv_export.kept_file) and sent from there as a file, so a
download costs a file send; the whole directory at 100,000 companies takes seconds to write.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, current_app, request, send_file
from flask_babel import gettext as _
from sqlalchemy import select

from tracker.audit import AuditAction, AuditEntry
from tracker.companies.models import Company
from tracker.csv_export import csv_lines, kept_file
from tracker.directory.open_data.readable_csv import readable_header, readable_row
from tracker.directory.open_data.representation import CSV_HEADER, csv_row
from tracker.directory.search import listing
from tracker.directory.search.filters import DirectoryFilterForm
from tracker.directory.search.listing import Filters, Listed
from tracker.extensions import db, limiter
from tracker.languages.selection import current_language
from tracker.models_base import utcnow
from tracker.page_cache import public_data_version, public_page
from tracker.reports import services
from tracker.text_rules import xml_safe
from tracker.urls import public_url

bp = Blueprint("open_data", __name__)

CSV_CHUNK = 1000  # members loaded at a time: memory stays flat however many match
FEED_LENGTH = 50
CSV_MAX_AGE = 300  # seconds a browser or proxy may keep a download without asking

# What partners following their suppliers need to know, and how the feed says it.
LISTING_CHANGES = {
    AuditAction.COMPANY_SIGNED.value: "joined",
    AuditAction.MEMBERSHIP_SUSPENDED.value: "suspended",
    AuditAction.MEMBERSHIP_REINSTATED.value: "reinstated",
    AuditAction.MEMBERSHIP_WITHDRAWN.value: "withdrawn",
    AuditAction.MEMBERSHIP_EXPELLED.value: "expelled",
}


def csv_allowance() -> str:
    return current_app.config["CSV_RATE_LIMIT"]


@bp.get("/signatories.csv")
# Per download, kept file or not: a whole directory is megabytes to send, and a file not kept
# yet is seconds of a worker's time to write.
@limiter.limit(csv_allowance)
def signatories_csv():
    """Every member the filters ask for (no pages), as a file written once per public data
    version and sent as a file: ETag, Last-Modified, 304 and ranges (206) come with it."""
    return kept_download(MACHINE)


@bp.get("/signatories/readable.csv")
@limiter.limit(csv_allowance)
def signatories_readable_csv():
    """The same members for people, in the reader's language: one kept file per language."""
    response = kept_download(Variant(current_language(), readable_header, readable_row))
    response.vary.update(("Cookie", "Accept-Language"))
    response.headers["Content-Language"] = current_language()
    return response


@dataclass(frozen=True)
class Variant:
    """What a CSV's file name says beyond its search (None: the machine CSV), and how its
    header and rows are written."""

    suffix: str | None
    header: Callable[[], list[str]]
    row: Callable[[Listed], list]

    @property
    def download_name(self) -> str:
        return f"signatories-{self.suffix}.csv" if self.suffix else "signatories.csv"


MACHINE = Variant(None, lambda: CSV_HEADER, csv_row)


def kept_download(variant: Variant) -> Response:
    form = DirectoryFilterForm(request.args)
    if not form.validate():
        fields = ", ".join(sorted(form.errors))
        return Response(f"Invalid filters: {fields}\n", 400, mimetype="text/plain")
    filters = form.filters()
    on = services.today()
    version = f"{on.isoformat()}-{public_data_version()}"  # standings change with the day
    name = csv_name(filters)
    if variant.suffix:  # after the search's name, so a whole list's file keeps its "all-"
        name = f"{name}-{variant.suffix}"
    try:
        return send_kept(version, name, filters, on, variant)
    except FileNotFoundError:  # removed for a newer version meanwhile: written once more
        return send_kept(version, name, filters, on, variant)


def send_kept(version: str, name: str, filters: Filters, on, variant: Variant) -> Response:
    """:raises FileNotFoundError: when the file was removed between its writing and sending."""
    path = kept_file(
        export_folder(),
        version,
        name,
        lambda out: write_csv(out, filters, on, variant),
        not filters.narrowed,
    )
    # The ETag names the file (maybe the version before): one per search and language.
    return send_csv(path, etag=f"{path.parent.name}-{name}", download_name=variant.download_name)


def export_folder() -> Path:
    return Path(current_app.config["EXPORT_FOLDER"])


def csv_name(filters: Filters) -> str:
    """One name per search: what it finds, not how it was typed (the words' order and case)."""
    if not filters.narrowed:
        return f"all-{filters.sort.value}"
    asked = [
        sorted(set(filters.words)),
        filters.country,
        filters.type.value if filters.type else None,
        filters.standing.value if filters.standing else None,
        filters.city,
        filters.sort.value,
    ]
    return hashlib.sha256(json.dumps(asked).encode()).hexdigest()[:32]


def write_csv(out: IO[str], filters: Filters, on, variant: Variant = MACHINE) -> None:
    """The members `filters` find, loaded in chunks: memory stays flat however many match."""
    ids = db.session.scalars(
        listing.ids_in_order(filters, on).execution_options(yield_per=CSV_CHUNK)
    )

    def rows():
        while chunk := list(islice(ids, CSV_CHUNK)):
            yield from (variant.row(item) for item in listing.listed(chunk, on))
            db.session.expunge_all()  # what was loaded for this chunk is not needed again

    out.writelines(csv_lines(variant.header(), rows()))


def send_csv(path: Path, etag: str, download_name: str = "signatories.csv") -> Response:
    response = send_file(
        path,
        mimetype="text/csv",
        as_attachment=True,
        download_name=download_name,
        conditional=True,
        etag=etag,
        max_age=CSV_MAX_AGE,
    )
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{download_name}"'
    return response


@bp.get("/signatories/changes.atom")
@public_page
def changes_feed():
    feed = FeedGenerator()
    feed.id(public_url("open_data.changes_feed"))
    feed.title(_("The Code: changes to the list of members"))
    feed.subtitle(
        _("Companies that joined The Code, and those suspended, reinstated, withdrawn or expelled.")
    )
    feed.author({"name": "ECPAT International", "email": current_app.config["CONTACT_EMAIL"]})
    feed.link(href=public_url("open_data.changes_feed"), rel="self")
    feed.link(href=public_url("directory.signatories"), rel="alternate")
    feed.language("en")
    entries = latest_changes()
    feed.updated(entries[0][0].created_at if entries else utcnow())
    for entry, company in reversed(entries):  # feedgen puts each new entry first
        add_entry(feed, entry, company)
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")


def latest_changes() -> list[tuple[AuditEntry, Company]]:
    return [
        (entry, company)
        for entry, company in db.session.execute(
            select(AuditEntry, Company)
            .join(Company, Company.id == AuditEntry.company_id)
            .where(AuditEntry.action.in_(LISTING_CHANGES))
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .limit(FEED_LENGTH)
        )
    ]


def add_entry(feed: FeedGenerator, entry: AuditEntry, company: Company) -> None:
    change = LISTING_CHANGES[entry.action]
    item = feed.add_entry()
    item.id(f"{public_url('open_data.changes_feed')}#change-{entry.id}")
    item.title(title_of(change, xml_safe(company.display_name)))
    item.updated(entry.created_at)
    item.published(entry.created_at)
    item.category(term=change)
    target = (
        public_url("directory.profile", slug=company.slug)
        if company.is_listed_publicly
        else public_url("directory.verify", number=company.membership_number)
    )
    item.link(href=target)
    item.content(_("Membership number %(number)s.", number=company.membership_number), type="text")


def title_of(change: str, name: str) -> str:
    return {
        "joined": _("%(name)s signed The Code", name=name),
        "suspended": _("%(name)s: membership suspended", name=name),
        "reinstated": _("%(name)s: membership reinstated", name=name),
        "withdrawn": _("%(name)s withdrew from The Code", name=name),
        "expelled": _("%(name)s was expelled from The Code", name=name),
    }[change]
