"""Staff training of a report as a CSV file: a template to download, and the filled file read back.

A hotel chain reports training per property, hundreds of rows, so it fills them in a
spreadsheet. The file never adds or removes rows (they come from the company's properties):
each line is matched to one of the report's rows by country code and property name
(`content.row_key`), and every problem is given with the line number the spreadsheet shows, so
a bad line is corrected in the file rather than half the file saved. Reading, decoding and
formula escaping are the properties import's (`companies.properties`).
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.companies import properties
from tracker.companies.services import MAX_PROPERTIES
from tracker.countries import country_name
from tracker.reports import services
from tracker.reports.content import row_in_words, row_key, row_label
from tracker.reports.models import Report, TrainingFormat, TrainingRow

COLUMNS = (
    _l("Country code"),
    _l("Property"),
    _l("City"),
    _l("Employees at year end"),
    _l("Trained during the year"),
    _l("Format"),
    _l("Hours per person"),
)
DELIMITERS = ",;\t"
SAMPLE_LINES = 20
# Besides each format's value and its label in every language of the site: words a French or
# Spanish spreadsheet is likely to hold whatever the labels' translations say.
FORMAT_WORDS = {
    TrainingFormat.E_LEARNING: ("online", "en ligne", "formation en ligne", "en línea"),
    TrainingFormat.CLASSROOM: ("in person", "présentiel", "en classe", "presencial", "en aula"),
    TrainingFormat.BOTH: ("les deux", "ambos", "ambas"),
}
SPACES = re.compile(r"[\s']")  # thousands separators: spaces (no-break ones too), apostrophes
GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+")  # 1,234 or 1.234
WHOLE = re.compile(r"(\d{1,12})(?:[.,]0+)?")  # 12, or 12.0 as a spreadsheet may write it
DECIMAL = re.compile(r"\d{1,6}(?:[.,]\d{1,6})?")  # hours: 2.5, or 2,5 (a decimal comma)


@dataclass
class TrainingLine:
    """One line of the file: the row of the report it updates (`row_id`) and its new values."""

    line: int
    label: str
    row_id: int | None = None
    employees: int | None = None
    trained: int | None = None
    format: TrainingFormat | None = None
    hours: float | None = None
    changed: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def values(self) -> dict[str, str]:
        """The new values as the report's pages show them, coverage included."""
        return row_in_words(
            {
                "employees": self.employees,
                "trained": self.trained,
                "format": self.format.value if self.format else None,
                "hours": self.hours,
            }
        )

    def as_input(self) -> services.TrainingInput:
        assert self.row_id is not None
        return services.TrainingInput(
            self.row_id, self.employees, self.trained, self.format, self.hours
        )


@dataclass
class ParsedTraining:
    lines: list[TrainingLine]
    errors: list[str]  # problems of the whole file (unreadable, empty, too long)
    untouched: int  # rows of the report the file does not mention: they keep their values

    @property
    def ok(self) -> bool:
        return not self.errors and not any(line.errors for line in self.lines)

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(1 for line in self.lines if line.errors)

    @property
    def changed_count(self) -> int:
        return sum(1 for line in self.lines if line.changed)


# -- The template -----------------------------------------------------------------------------


def template_csv(report: Report) -> str:
    """The report's rows with their current values, to fill in and import again. Text cells a
    spreadsheet would run as formulas get a leading apostrophe (the import drops it)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([properties.escaped_cell(str(title)) for title in COLUMNS])
    for row in report.training:
        cells = (
            row.country_code,
            row.property_name or "",
            row.city or "",
            _text(row.employees),
            _text(row.trained),
            str(row.format.label) if row.format else "",
            _text(row.hours),
        )
        writer.writerow([properties.escaped_cell(cell) for cell in cells])
    return out.getvalue()


def _text(number: int | float | None) -> str:
    """A number as the import reads it back: 2 not 2.0, 0.00001 not 1e-05."""
    if number is None:
        return ""
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return format(Decimal(repr(number)), "f")


# -- Reading a file ---------------------------------------------------------------------------


def parse(text: str, report: Report) -> ParsedTraining:
    """Every line of `text` matched to a row of `report`, with its problems. Nothing changes."""
    untouched = len(report.training)
    try:
        found = _lines(text.lstrip("\ufeff"))
    except csv.Error as error:
        message = _("This is not a CSV file we can read (%(error)s).", error=error)
        return ParsedTraining([], [message], untouched)
    if found and _is_header(found[0][1]):
        found = found[1:]
    if not found:
        return ParsedTraining([], [_("There are no rows to import.")], untouched)
    if len(found) > MAX_PROPERTIES:
        message = _(
            "The file has %(count)d rows; a company lists at most %(max)d.",
            count=len(found),
            max=MAX_PROPERTIES,
        )
        return ParsedTraining([], [message], untouched)
    by_key = {row_key(_as_dict(row)): row for row in report.training}
    formats = _format_names()
    lines, seen = [], {}
    for number, cells in found:
        line = _line(number, cells, by_key, formats)
        if line.row_id is not None:
            if line.row_id in seen:
                line.errors.insert(0, _("This row repeats line %(line)d.", line=seen[line.row_id]))
            seen.setdefault(line.row_id, number)
        lines.append(line)
    return ParsedTraining(lines, [], untouched - len(seen))


def answers_with(report: Report, parsed: ParsedTraining) -> services.Answers:
    """The report's answers as they are, with the file's training rows: what `save_draft`
    saves. Rows the file does not mention keep their values."""
    given = {line.row_id: line.as_input() for line in parsed.lines if line.row_id is not None}
    training = tuple(
        given.get(row.id)
        or services.TrainingInput(row.id, row.employees, row.trained, row.format, row.hours)
        for row in report.training
    )
    return services.answers_of(report, training=training)


def _lines(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each line with something in it. Sniffing alone reads a semicolon
    file whose every line holds one decimal comma (French hours, "2,5") as comma-separated, so
    the separator that gives the template's seven columns wins; failing that, the properties
    import's sniffing decides."""
    sample = text.splitlines()[:SAMPLE_LINES]

    def fit(delimiter: str) -> int:
        return sum(len(cells) == len(COLUMNS) for cells in csv.reader(sample, delimiter=delimiter))

    delimiter = max(DELIMITERS, key=fit)
    if not fit(delimiter):
        return properties.csv_lines(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=True)
    return [(reader.line_num, cells) for cells in reader if any(cell.strip() for cell in cells)]


