"""Rendered staff pages kept until anything they show may have changed.

Staff open the queue again and again while it changes a few times a minute; rendering it means
counting and paging 100,000 companies. A page is kept under a key made of everything it depends
on: who asks (user, role, countries, and the session, whose CSRF token the page carries), the
URL, the language, the day (the queue counts days waiting) and the data version, a counter that
every transaction changing a company moves (`DataVersion`). Every change staff see changes the
company row: decisions, edits, operations, change requests and memberships all bump it (its
version check needs them to).
A page that shows a flash message is never kept, and entries expire after a few minutes anyway.
"""

import hashlib
from collections.abc import Callable

from flask import session
from flask_login import current_user
from sqlalchemy import select

from tracker.companies.models import COMPANIES_VERSION, DataVersion
from tracker.extensions import cache, db
from tracker.languages.selection import current_language
from tracker.models_base import utcnow


def data_version() -> str:
    """Moves whenever a transaction that adds or changes a company commits (one row)."""
    query = select(DataVersion.value).where(DataVersion.name == COMPANIES_VERSION)
    return str(db.session.scalar(query))


def page_key(path: str) -> str | None:
    """The key of this page for the signed-in staff user; None when it must not be kept."""
    if session.get("_flashes") or not session.get("csrf_token"):
        return None  # a message to show once; a session whose token the render would create
    return _key(
        "page",
        current_user.id,
        current_user.role.value,
        ",".join(current_user.country_codes),
        session.get("csrf_token", ""),
        path,
        current_language(),
        utcnow().date().isoformat(),
        data_version(),
    )


def cached_value(name: str, parts: tuple, compute: Callable[[], object]):
    """`compute()`, kept until the data changes: for figures many pages share (the queue's
    counts per status are the same for every reviewer)."""
    key = _key("value", name, *parts, data_version())
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value)
    return value


def _key(kind: str, *parts) -> str:
    return f"{kind}:" + hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def cached_page(path: str, render: Callable[[], str]) -> str:
    """The page at `path` as `render` makes it, from the cache when nothing changed since."""
    key = page_key(path)
    if key is None:
        return render()
    page = cache.get(key)
    if page is None:
        page = render()
        cache.set(key, page)
    return page
