"""The supplier check: a partner's list of suppliers matched to members, as a page and JSON.

Anyone may check a list (it shows only what the public directory and the verify page show),
so each client address has an allowance of checks (`SUPPLIER_CHECK_RATE_LIMIT`), shared by the
page, its CSV download and the API: a list of 1,000 names is real work.
"""

import json

from flask import Blueprint, current_app, jsonify, render_template, request
from flask_babel import force_locale

from tracker.csv_export import csv_response
from tracker.directory.supplier_check import output, supplier_list
from tracker.directory.supplier_check.checking import Checked, check_suppliers
from tracker.directory.supplier_check.forms import SupplierCheckForm
from tracker.errors import ApiError, api_error
from tracker.extensions import csrf, limiter
from tracker.json_schemas import openapi_schema
from tracker.reports import services

bp = Blueprint("supplier_check", __name__)


def _allowance() -> str:
    return current_app.config["SUPPLIER_CHECK_RATE_LIMIT"]


limited = limiter.shared_limit(_allowance, scope="supplier-check", methods=["POST"])


@bp.get("/check")
def index():
    return render_template("directory/check.html", form=SupplierCheckForm(formdata=None))


@bp.post("/check")
@limited
def check():
    form = SupplierCheckForm()
    checked = _checked(form)
    page = render_template("directory/check.html", form=form, checked=checked)
    return page, 200 if checked else 400


@bp.post("/check.csv")
@limited
def download():
    form = SupplierCheckForm()
    checked = _checked(form)
    if checked is None:
        return render_template("directory/check.html", form=form), 400
    rows = (output.csv_row(result) for result in checked.results)
    return csv_response("supplier-check.csv", output.csv_header(), rows)


def _checked(form: SupplierCheckForm) -> Checked | None:
    if not form.validate_on_submit():
        return None
    suppliers = form.read()
    return check_suppliers(suppliers, services.today()) if suppliers is not None else None


@bp.post("/api/v1/check")
@csrf.exempt  # JSON only (no cross-site form can send that), and it changes nothing
@limited
def api():
    if not request.is_json:
        return api_error(415, "Send the list as JSON, with Content-Type: application/json.")
    try:
        payload = json.loads(request.get_data())
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested beyond reason
        return api_error(400, "The body is not valid JSON.")
    try:
        suppliers = supplier_list.from_json(payload)
    except supplier_list.BadRequest as error:
        return api_error(400, error.message, error.fields)
    with force_locale("en"):  # notes for programs (and their developers) in one language
        checked = check_suppliers(suppliers, services.today())
        return jsonify(
            results=[output.as_json(result) for result in checked.results],
            summary=output.summary_json(checked.summary),
        )


