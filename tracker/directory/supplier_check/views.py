"""The supplier check: a partner's list of suppliers matched to members, as a page and JSON.

Anyone may check a list (it shows only what the public directory and the verify page show),
so each client address has an allowance of checks (`SUPPLIER_CHECK_RATE_LIMIT`), shared by the
page, its CSV download and the API: a list of 1,000 names is real work.
"""

import json

from flask import Blueprint, current_app, jsonify, render_template, request
from flask_babel import force_locale

from tracker.csv_export import csv_response
from tracker.directory.supplier_check import output, schemas, supplier_list
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
        return jsonify(output.answer(checked).model_dump(mode="json"))


# The API's contract, merged into /api/v1/openapi.json (tracker/api/openapi.py) and held to the
# route above by schemathesis. The bodies are described by the models that read and write them.
_ERROR = openapi_schema(ApiError)  # the error body every API answer gives


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
                f"Up to {supplier_list.MAX_SUPPLIERS:,} suppliers, each matched to a company "
                "that signed The Code (by membership number, or by name, ignoring accents, case "
                "and legal forms such as Ltd, S.A. or GmbH), with the match's confidence and the "
                "company's standing. Former members (suspended, withdrawn, expelled) are matched "
                "and flagged; a name several companies have (without a country to tell them "
                "apart) matches none and lists them as candidates; companies that never signed "
                "are not. A line that cannot be matched (longer than "
                f"{supplier_list.MAX_LINE} characters, say) has an error and no match. Each "
                "check has a time budget: lines it did not reach are labelled not_checked. "
                "Rate-limited per client."
            ),
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": openapi_schema(supplier_list.SupplierList)}
                },
            },
            "responses": {
                "200": _json(
                    openapi_schema(schemas.Answer),
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
