"""A supplier list as a partner gives it: pasted lines, a CSV file or the API's JSON, read into
`Supplier`s with the line each came from.

A line is a name, optionally followed by a country (name or ISO code) and a membership number,
separated by tabs, semicolons or commas. Names may hold commas ("Smith, Jones & Co."): a cell is
taken as a country or a number only if it reads as one, and the other cells are the name. A
two-letter cell that is also a legal form ("SA", "AG", "CO") stays in the name: spell the
country out to name Saudi Arabia, Antigua or Colombia.
"""

import csv
import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _
from pydantic import ConfigDict, Field, ValidationError

from tracker.companies import naming
from tracker.companies.properties import country_code_for, csv_lines, unescaped_cell
from tracker.directory.supplier_check.name_cores import LEGAL_FORMS
from tracker.directory.verify.verification import NUMBER
from tracker.formutils import ALLOWED_FORMAT_CHARACTERS
from tracker.json_schemas import Schema

MAX_SUPPLIERS = 1000
MAX_LINE = 300  # characters; a longer line is reported, not matched
MAX_TEXT = 400_000  # characters pasted, or bytes uploaded: 1,000 long lines and some
SHOWN = 80  # characters of a refused line shown back
# A first line whose first cell is one of these is a row of column titles, and skipped.
# fmt: off
HEADER_WORDS = frozenset([
    "name", "names", "supplier", "suppliers", "supplier name", "company", "company name", "nom",
    "fournisseur", "fournisseurs", "societe", "entreprise", "nombre", "proveedor", "proveedores",
    "empresa",
])
# fmt: on
LINE_BREAK = re.compile(r"\r\n|\r|\n")
DELIMITERS = ("\t", ";", ",")


@dataclass(frozen=True)
class Supplier:
    line: int  # as a text editor or spreadsheet numbers it; the position in the API's list
    name: str = ""
    country: str = ""
    membership_number: str = ""
    too_long: bool = False


def from_text(text: str) -> list[Supplier]:
    """The suppliers of pasted text, one per non-blank line."""
    lines = LINE_BREAK.split(text.lstrip("\ufeff"))
    rows = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    return _suppliers([(number, _cells(line)) for number, line in rows])


def from_csv(text: str) -> list[Supplier] | None:
    """The suppliers of an uploaded CSV file's text; None when it cannot be read as CSV."""
    try:
        rows = csv_lines(text.lstrip("\ufeff"))
    except csv.Error:
        return None
    return _suppliers(rows)


def _cells(line: str) -> list[str]:
    """A pasted line's cells, split on the first kind of separator it holds."""
    if len(line) > MAX_LINE:
        return [line]  # refused whole; and never handed to the csv module's field limit
    delimiter = next((mark for mark in DELIMITERS if mark in line), ",")
    return next(csv.reader([line], delimiter=delimiter, skipinitialspace=True), [])


def _suppliers(rows: list[tuple[int, list[str]]]) -> list[Supplier]:
    if rows and rows[0][1] and naming.folded(rows[0][1][0]) in HEADER_WORDS:
        rows = rows[1:]
    return [_supplier(number, cells) for number, cells in rows]


def _supplier(line: int, cells: list[str]) -> Supplier:
    cells = [unescaped_cell(cell) for cell in cells]
    cells = [cell for cell in cells if cell]
    if sum(map(len, cells)) + 2 * max(len(cells) - 1, 0) > MAX_LINE:
        return Supplier(line, name=shortened(", ".join(cells)), too_long=True)
    name, country, number = [], "", ""
    for cell in cells:
        if not number and NUMBER.match(cell):
            number = cell
        elif not country and name and is_country(cell):
            country = cell
        else:
            name.append(cell)
    return Supplier(line, ", ".join(name), country, number)


def is_country(cell: str) -> bool:
    if naming.folded(cell).replace(" ", "") in LEGAL_FORMS:
        return False
    return country_code_for(cell) is not None


