"""Rendered staff pages kept until anything they show may have changed.

Staff open the queue again and again while it changes a few times a minute; rendering it means
counting and paging 100,000 companies. A page is kept under a key made of everything it depends
on: who asks (user, role, countries, and the session, whose CSRF token the page carries), the
URL, the language, the day (the queue counts days waiting) and the staff data version, a counter
that every transaction changing a company moves (`tracker/data_versions.py`). Every change staff
see changes the company row: decisions, edits, operations, change requests and memberships all
bump it (its version check needs them to). Public pages are keyed on the public data version,
which only changes the public sees move.
A page that shows a flash message is never kept, and entries expire after a few minutes anyway.
"""

import hashlib
import re
from collections.abc import Callable
from functools import wraps

from flask import Response, current_app, has_request_context, make_response, request, session
from flask_babel import get_locale
from flask_caching.backends import SimpleCache
from flask_login import current_user
from limits import parse_many

from tracker.client_address import client_key
from tracker.data_versions import public_version, staff_version
from tracker.extensions import cache, limiter
from tracker.models_base import utcnow

# The names this module always had: staff pages key on the one, public pages on the other.
data_version = staff_version
public_data_version = public_version


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
        _language(),
        utcnow().date().isoformat(),
        data_version(),
    )


def _language() -> str:
    """The page's language as the key holds it: Flask-Babel's locale, else the first configured."""
    return str(get_locale() or current_app.config["LANGUAGES"][0])


def cached_value(name: str, parts: tuple, compute: Callable[[], object]):
    """`compute()`, kept until the data changes: for figures many pages share (the queue's
    counts per status are the same for every reviewer)."""
    return _kept_value(_key("value", name, *parts, data_version()), compute)


def public_cached_value(name: str, parts: tuple, compute: Callable[[], object]):
    """`compute()` of public figures (what public pages show), kept until the public data
    changes: a change no visitor sees does not make the home page count 100,000 companies.
    Kept where the public page asking for it is (see `_keep`)."""
    key = _key("public-value", name, *parts, public_data_version())
    if not has_request_context():
        return _kept_value(key, compute)
    value = _kept(key)
    if value is None:
        value = compute()
        _keep(key, value)
    return value


def _kept_value(key: str, compute: Callable[[], object]):
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


# Public pages and API answers -------------------------------------------------------------
#
# The directory is read by the public far more often than it changes. For visitors who are not
# signed in, a public page is the same for everyone who asks in the same language on the same
# day while the data version stands: it is kept once per worker, sent with an ETag made of that
# key (so a conditional request is answered 304 before anything is rendered or fetched) and may
# be kept by browsers and proxies for a short while. A signed-in person's page carries their
# name and tokens: it is rendered for them and marked private.

PUBLIC_MAX_AGE = 300  # seconds a browser or proxy may reuse a public page without asking


def _render_allowance() -> str:
    return current_app.config["PUBLIC_RENDER_RATE_LIMIT"]


# A kept page costs a worker next to nothing, but a new query string or a bad value is rendered
# (20-40 ms at 100,000 companies): renders for visitors are counted per client, so a script
# cannot keep the workers busy by varying the URL. The limit is on this function, called only on
# a cache miss, so a kept page never touches the limiter's storage (Redis in production).
@limiter.shared_limit(_render_allowance, scope="public-render")
def _render_for_a_visitor(view: Callable, args: tuple, kwargs: dict) -> Response:
    return make_response(view(*args, **kwargs))


def public_page(view: Callable) -> Callable:
    """Decorate a GET view whose answer depends only on the URL, the language and the data."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_user.is_authenticated or session.get("_flashes"):
            response = make_response(view(*args, **kwargs))
            response.headers["Cache-Control"] = "private, no-cache"
            return response
        version = public_data_version()
        key = _key("public", request.full_path, _language(), utcnow().date(), version)
        etag = key.removeprefix("public:")[:32]
        if etag in request.if_none_match:
            return _not_modified(etag)
        stored = _kept(key)
        if stored is None:
            if request.blueprint == "api":
                # Its blueprint limit (API_RATE_LIMIT) counts every request. Calling a limited
                # function would make Flask-Limiter leave that limit to the function, which a
                # kept answer never calls.
                response = make_response(view(*args, **kwargs))
            else:
                response = _render_for_a_visitor(view, args, kwargs)
            if response.status_code != 200 or session.modified or response.is_streamed:
                return response  # errors, and anything that set a cookie, are not kept
            stored = (response.get_data(), list(response.headers.items()))
            _keep(key, stored)
        body, headers = stored
        response = current_app.response_class(body, headers=headers)
        return _public(response, etag)

    return wrapper


# Where a public page is kept (and the figures rendering it computed). The pages of the site's
# own address space (no query string, or only filters whose values are few: a country, a type,
# a page number, each once) go to the shared cache, up to PUBLIC_CACHE_INSERT_LIMIT new entries
# per client; anything else (a search's free text, an unknown parameter, a client over that
# allowance) goes to a small region of its own in each worker. A flood of made-up query strings
# then evicts only its own kind: the home page, the directory and the country pages stay kept.
# The order of the parameters is not checked (the forms and the pager write them in different
# orders); what a client can add by reordering them is bounded by its allowance like the rest.
KEPT_PARAMETERS = frozenset({"country", "type", "standing", "city", "sort", "per_page", "page"})
FEW_VALUES = re.compile(r"[A-Za-z0-9_-]{0,40}")
OTHER_PAGES = 200  # pages kept in each worker's region for the rest


def _kept(key: str):
    stored = cache.get(key)
    return stored if stored is not None else _other_pages().get(key)


def _keep(key: str, stored) -> None:
    """Keep a public page (or a figure it needed) in the shared cache or in the other region."""
    if _in_the_sites_own_urls() and _may_add_a_page():
        cache.set(key, stored)
    else:
        _other_pages().set(key, stored)


def _in_the_sites_own_urls() -> bool:
    seen = set()
    for name, value in request.args.items(multi=True):
        if name not in KEPT_PARAMETERS or name in seen or not FEW_VALUES.fullmatch(value):
            return False
        seen.add(name)
    return True


def _may_add_a_page() -> bool:
    """Count one page added to the shared cache for this client; False over its allowance."""
    if not limiter.enabled:
        return True
    allowance = parse_many(current_app.config["PUBLIC_CACHE_INSERT_LIMIT"])
    client = client_key()
    return all(limiter.limiter.hit(item, "public-cache-insert", client) for item in allowance)


def _other_pages() -> SimpleCache:
    pages = current_app.extensions.get("public_other_pages")
    if pages is None:
        pages = SimpleCache(threshold=OTHER_PAGES, default_timeout=PUBLIC_MAX_AGE)
        current_app.extensions["public_other_pages"] = pages
    return pages


def _public(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    response.vary.update(("Cookie", "Accept-Language"))
    return response


def _not_modified(etag: str) -> Response:
    return _public(current_app.response_class(status=304), etag)