def _is_header(cells: list[str]) -> bool:
    """A first line of column titles, in any language: no country, and words for numbers."""
    if properties.folded(cells[0]) in properties.HEADER_WORDS:
        return True
    counts = (cells + ["", "", "", "", ""])[3:5]
    return properties.country_code_for(cells[0]) is None and all(
        cell.strip() and not _looks_numeric(cell) for cell in counts
    )


def _looks_numeric(cell: str) -> bool:
    return any(ch.isdigit() for ch in cell)


def _as_dict(row: TrainingRow) -> dict:
    return {"country_code": row.country_code, "property_name": row.property_name, "city": row.city}


def _line(number: int, cells: list[str], rows: dict, formats: dict) -> TrainingLine:
    """One line read: the row it names (the city is for people, not for matching) and its
    values, each problem noted."""
    values = [properties.unescaped_cell(cell) for cell in cells] + [""] * len(COLUMNS)
    country, name, _city, employees, trained, format_, hours = values[: len(COLUMNS)]
    line, row = _matched(number, country, name, rows)
    if any(cell.strip() for cell in cells[len(COLUMNS) :]):
        line.errors.append(
            _(
                "Use seven columns: country code, property, city, employees, trained, format "
                "and hours."
            )
        )
    line.employees = _count(
        employees, line, _("Give employees as a whole number from 0 to 10,000,000.")
    )
    line.trained = _count(
        trained, line, _("Give trained people as a whole number from 0 to 10,000,000.")
    )
    # The rule of `services.save_draft`, which checks it again on saving.
    if line.trained is not None and line.trained > (line.employees or 0):
        line.errors.append(_("Trained people cannot outnumber employees."))
    line.format = _format(format_, line, formats)
    line.hours = _hours(hours, line)
    if row is not None:
        before = (row.employees, row.trained, row.format, row.hours)
        line.changed = before != (line.employees, line.trained, line.format, line.hours)
    return line


def _matched(
    number: int, country: str, name: str, rows: dict
) -> tuple[TrainingLine, TrainingRow | None]:
    """The line, and the report's row it names (None when there is no such row)."""
    code = properties.country_code_for(country)
    row = rows.get(row_key({"country_code": code, "property_name": name})) if code else None
    if row is not None:
        return TrainingLine(number, row_label(_as_dict(row)), row_id=row.id), row
    named = _named(name, country_name(code) if code else country)
    line = TrainingLine(number, named)
    if code is None:
        line.errors.append(_("Unknown country “%(country)s”.", country=country[:60]))
    else:
        line.errors.append(_("This report has no row for “%(row)s”.", row=named))
    return line, None


def _named(name: str, country: str) -> str:
    return (f"{name} ({country})" if name else country)[:120]


def _count(cell: str, line: TrainingLine, message: str) -> int | None:
    text = SPACES.sub("", cell)
    if not text:
        return None
    if GROUPED.fullmatch(text):
        text = re.sub("[.,]", "", text)
    match = WHOLE.fullmatch(text)
    if match is None or int(match.group(1)) > services.MAX_COUNT:
        line.errors.append(message)
        return None
    return int(match.group(1))


def _hours(cell: str, line: TrainingLine) -> float | None:
    text = SPACES.sub("", cell)
    if not text:
        return None
    if not DECIMAL.fullmatch(text) or float(text.replace(",", ".")) > services.MAX_HOURS:
        line.errors.append(_("Give hours per person as a number from 0 to 1,000."))
        return None
    return float(text.replace(",", "."))


def _format(cell: str, line: TrainingLine, formats: dict) -> TrainingFormat | None:
    if not cell:
        return None
    found = formats.get(_squashed(cell))
    if found is None:
        choices = ", ".join(str(choice.label) for choice in TrainingFormat)
        line.errors.append(
            _("Unknown format “%(format)s”: use %(choices)s.", format=cell[:40], choices=choices)
        )
    return found


def _format_names() -> dict[str, TrainingFormat]:
    """Every way of writing a format the import accepts, squashed: its value, its label in
    each language of the site and the reader's own, and the words of FORMAT_WORDS."""
    names = {}
    for choice in TrainingFormat:
        words = {choice.value, str(choice.label), *FORMAT_WORDS[choice]}
        for language in current_app.config["LANGUAGES"]:
            with force_locale(language):
                words.add(str(choice.label))
        names |= {_squashed(word): choice for word in words}
    return names


def _squashed(text: str) -> str:
    """Case, accents, spaces, hyphens and underscores aside: "E-learning" is "e_learning"."""
    return "".join(ch for ch in properties.folded(text) if ch.isalnum())