# The API's contract, merged into /api/v1/openapi.json (tracker/api/openapi.py) and held to the
# route above by schemathesis: every key the route writes is here, and nothing else.
_TEXT = {"type": "string", "nullable": True}
_COUNT = {"type": "integer", "minimum": 0}
_ERROR = openapi_schema(ApiError)  # the error body every API answer gives
_SUPPLIER = {
    "type": "object",
    "additionalProperties": False,
    "description": "A name, or a membership number, or both; a country (ISO code or name in "
    "English, French or Spanish) makes the match surer.",
    "properties": {"name": _TEXT, "country": _TEXT, "membership_number": _TEXT},
}
_MATCH = {
    "type": "object",
    "nullable": True,
    "additionalProperties": False,
    "required": [
        "display_name",
        "legal_name",
        "membership_number",
        "countries",
        "profile_url",
        "verify_url",
    ],
    "properties": {
        "display_name": {"type": "string"},
        "legal_name": {
            "type": "string",
            "nullable": True,
            "description": "null when the member chooses not to list its legal name",
        },
        "membership_number": {"type": "string", "pattern": "^TC-[0-9]{6,}$"},
        "countries": {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]{2}$"}},
        "profile_url": {"type": "string", "format": "uri", "nullable": True},
        "verify_url": {"type": "string", "format": "uri"},
    },
}
_STANDING = {
    "type": "string",
    "nullable": True,
    "enum": [
        "good_standing",
        "report_overdue",
        "top_member",
        "member",
        "suspended",
        "withdrawn",
        "expelled",
        None,
    ],
    "description": "Suspended, withdrawn and expelled companies are NOT members; "
    "member: a member, where overdue reports are not published",
}
_CANDIDATE = {
    **_MATCH,
    "nullable": False,
    "required": [*_MATCH["required"], "standing"],
    "properties": {**_MATCH["properties"], "standing": {**_STANDING, "nullable": False}},
}
_RESULT = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "line",
        "input",
        "match",
        "candidates",
        "confidence",
        "label",
        "standing",
        "since",
        "notes",
        "error",
    ],
    "properties": {
        "line": {"type": "integer", "minimum": 1, "description": "Position in the list, from 1"},
        "input": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "country", "membership_number"],
            "properties": {"name": _TEXT, "country": _TEXT, "membership_number": _TEXT},
            "description": "As given; missing and empty values as null",
        },
        "match": _MATCH,
        "candidates": {
            "type": "array",
            "items": _CANDIDATE,
            "description": "ambiguous: the companies as likely as each other (at most 10), "
            "none of them the match; empty otherwise",
        },
        "confidence": {"type": "integer", "minimum": 0, "maximum": 100},
        "label": {
            "type": "string",
            "enum": ["exact", "likely", "possible", "no_match", "not_checked", "ambiguous"],
            "description": "not_checked: the check's time ran out before this line (send it "
            "again, in a shorter list); ambiguous: several companies are as likely (see "
            "candidates): give the country or the membership number",
        },
        "standing": _STANDING,
        "since": {
            "type": "string",
            "format": "date",
            "nullable": True,
            "description": "Member since (members); the day it stopped being one (others)",
        },
        "notes": {"type": "array", "items": {"type": "string"}},
        "error": {**_TEXT, "description": "Why the line was not matched (too long, say)"},
    },
}
_SUMMARY = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "total",
        "good_standing",
        "report_overdue",
        "former_members",
        "no_match",
        "errors",
        "not_checked",
    ],
    "properties": {
        name: _COUNT
        for name in (
            "total",
            "good_standing",
            "report_overdue",
            "former_members",
            "no_match",
            "errors",
            "not_checked",
            "members",
            "ambiguous",
        )
    },
}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _refused(description: str, retry: bool = False) -> dict:
    response = _json(_ERROR, description)
    if retry:
        seconds = {"schema": {"type": "integer"}, "description": "Seconds until allowed again"}
        response["headers"] = {"Retry-After": seconds}
    return response


OPENAPI_PATHS = {
    "/api/v1/check": {
        "post": {
            "operationId": "checkSuppliers",
            "summary": "Match a list of suppliers to members of The Code",
            "description": (
                "Up to 1,000 suppliers, each matched to a company that signed The Code (by "
                "membership number, or by name, ignoring accents, case and legal forms such as "
                "Ltd, S.A. or GmbH), with the match's confidence and the company's standing. "
                "Former members (suspended, withdrawn, expelled) are matched and flagged; "
                "a name several companies have (without a country to tell them apart) "
                "matches none and lists them as candidates; "
                "companies that never signed are not. A line that cannot be matched (longer "
                "than 300 characters, say) has an error and no match. Each check has a time "
                "budget: lines it did not reach are labelled not_checked. Rate-limited per "
                "client."
            ),
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["suppliers"],
                            "properties": {
                                "suppliers": {
                                    "type": "array",
                                    "maxItems": supplier_list.MAX_SUPPLIERS,
                                    "items": _SUPPLIER,
                                }
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["results", "summary"],
                        "properties": {
                            "results": {"type": "array", "items": _RESULT},
                            "summary": _SUMMARY,
                        },
                    },
                    "Every supplier, in the order given, and the counts",
                ),
                "400": _refused("Not JSON, or not a list of suppliers (see fields)"),
                "413": _refused("The body is larger than 1 MiB"),
                "415": _refused("The body is not JSON (Content-Type)"),
                "429": _refused("Too many checks from this client", retry=True),
            },
        }
    }
}
