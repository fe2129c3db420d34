"""The supplier check's results as the API's JSON and as a CSV download: the same facts."""

from flask_babel import lazy_gettext as _l

from tracker.directory.supplier_check import schemas
from tracker.directory.supplier_check.checking import Checked, Result
from tracker.urls import public_url


def _links(result: Result) -> tuple[str | None, str]:
    """The profile (members only: former members have none to show) and the verify page."""
    company = result.company
    verify = public_url("directory.verify", number=company.membership_number)
    if not result.standing.is_member:
        return None, verify
    return public_url("directory.profile", slug=company.slug), verify


def answer(checked: Checked) -> schemas.Answer:
    """The API's answer: every line, then the counts."""
    return schemas.Answer(
        results=[_line(result) for result in checked.results],
        summary=schemas.Counts.model_validate(checked.summary, from_attributes=True),
    )


def _line(result: Result) -> schemas.Line:
    supplier, company = result.supplier, result.company
    return schemas.Line(
        line=supplier.line,
        input=schemas.Given(
            name=supplier.name or None,
            country=supplier.country or None,
            membership_number=supplier.membership_number or None,
        ),
        match=schemas.Match(**_matched(result)) if company is not None else None,
        candidates=[
            schemas.Candidate(**_matched(candidate), standing=candidate.standing)
            for candidate in result.candidates
        ],
        confidence=result.confidence,
        label=result.label,
        standing=result.standing,
        since=result.since,
        notes=[str(note) for note in result.notes]
        + ([_unchecked(result)] if not result.checked else []),
        error=str(result.error) if result.error else None,
    )


def _matched(result: Result) -> dict:
    """The company a line (or one of an ambiguous line's candidates) matched."""
    company = result.company
    profile, verify = _links(result)
    return {
        "display_name": company.display_name,
        "legal_name": company.public_legal_name,
        "membership_number": company.membership_number,
        "countries": result.countries,
        "profile_url": profile,
        "verify_url": verify,
    }


CSV_HEADER = (
    _l("Line"),
    _l("Name given"),
    _l("Country given"),
    _l("Membership number given"),
    _l("Result"),
    _l("Member name"),
    _l("Legal name"),
    _l("Membership number"),
    _l("Standing"),
    _l("Since"),
    _l("Countries"),
    _l("Verify at"),
    _l("Notes"),
    _l("Companies to check"),
)


def csv_header() -> list[str]:
    return [str(title) for title in CSV_HEADER]


def _unchecked(result: Result) -> str:
    return "" if result.checked else str(NOT_CHECKED_NOTE)


NOT_CHECKED_NOTE = _l(
    "The check ran out of time before this line: check it again in a shorter list."
)


def csv_row(result: Result) -> list:
    """One line of the download; `csv_export` makes every cell safe in a spreadsheet."""
    supplier, company = result.supplier, result.company
    given = [supplier.line, supplier.name, supplier.country, supplier.membership_number]
    notes = " ".join(
        str(text) for text in [result.error, *result.notes, _unchecked(result)] if text
    )
    if company is None:
        candidates = "; ".join(map(_described, result.candidates))
        return [*given, result.statement, "", "", "", "", "", "", "", notes, candidates]
    return [
        *given,
        result.statement,
        company.display_name,
        company.public_legal_name,
        company.membership_number,
        result.standing.label,
        result.since.isoformat(),
        " ".join(result.countries),
        _links(result)[1],
        notes,
        "",
    ]


def _described(candidate: Result) -> str:
    """An ambiguous line's company in a cell: "Davis Hotel (TC-000123, GB, Member in good
    standing)"."""
    company = candidate.company
    countries = " ".join(candidate.countries)
    facts = [company.membership_number, countries, str(candidate.standing_label)]
    return f"{company.display_name} ({', '.join(fact for fact in facts if fact)})"
