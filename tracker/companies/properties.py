"""A chain's properties in bulk: a CSV (pasted or uploaded) parsed, checked row by row, saved.

The file is parsed again on the confirming request, never trusted from the preview page. Rows
are (country, property name, city); a header row is optional; the country is an ISO code
(alpha-2 or alpha-3) or its name in English, French or Spanish, matched exactly (accents and
case aside), never guessed.
"""

import csv
import io
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace

from flask_babel import gettext as _
from wtforms.validators import ValidationError

from tracker.companies.naming import folded
from tracker.companies.services import MAX_PROPERTIES, OperationInput, inputs_of
from tracker.countries import collation_key, country_name, spellings
from tracker.csv_export import FORMULA_STARTS, escaped_cell
from tracker.formutils import (
    reject_control_characters,
    reject_format_characters,
    reject_line_breaks,
)

HEADER_WORDS = {"country", "country code", "pays", "pais", "país", "code"}
NAME_LENGTH, CITY_LENGTH = 200, 120
SNIFF_LINES, SNIFF_CHARS = 5, 1024  # what the CSV dialect is guessed from
TEXT_CHECKS = (reject_control_characters, reject_format_characters, reject_line_breaks)
# Above this many operations the edit form leaves them to the properties page.
INLINE_OPERATIONS = 50
# How many cities a per-country summary names.
CITIES_NAMED = 5


@dataclass
class ImportRow:
    line: int
    country_code: str | None
    property_name: str
    city: str
    errors: list[str] = field(default_factory=list)

    def as_input(self) -> OperationInput:
        return OperationInput(self.country_code, self.property_name or None, self.city or None)


@dataclass
class ImportResult:
    rows: list[ImportRow]
    errors: list[str]  # problems of the whole file (empty, too many rows)

    @property
    def ok(self) -> bool:
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(1 for row in self.rows if row.errors)


@cache
def _country_lookup() -> dict[str, str]:
    """Folded code or name (English, French, Spanish) -> alpha-2 code. Folding drops the
    punctuation: CLDR's "Côte d’Ivoire" is a spreadsheet's "Cote d'Ivoire" or "Côte d´Ivoire"."""
    lookup = {}
    for text, code in spellings():
        lookup.setdefault(folded(text), code)
    return lookup


def country_code_for(text: str) -> str | None:
    return _country_lookup().get(folded(text)) if text.strip() else None


