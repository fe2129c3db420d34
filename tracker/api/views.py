"""The open-data API, version 1: the directory as JSON, described at /api/v1/openapi.json.

Read-only and public. Answers are cached like the public pages (ETag, 304) and each client is
rate-limited (`API_RATE_LIMIT`), with 429 and Retry-After. A query parameter the API does not
know is an error, not silently ignored: a typo must not return the unfiltered list.
"""

import unicodedata

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict
from wtforms.fields.core import UnboundField

from tracker.api import openapi, schemas
from tracker.directory.countries.figures import members_by_country
from tracker.directory.open_data import representation
from tracker.directory.profiles import profile
from tracker.directory.search import listing
from tracker.directory.search.filters import DirectoryFilterForm
from tracker.errors import api_error
from tracker.extensions import csrf, limiter
from tracker.json_schemas import Schema
from tracker.page_cache import public_page
from tracker.reports import services
from tracker.urls import public_url

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

FILTERS = frozenset(
    name
    for name in vars(DirectoryFilterForm)
    if isinstance(getattr(DirectoryFilterForm, name), UnboundField)
)


def api_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


limiter.limit(api_limit)(bp)
INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})  # controls, format characters, line breaks


@bp.get("/signatories")
@public_page
def signatories():
    unknown = sorted(set(request.args) - FILTERS)
    if unknown:
        return api_error(400, f"Unknown parameter: {', '.join(unknown)}.")
    empty = sorted({name for name, value in request.args.items(multi=True) if not value})
    if empty:  # leave a filter out to not filter; an empty one is a mistake somewhere
        return api_error(400, f"Empty parameter: {', '.join(empty)}.")
    with force_locale("en"):  # messages for programs (and their developers) in one language
        form = DirectoryFilterForm(searchable(request.args))
        if not form.validate():
            return api_error(400, "Some parameters are not valid.", form.errors)
    page = listing.page_of(form.filters(), services.today())
    meta = schemas.PageMeta(
        total=page.total, page=page.page, per_page=page.per_page, pages=page.pages
    )
    return answer(
        schemas.SignatoryPage(
            data=[representation.signatory(item) for item in page.items],
            meta=meta,
            links=page_links(page),
        )
    )


def answer(body: Schema) -> Response:
    return jsonify(body.model_dump(mode="json"))


def searchable(args: MultiDict) -> MultiDict:
    """The query with invisible characters dropped from the name searched: the search ignores
    everything but letters and digits anyway, and a program should not have to know which
    characters the page's form refuses."""
    cleaned = MultiDict(args)
    text = cleaned.get("q", "")
    if text and len(text) <= listing.MAX_QUERY:  # too long is refused as sent
        cleaned["q"] = "".join(ch for ch in text if unicodedata.category(ch) not in INVISIBLE)
    return cleaned


def page_links(page: listing.MembersPage) -> schemas.PageLinks:
    args = request.args.to_dict()

    def link(number: int) -> str:
        return public_url("api.signatories", **(args | {"page": number}))

    return schemas.PageLinks(
        self=link(page.page),
        first=link(1),
        last=link(page.pages),
        next=link(page.next_num) if page.has_next else None,
        previous=link(min(page.page, page.pages + 1) - 1) if page.has_prev else None,
    )


@bp.get("/signatories/<slug>")
@public_page
def signatory(slug: str):
    if request.args:
        return api_error(400, "This address takes no parameters.")
    company, moved_to = profile.find(slug)
    if moved_to is not None:
        response = answer(schemas.Moved(moved_to=public_url("api.signatory", slug=moved_to)))
        response.status_code = 301
        response.headers["Location"] = url_for("api.signatory", slug=moved_to)
        return response
    if company is None or not company.is_listed_publicly:
        return api_error(404, "No member has this address.")
    found = profile.profile_of(company, services.today())
    with force_locale("en"):
        return answer(schemas.SignatoryAnswer(data=representation.signatory_detail(found)))


@bp.get("/countries")
@public_page
def countries():
    if request.args:
        return api_error(400, "This address takes no parameters.")
    with force_locale("en"):
        rows = members_by_country()
        return answer(schemas.CountriesAnswer(data=[representation.country(row) for row in rows]))


@bp.get("/openapi.json")
@public_page
def openapi_document():
    return jsonify(openapi.document())
