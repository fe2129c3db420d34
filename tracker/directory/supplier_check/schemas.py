"""The supplier check's JSON answer as pydantic models.

output.py builds each answer from them and the API's document (the route's `OPENAPI_PATHS`)
describes the answer from them, so the two cannot drift apart. The request is described by
`supplier_list.SupplierList`, the model that reads it.
"""

from datetime import date
from typing import Annotated

from pydantic import Field

from tracker.directory.open_data.schemas import Country, LegalName, MembershipNumber, Url
from tracker.directory.supplier_check.checking import CheckStanding, Label
from tracker.json_schemas import Schema

Count = Annotated[int, Field(ge=0)]
Standing = Annotated[
    CheckStanding,
    Field(
        description="Suspended, withdrawn and expelled companies are NOT members; "
        "member: a member, where overdue reports are not published"
    ),
]
Text = str | None


class Given(Schema):
    name: Text
    country: Text
    membership_number: Text


class Match(Schema):
    display_name: str
    legal_name: LegalName
    membership_number: MembershipNumber
    countries: list[Country]
    profile_url: Url | None  # former members have no profile to show
    verify_url: Url


class Candidate(Match):
    standing: Standing


class Line(Schema):
    line: int = Field(ge=1, description="Position in the list, from 1")
    input: Given = Field(description="As given; missing and empty values as null")
    match: Match | None
    candidates: list[Candidate] = Field(
        description="ambiguous: the companies as likely as each other (at most 10), "
        "none of them the match; empty otherwise"
    )
    confidence: int = Field(ge=0, le=100)
    label: Label = Field(
        description="not_checked: the check's time ran out before this line (send it "
        "again, in a shorter list); ambiguous: several companies are as likely (see "
        "candidates): give the country or the membership number"
    )
    standing: Standing | None
    since: date | None = Field(
        description="Member since (members); the day it stopped being one (others)"
    )
    notes: list[str]
    error: Text = Field(description="Why the line was not matched (too long, say)")


class Counts(Schema):
    total: Count
    good_standing: Count
    report_overdue: Count
    former_members: Count
    no_match: Count
    errors: Count
    not_checked: Count
    members: Count = Field(description="Members whose reporting standing is not published")
    ambiguous: Count = Field(description="Lines with several likely companies, to check")


class Answer(Schema):
    results: list[Line] = Field(description="Every supplier, in the order given")
    summary: Counts
