"""The OpenAPI 3 document of the open-data API, served at /api/v1/openapi.json.

Generated from what the API runs: the bodies from the pydantic models the answers are built
from (tracker/api/schemas.py, tracker/directory/open_data/schemas.py, the error in
tracker/errors.py), the parameters from the filter form that checks them. This is the contract
partners build on: tests/api/test_openapi.py holds the API to it with schemathesis, on every
operation, with generated (and hostile) parameters.
"""

from flask import current_app
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from tracker.api import schemas
from tracker.api.parameters import filter_parameters
from tracker.directory.open_data.schemas import CountryFigures, Signatory, SignatoryDetail
from tracker.directory.search.filters import DirectoryFilterForm
from tracker.errors import ApiError
from tracker.json_schemas import Schema, openapi_schema
from tracker.urls import public_url

COMPONENTS = {
    ApiError: "Error",
    Signatory: "Signatory",
    SignatoryDetail: "SignatoryDetail",
    CountryFigures: "CountryFigures",
}


def errors(*codes: int) -> dict:
    text = {400: "Bad parameters", 404: "Not found", 429: "Too many requests"}
    return {
        str(code): {
            "description": text[code],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for code in codes
    }


def ok(model: type[Schema], description: str, status: str = "200") -> dict:
    schema = openapi_schema(model, COMPONENTS)
    return {
        status: {"description": description, "content": {"application/json": {"schema": schema}}}
    }


def paths() -> dict:
    with force_locale("en"):  # the same document in every language (the countries' order)
        parameters = filter_parameters(DirectoryFilterForm(MultiDict()))
    moved = ok(schemas.Moved, "The member was renamed; Location has its address now", "301")
    return {
        "/signatories": {
            "get": {
                "operationId": "listSignatories",
                "summary": "Members of The Code, filtered and paginated",
                "parameters": parameters,
                "responses": ok(schemas.SignatoryPage, "A page of members") | errors(400, 429),
            }
        },
        "/signatories/{slug}": {
            "get": {
                "operationId": "getSignatory",
                "summary": "One member's public profile",
                "parameters": [
                    {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": ok(schemas.SignatoryAnswer, "The profile")
                | moved
                | errors(400, 404, 429),
            }
        },
        "/countries": {
            "get": {
                "operationId": "listCountries",
                "summary": "Members per country of operation, by type of business",
                "responses": ok(schemas.CountriesAnswer, "Every country with members")
                | errors(400, 429),
            }
        },
    }


def document() -> dict:
    from tracker.directory.supplier_check import views  # the supplier check describes its own

    extra = getattr(views, "OPENAPI_PATHS", {})

    base = public_url("api.openapi_document").removesuffix("/openapi.json")
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "The Code Signatory Tracker: open data",
            "version": "1.0.0",
            "description": (
                "Who has signed The Code of Conduct for the Protection of Children from Sexual "
                "Exploitation in Travel and Tourism, and in what standing. Public, read-only, "
                "rate-limited per client."
            ),
            "contact": {"email": current_app.config["CONTACT_EMAIL"]},
        },
        "servers": [{"url": base}],
        "paths": paths() | {path.removeprefix("/api/v1"): item for path, item in extra.items()},
        "components": {
            "schemas": {name: openapi_schema(model) for model, name in COMPONENTS.items()}
        },
    }