def decoded(data: bytes) -> str | None:
    """An uploaded file's text: UTF-8 (with or without BOM), else the Windows encoding spreadsheet
    programs save CSV in; None when it is neither (a binary file, say)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    return None


def unescaped_cell(cell: str) -> str:
    cell = cell.strip()
    if cell.startswith("'") and cell[1:2] and cell[1:2] in FORMULA_STARTS:
        return cell[1:]
    return cell


def sniff_sample(text: str) -> str:
    """The start of `text` the dialect is guessed from: its first lines, at most SNIFF_CHARS.
    The sniffer's quote-finding pattern is quadratic in its sample's length (4 KiB of one
    crafted line cost 0.1 s of CPU): a header and a few rows are all it needs."""
    return "\n".join(text[:SNIFF_CHARS].splitlines()[:SNIFF_LINES])


def csv_lines(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each line that has something in it: the numbers are those the
    spreadsheet or text editor shows, header and blank lines counted."""
    try:
        dialect = csv.Sniffer().sniff(sniff_sample(text), delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # "TH", "Lotus" (a space after the comma) is still a quoted cell.
    reader = csv.reader(io.StringIO(text), dialect, skipinitialspace=True)
    return [(reader.line_num, cells) for cells in reader if any(cell.strip() for cell in cells)]


def _text_problem(value: str) -> str | None:
    for check in TEXT_CHECKS:
        try:
            check(None, SimpleNamespace(data=value))
        except ValidationError as error:
            return str(error)
    return None


def parse_properties(text: str, needs_property: bool) -> ImportResult:
    """Every row of `text` with its problems; `needs_property` for hotels (name and city)."""
    text = text.lstrip("\ufeff")
    try:
        lines = csv_lines(text)
    except csv.Error as error:
        return ImportResult([], [_("This is not a CSV file we can read (%(error)s).", error=error)])
    if lines and folded(lines[0][1][0]) in HEADER_WORDS:
        lines = lines[1:]
    if not lines:
        return ImportResult([], [_("There are no rows to import.")])
    if len(lines) > MAX_PROPERTIES:
        message = _(
            "The file has %(count)d rows; a company lists at most %(max)d.",
            count=len(lines),
            max=MAX_PROPERTIES,
        )
        return ImportResult([], [message])
    rows, seen = [], {}
    for number, cells in lines:
        row = _row(number, cells, needs_property)
        key = (row.country_code, folded(row.property_name), folded(row.city))
        if row.country_code and key in seen:
            row.errors.append(_("This row repeats row %(row)d.", row=seen[key]))
        seen.setdefault(key, number)
        rows.append(row)
    return ImportResult(rows, [])


def _row(number: int, cells: list[str], needs_property: bool) -> ImportRow:
    country, name, city = ([unescaped_cell(cell) for cell in cells] + ["", "", ""])[:3]
    row = ImportRow(number, country_code_for(country), name, city)
    if len(cells) > 3 and any(cell.strip() for cell in cells[3:]):
        row.errors.append(_("Use three columns: country, property name, city."))
    if row.country_code is None:
        row.errors.append(_("Unknown country “%(country)s”.", country=country[:60]))
    if needs_property and not (name and city):
        row.errors.append(_("Hotels name each property and its city."))
    if len(name) > NAME_LENGTH or len(city) > CITY_LENGTH:
        row.errors.append(
            _(
                "Keep names to %(name)d and cities to %(city)d characters.",
                name=NAME_LENGTH,
                city=CITY_LENGTH,
            )
        )
    problem = _text_problem(name) or _text_problem(city)
    if problem:
        row.errors.append(problem)
    return row


def merged(current: list[OperationInput], rows: list[ImportRow], replace: bool):
    """The operations after an import: the file alone, or the current ones plus the new rows."""
    imported = [row.as_input() for row in rows]
    if replace:
        return imported
    have = {(op.country_code, op.property_name or "", op.city or "") for op in current}
    return current + [
        op
        for op in imported
        if (op.country_code, op.property_name or "", op.city or "") not in have
    ]


def as_csv(operations) -> str:
    """The current properties as a CSV to download, edit and import again."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["country", "property name", "city"])
    for operation in operations:
        cells = (operation.country_code, operation.property_name or "", operation.city or "")
        writer.writerow([escaped_cell(cell) for cell in cells])
    return out.getvalue()


def working_operations(company) -> list[OperationInput]:
    """The operations the company works on: its open change request's, else its own."""
    # Imported here: change_requests imports services, which this module's callers load first.
    from tracker.companies.change_requests import as_requested

    return list(inputs_of(as_requested(company).operations))


def sorted_operations(operations) -> list:
    """By country name in the reader's language, then property name and city."""
    return sorted(
        operations,
        key=lambda op: (
            collation_key(country_name(op.country_code)),
            collation_key(op.property_name or ""),
            collation_key(op.city or ""),
        ),
    )


def count_by_country(operations) -> list[tuple[str, int, list[str], bool]]:
    """(country code, how many, the first cities, whether there are more) per country, by
    country name: a long list summed up where it is not shown whole."""
    grouped: dict[str, list] = {}
    for operation in operations:
        grouped.setdefault(operation.country_code, []).append(operation.city)
    summary = []
    for code, cities in grouped.items():
        distinct = sorted({city for city in cities if city}, key=collation_key)
        summary.append((code, len(cities), distinct[:CITIES_NAMED], len(distinct) > CITIES_NAMED))
    return sorted(summary, key=lambda row: collation_key(country_name(row[0])))


def key_of(operation) -> tuple[str, str, str]:
    return (operation.country_code, operation.property_name or "", operation.city or "")


def without(operations: list, key: tuple[str, str, str]) -> list | None:
    """`operations` less the first one with `key`; None when there is none (removed already)."""
    for index, operation in enumerate(operations):
        if key_of(operation) == key:
            return operations[:index] + operations[index + 1 :]
    return None