def shortened(text: str) -> str:
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def problem(supplier: Supplier) -> str | None:
    """Why this supplier cannot be matched, or None."""
    given = (supplier.name, supplier.country, supplier.membership_number)
    if supplier.too_long or any(len(text) > MAX_LINE for text in given):
        return _("This line is longer than %(max)d characters: shorten it.", max=MAX_LINE)
    if any(_invisible(text) for text in given):
        return _("Remove the invisible control or formatting characters from this line.")
    if not supplier.name.strip() and not supplier.membership_number.strip():
        return _("Give the supplier's name or its membership number.")
    if supplier.name.lstrip().startswith("="):
        return _("This looks like a spreadsheet formula, not a name.")
    return None


def _invisible(text: str) -> bool:
    """Control characters (bar the tab) and invisible formatting ones, as forms refuse them."""
    if text.isprintable():  # in C: no control, format or other invisible character at all
        return False
    return any(_is_invisible(ch) for ch in text)


def _is_invisible(ch: str) -> bool:
    category = unicodedata.category(ch)
    if category == "Cc":
        return ch != "\t"
    return category == "Cf" and ch not in ALLOWED_FORMAT_CHARACTERS


def shown(text: str) -> str:
    """`text` with each invisible character (but the line breaks) as the replacement character."""
    return "".join("\ufffd" if _is_invisible(ch) and ch not in "\r\n" else ch for ch in text)


def invisible_lines(text: str) -> list[int]:
    """The numbers of the lines of `text` holding invisible characters."""
    lines = LINE_BREAK.split(text.lstrip("\ufeff"))
    return [number for number, line in enumerate(lines, start=1) if _invisible(line)]


# The API's JSON ------------------------------------------------------------------------------

KEY_SHOWN = 40  # characters of an unknown field's name repeated in the error


class SupplierItem(Schema):
    model_config = ConfigDict(  # Schema's, with the API document's description of a supplier
        json_schema_extra={
            "description": "A name, or a membership number, or both; a country (ISO code or "
            "name in English, French or Spanish) makes the match surer."
        }
    )

    name: str | None = None
    country: str | None = None
    membership_number: str | None = None


class SupplierList(Schema):
    suppliers: list[SupplierItem] = Field(max_length=MAX_SUPPLIERS)


class BadRequest(Exception):
    """The JSON is not a list of suppliers as the API takes it; nothing was checked."""

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message, self.fields = message, fields or {}


def from_json(payload) -> list[Supplier]:
    """The suppliers of `{"suppliers": [{"name": ..., "country": ..., "membership_number":
    ...}]}`, each numbered by its position from 1. The messages are for developers, in English.

    :raises BadRequest: for any other shape, an unknown field, a value of the wrong type, or
        more than MAX_SUPPLIERS suppliers.
    """
    try:
        given = SupplierList.model_validate(payload)
    except ValidationError as error:
        raise _refused(payload, error.errors(include_url=False)) from None
    return [
        Supplier(position, item.name or "", item.country or "", item.membership_number or "")
        for position, item in enumerate(given.suppliers, start=1)
    ]


# What the API says for each of pydantic's errors, by where it is: the body, its list, an item
# of the list, or an item's field (a field of the body or of an item it does not know is extra).
MESSAGES = {
    "extra_forbidden": "Unknown field.",
    "missing": "Required: a list of suppliers.",
    "list_type": "Required: a list of suppliers.",
    "model_type": "Must be an object with a name, a country or a membership number.",
    "string_type": "Must be a string or null.",
}


def _refused(payload, errors: list[dict]) -> BadRequest:
    if any(not error["loc"] for error in errors):  # the body itself is not an object
        return BadRequest('The body must be a JSON object: {"suppliers": [...]}.')
    if any(error["type"] == "too_long" for error in errors):
        message = f"At most {MAX_SUPPLIERS:,} suppliers at a time; nothing was checked."
        return BadRequest(message, {"suppliers": [f"{len(payload['suppliers']):,} given."]})
    fields = {_path(error["loc"]): [MESSAGES.get(error["type"], error["msg"])] for error in errors}
    return BadRequest("Some fields are not valid; nothing was checked.", fields)


def _path(location: tuple) -> str:
    """Where in the body: `suppliers[2].name`, an unknown field's name cut to KEY_SHOWN."""
    path = ""
    for step in location:
        if isinstance(step, int):
            path += f"[{step}]"
        else:
            name = step if len(step) <= KEY_SHOWN else step[:KEY_SHOWN] + "…"
            path += f".{name}" if path else name
    return path
