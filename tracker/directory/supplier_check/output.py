"""The supplier check's results as the API's JSON and as a CSV download: the same facts."""

from flask_babel import lazy_gettext as _l

from tracker.directory.supplier_check.checking import Result, Summary
from tracker.urls import public_url


def _links(result: Result) -> tuple[str | None, str]:
    """The profile (members only: former members have none to show) and the verify page."""
    company = result.company
    verify = public_url("directory.verify", number=company.membership_number)
    if not result.standing.is_member:
        return None, verify
    return public_url("directory.profile", slug=company.slug), verify


def as_json(result: Result) -> dict:
    supplier = result.supplier
    return {
        "line": supplier.line,
        "input": {
            "name": supplier.name or None,
            "country": supplier.country or None,
            "membership_number": supplier.membership_number or None,
        },
        "match": _match(result),
        "candidates": [_candidate(candidate) for candidate in result.candidates],
        "confidence": result.confidence,
        "label": result.label.value,
        "standing": result.standing.value if result.standing else None,
        "since": result.since.isoformat() if result.since else None,
        "notes": [str(note) for note in result.notes]
        + ([_unchecked(result)] if not result.checked else []),
        "error": str(result.error) if result.error else None,
    }


def _match(result: Result) -> dict | None:
    company = result.company
    if company is None:
        return None
    profile, verify = _links(result)
    return {
        "display_name": company.display_name,
        "legal_name": company.public_legal_name,
        "membership_number": company.membership_number,
        "countries": result.countries,
        "profile_url": profile,
        "verify_url": verify,
    }


def _candidate(candidate: Result) -> dict:
    """One of an ambiguous line's likely companies: as a match, with its standing."""
    return {**_match(candidate), "standing": candidate.standing.value}


def summary_json(summary: Summary) -> dict:
    return {
        "total": summary.total,
        "good_standing": summary.good_standing,
        "report_overdue": summary.report_overdue,
        "former_members": summary.former_members,
        "no_match": summary.no_match,
        "errors": summary.errors,
        "not_checked": summary.not_checked,
        "members": summary.members,  # members whose reporting is not published
        "ambiguous": summary.ambiguous,
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
