"""The OpenAPI 3 document of the open-data API, served at /api/v1/openapi.json.

Written out rather than generated: the API is small and read-only, and this is the contract
partners build on. tests/api/test_openapi.py holds the API to it with schemathesis, on every
operation, with generated (and hostile) parameters.
"""

import pycountry
from flask import current_app

from tracker.companies.enums import CompanyType
from tracker.directory.search.filters import MAX_PAGE
from tracker.directory.search.listing import MAX_QUERY, PAGE_SIZES, PublicStanding, Sort
from tracker.urls import public_url

COUNTRY = {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2 code"}
DATE = {"type": "string", "format": "date"}
URL = {"type": "string", "format": "uri"}
NULLABLE_URL = {**URL, "nullable": True}


def obj(properties: dict, optional: tuple[str, ...] = ()) -> dict:
    """An object with exactly these properties, all required but `optional`."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [name for name in properties if name not in optional],
        "properties": properties,
    }


ERROR = obj(
    {
        "error": obj(
            {
                "status": {"type": "integer"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            optional=("fields",),
        )
    }
)

SIGNATORY = obj(
    {
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "legal_name": {
            "type": "string",
            "nullable": True,
            "description": "null when the member chooses not to list its legal name",
        },
        "type": {"type": "string", "enum": [kind.value for kind in CompanyType]},
        "website": {"type": "string", "nullable": True},
        "membership_number": {"type": "string", "pattern": "^TC-[0-9]{6,}$"},
        "member_since": DATE,
        "standing": {"type": "string", "enum": [standing.value for standing in PublicStanding]},
        "top_member_year": {"type": "integer", "nullable": True},
        "countries": {"type": "array", "items": COUNTRY},
        "profile_url": URL,
        "verify_url": URL,
    }
)

SIGNATORY_DETAIL = obj(
    {
        **SIGNATORY["properties"],
        "operations": {
            "type": "array",
            "items": obj(
                {
                    "country": COUNTRY,
                    "property_name": {"type": "string", "nullable": True},
                    "city": {"type": "string", "nullable": True},
                }
            ),
        },
        "criteria": {
            "type": "array",
            "items": obj(
                {
                    "number": {"type": "integer", "minimum": 1, "maximum": 6},
                    "title": {"type": "string"},
                    "last_reported_implemented": {"type": "integer", "nullable": True},
                }
            ),
        },
        "signed": {
            **obj({"criteria_version": {"type": "string"}, "signed_on": DATE}),
            "nullable": True,
            "description": "The version of the criteria the member signed last, and when",
        },
        "reports": {
            "type": "array",
            "items": obj(
                {
                    "year": {"type": "integer"},
                    "submitted_on": DATE,
                    "accepted_on": {**DATE, "nullable": True},
                }
            ),
        },
    }
)

COUNTRY_FIGURES = obj(
    {
        "country": COUNTRY,
        "name": {"type": "string", "description": "ISO 3166-1 English short name"},
        "members": {"type": "integer", "minimum": 1},
        "by_type": {
            "type": "object",
            "additionalProperties": False,
            "properties": {kind.value: {"type": "integer", "minimum": 1} for kind in CompanyType},
        },
        "url": URL,
    }
)


def query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


FILTER_PARAMETERS = [
    query(
        "q",
        {"type": "string", "minLength": 1, "maxLength": MAX_QUERY},
        "Words in the name (any case, any accents)",
    ),
    query(
        "country",
        {"type": "string", "enum": sorted(country.alpha_2 for country in pycountry.countries)},
        "Members with an operation in this country (ISO 3166-1 alpha-2)",
    ),
    query(
        "type", {"type": "string", "enum": [kind.value for kind in CompanyType]}, "Type of business"
    ),
    query("sort", {"type": "string", "enum": [sort.value for sort in Sort]}, "Order"),
    query("per_page", {"type": "integer", "enum": list(PAGE_SIZES)}, "Members per page"),
    query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page number"),
]


def standing_parameter() -> dict:
    """The standings the publication rules let the public see (config.py) are those it filters."""
    in_use = [standing.value for standing in PublicStanding.in_use()]
    return query("standing", {"type": "string", "enum": in_use}, "Public standing")


def errors(*codes: int) -> dict:
    text = {400: "Bad parameters", 404: "Not found", 429: "Too many requests"}
    return {
        str(code): {
            "description": text[code],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for code in codes
    }


def ok(schema: dict, description: str) -> dict:
    return {
        "200": {"description": description, "content": {"application/json": {"schema": schema}}}
    }


def links() -> dict:
    return obj(
        {"self": URL, "first": URL, "last": URL, "next": NULLABLE_URL, "previous": NULLABLE_URL}
    )


def paths() -> dict:
    ref = {"$ref": "#/components/schemas/Signatory"}
    listing = obj(
        {
            "data": {"type": "array", "items": ref},
            "meta": obj(
                {
                    "total": {"type": "integer", "minimum": 0},
                    "page": {"type": "integer", "minimum": 1},
                    "per_page": {"type": "integer"},
                    "pages": {"type": "integer", "minimum": 1},
                }
            ),
            "links": links(),
        }
    )
    return {
        "/signatories": {
            "get": {
                "operationId": "listSignatories",
                "summary": "Members of The Code, filtered and paginated",
                "parameters": [*FILTER_PARAMETERS, standing_parameter()],
                "responses": ok(listing, "A page of members") | errors(400, 429),
            }
        },
        "/signatories/{slug}": {
            "get": {
                "operationId": "getSignatory",
                "summary": "One member's public profile",
                "parameters": [
                    {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": ok(
                    obj({"data": {"$ref": "#/components/schemas/SignatoryDetail"}}), "The profile"
                )
                | {
                    "301": {
                        "description": "The member was renamed; Location has its address now",
                        "content": {"application/json": {"schema": obj({"moved_to": URL})}},
                    }
                }
                | errors(400, 404, 429),
            }
        },
        "/countries": {
            "get": {
                "operationId": "listCountries",
                "summary": "Members per country of operation, by type of business",
                "responses": ok(
                    obj(
                        {
                            "data": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/CountryFigures"},
                            }
                        }
                    ),
                    "Every country with members",
                )
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
            "schemas": {
                "Error": ERROR,
                "Signatory": SIGNATORY,
                "SignatoryDetail": SIGNATORY_DETAIL,
                "CountryFigures": COUNTRY_FIGURES,
            }
        },
    }
