"""The open data's shapes: a member, its profile and a country's figures, as pydantic models.

representation.py fills them in; the API's document (tracker/api/openapi.py) describes them.
"""

from datetime import date
from typing import Annotated

from pydantic import Field, WithJsonSchema

from tracker.companies.enums import CompanyType
from tracker.directory.search.listing import PublicStanding
from tracker.json_schemas import Schema

Country = Annotated[str, Field(pattern="^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code")]
MembershipNumber = Annotated[str, Field(pattern="^TC-[0-9]{6,}$")]
LegalName = Annotated[
    str | None, Field(description="null when the member chooses not to list its legal name")
]
# A string, not pydantic's URL type, which would rewrite the address ("https://x" -> "https://x/").
Url = Annotated[str, Field(json_schema_extra={"format": "uri"})]
# Counts by type of business: a key for each type with members in the country, and no other.
ByType = Annotated[
    dict[str, int],
    WithJsonSchema(
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {kind.value: {"type": "integer", "minimum": 1} for kind in CompanyType},
        }
    ),
]


class Signatory(Schema):
    slug: str
    name: str
    legal_name: LegalName
    type: CompanyType
    website: str | None
    membership_number: MembershipNumber
    member_since: date
    standing: PublicStanding
    top_member_year: int | None
    countries: list[Country]
    profile_url: Url
    verify_url: Url


class Operation(Schema):
    country: Country
    property_name: str | None
    city: str | None


class Criterion(Schema):
    number: int = Field(ge=1, le=6)
    title: str
    last_reported_implemented: int | None


class Signed(Schema):
    criteria_version: str
    signed_on: date


class Report(Schema):
    year: int
    submitted_on: date
    accepted_on: date | None


class SignatoryDetail(Signatory):
    operations: list[Operation]
    criteria: list[Criterion]
    signed: Signed | None = Field(
        description="The version of the criteria the member signed last, and when"
    )
    reports: list[Report]


class CountryFigures(Schema):
    country: Country
    name: str = Field(description="ISO 3166-1 English short name")
    members: int = Field(ge=1)
    by_type: ByType
    url: Url
