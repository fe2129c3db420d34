"""Members as the open data gives them (the models of schemas.py filled in): the same fields in
the JSON API and the CSV."""

from tracker.countries import iso_name
from tracker.directory.countries.figures import CountryCount
from tracker.directory.open_data import schemas
from tracker.directory.profiles.profile import Profile
from tracker.directory.search.listing import Listed
from tracker.urls import public_url


def signatory(item: Listed) -> schemas.Signatory:
    return schemas.Signatory(**_signatory_fields(item))


def _signatory_fields(item: Listed) -> dict:
    company = item.company
    return {
        "slug": company.slug,
        "name": company.display_name,
        "legal_name": company.public_legal_name,  # None when the member does not list it
        "type": company.type,
        "website": company.website,
        "membership_number": company.membership_number,
        "member_since": company.membership.joined_at.date(),
        "standing": item.standing,
        # The year of the Top Member title it holds ("Top Member 2026"); null for the others.
        "top_member_year": item.top_member_year,
        "countries": sorted({operation.country_code for operation in company.operations}),
        # From PUBLIC_BASE_URL, not the Host asked: answers are cached and shared.
        "profile_url": public_url("directory.profile", slug=company.slug),
        "verify_url": public_url("directory.verify", number=company.membership_number),
    }


def signatory_detail(profile: Profile) -> schemas.SignatoryDetail:
    company = profile.company
    signature = company.latest_signature
    return schemas.SignatoryDetail(
        **_signatory_fields(profile.listed),
        signed=schemas.Signed(
            criteria_version=signature.criteria_version, signed_on=signature.signed_at.date()
        )
        if signature
        else None,
        operations=[
            schemas.Operation(
                country=operation.country_code,
                # Text staff have not seen yet, or of a member not listing its properties,
                # stays private (Operation.is_public).
                property_name=operation.public_property_name,
                city=operation.public_city,
            )
            for operation in company.operations
        ],
        criteria=[
            schemas.Criterion(
                number=row.criterion.number,
                title=str(row.criterion.title),
                last_reported_implemented=row.year,
            )
            for row in profile.criteria
        ],
        reports=[
            schemas.Report(
                year=row.year,
                submitted_on=row.submitted_at.date(),
                accepted_on=row.accepted_at.date() if row.accepted_at else None,
            )
            for row in profile.history
        ],
    )


CSV_HEADER = [
    "name",
    "legal_name",
    "type",
    "website",
    "membership_number",
    "member_since",
    "standing",
    "countries",
    "profile_url",
]


def csv_row(item: Listed) -> list:
    data = signatory(item).model_dump(mode="json")
    return [
        *(data[key] for key in CSV_HEADER[:-2]),
        " ".join(data["countries"]),
        data["profile_url"],
    ]


def country(row: CountryCount) -> schemas.CountryFigures:
    return schemas.CountryFigures(
        country=row.code,
        name=iso_name(row.code),  # ISO's, stable for programs (pages show CLDR's)
        members=row.total,
        by_type={kind.value: count for kind, count in row.by_type.items()},
        url=public_url("countries.detail", code=row.code),
    )
