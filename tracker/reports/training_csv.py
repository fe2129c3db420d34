"""Staff training of a report as a CSV file: a template to download, and the filled file read back.

A hotel chain reports training per property, hundreds of rows, so it fills them in a
spreadsheet. The file is long: one line per row and staff group (front-line, management,
other), the row's hours per person repeated on each of its lines. The file never adds or removes
rows (they come from the company's properties): each line is matched to one of the report's
rows by country code and property name (`content.row_key`), and every problem is given with the
line number the spreadsheet shows, so a bad line is corrected in the file rather than half the
file saved. Reading, decoding and dropping the formula escapes are the properties import's
(`companies.properties`); escaping formulas is `csv_export`'s.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker import numbers
from tracker.companies import properties
from tracker.companies.naming import folded
from tracker.companies.services import MAX_PROPERTIES
from tracker.countries import country_name
from tracker.csv_export import escaped_cell
from tracker.reports import drafting, inputs
from tracker.reports.content import (
    formats_in_words,
    group_trained,
    in_words,
    row_key,
    row_label,
)
from tracker.reports.models import Report, TrainingRow
from tracker.reports.training import GROUP_COUNTS, StaffGroup

COLUMNS = (
    _l("Country code"),
    _l("Property"),
    _l("City"),
    _l("Staff group"),
    _l("Employees at year end"),
    _l("New training, in person"),
    _l("New training, e-learning"),
    _l("Refresher training, in person"),
    _l("Refresher training, e-learning"),
    _l("Currently trained"),
    _l("Hours per person"),
)
FIRST_COUNT = 4  # the column of employees; the group's counts follow in GROUP_COUNTS' order
DELIMITERS = ",;\t"
SAMPLE_LINES = 20
# Besides each group's value and its label in every language of the site: words a French or
# Spanish spreadsheet is likely to hold whatever the labels' translations say.
GROUP_WORDS = {
    StaffGroup.FRONT_LINE: (
        "front-line",
        "front line",
        "frontline",
        "première ligne",
        "premiere ligne",
        "primera línea",
        "primera linea",
        "primera fila",
    ),
    StaffGroup.MANAGEMENT: (
        "managers",
        "direction",
        "encadrement",
        "gestion",
        "dirección",
        "gerencia",
        "administración",
    ),
    StaffGroup.OTHER: ("others", "autre", "autres", "otro", "otros", "otra", "otras"),
}
STAFF_GROUPS = list(StaffGroup)
PREVIEW_LINES = 300
# A line per staff group of every row: the most a file may hold.
MAX_LINES = MAX_PROPERTIES * len(STAFF_GROUPS)


@dataclass
class TrainingLine:
    """One line of the file: the row of the report it updates (`row_id`), the staff group, and
    that group's new figures (`counts`, by GROUP_COUNTS name) and the row's hours."""

    line: int
    label: str
    row_id: int | None = None
    staff_group: StaffGroup | None = None
    counts: dict[str, int | None] = field(default_factory=dict)
    hours: float | None = None
    changed: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def group_label(self) -> str:
        return str(self.staff_group.label) if self.staff_group else ""

    @property
    def values(self) -> dict[str, str]:
        """The new values as the report's pages show them."""
        trained = group_trained(self.counts)
        return {
            "employees": _words(self.counts.get("employees")),
            "trained": _words(trained),
            "current": _words(self.counts.get("current")),
            "format": formats_in_words([self.counts]),
            "hours": _words(self.hours),
        }

    def as_input(self) -> inputs.GroupInput:
        assert self.staff_group is not None
        return inputs.GroupInput(self.staff_group, **self.counts)


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

    @property
    def row_count(self) -> int:
        """Rows of the report the file gives figures for."""
        return len({line.row_id for line in self.lines if line.row_id is not None})

    @property
    def problem_lines(self) -> list[TrainingLine]:
        return [line for line in self.lines if line.errors]

    @property
    def shown(self) -> list[TrainingLine]:
        """What the preview lists: the lines with problems if there are any, else the lines to
        import; at most PREVIEW_LINES of them (a chain's 6,000 lines made a page of megabytes
        that took seconds to build: the rest are counted, and imported all the same)."""
        return (self.problem_lines or self.lines)[:PREVIEW_LINES]

    @property
    def not_shown(self) -> int:
        return len(self.problem_lines or self.lines) - len(self.shown)


def _words(number) -> str:
    return in_words("number", number)


# -- The template -----------------------------------------------------------------------------


def template_csv(report: Report) -> str:
    """The report's rows, one line per staff group, with their current values, to fill in and
    import again. Text cells a spreadsheet would run as formulas get a leading apostrophe (the
    import drops it)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([escaped_cell(str(title)) for title in COLUMNS])
    for row in report.training:
        given = {group.staff_group: group for group in row.groups}
        for staff_group in STAFF_GROUPS:
            group = given.get(staff_group)
            cells = (
                row.country_code,
                row.property_name or "",
                row.city or "",
                str(staff_group.label),
                *(_text(getattr(group, name, None)) for name in GROUP_COUNTS),
                _text(row.hours),
            )
            writer.writerow([escaped_cell(cell) for cell in cells])
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
    """Every line of `text` matched to a row of `report` and a staff group, with its problems.
    Nothing changes."""
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
    if len(found) > MAX_LINES:
        message = _(
            "The file has %(count)d lines; a company lists at most %(max)d.",
            count=len(found),
            max=MAX_LINES,
        )
        return ParsedTraining([], [message], untouched)
    by_key = {row_key(_as_dict(row)): row for row in drafting.load_training(report)}
    groups = _group_names()
    lines = [_line(number, cells, by_key, groups) for number, cells in found]
    _check_together(lines)
    return ParsedTraining(lines, [], untouched - len({line.row_id for line in lines} - {None}))


def _check_together(lines: list[TrainingLine]) -> None:
    """What lines break together: a row and group given twice, a row's hours differing."""
    seen: dict[tuple, int] = {}
    hours: dict[int, tuple[int, float | None]] = {}
    for line in lines:
        if line.row_id is None:
            continue
        if line.staff_group is not None:
            key = (line.row_id, line.staff_group)
            if key in seen:
                message = _("This row and staff group repeat line %(line)d.", line=seen[key])
                line.errors.insert(0, message)
            seen.setdefault(key, line.line)
        if line.hours is None:  # blank: the hours another line of the row gives
            continue
        first = hours.setdefault(line.row_id, (line.line, line.hours))
        if first[1] != line.hours:
            line.errors.append(
                _(
                    "Give the same hours per person as line %(line)d.",
                    line=first[0],
                )
            )


def answers_with(report: Report, parsed: ParsedTraining) -> inputs.Answers:
    """The report's answers as they are, with the file's training figures: what `save_draft`
    saves. Rows the file does not mention, and groups of a row it does not give, keep their
    values; a row's hours are those its lines give (blank on every line: none)."""
    by_row: dict[int, list[TrainingLine]] = {}
    for line in parsed.lines:
        if line.row_id is not None:
            by_row.setdefault(line.row_id, []).append(line)
    training = []
    for row in report.training:
        kept = drafting.training_input_of(row)
        lines = by_row.get(row.id)
        if lines is None:
            training.append(kept)
            continue
        groups = {group.staff_group: group for group in kept.groups}
        groups |= {line.staff_group: line.as_input() for line in lines}
        ordered = tuple(groups[g] for g in STAFF_GROUPS if g in groups)
        given_hours = [line.hours for line in lines if line.hours is not None]
        hours = given_hours[0] if given_hours else None
        training.append(inputs.TrainingInput(row.id, ordered, hours))
    return inputs.answers_of(report, training=tuple(training))


def _lines(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each line with something in it. Sniffing alone reads a semicolon
    file whose every line holds one decimal comma (French hours, "2,5") as comma-separated, so
    the separator that gives the template's columns wins; failing that, the properties
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
    if folded(cells[0]) in properties.HEADER_WORDS:
        return True
    counts = (cells + [""] * len(COLUMNS))[FIRST_COUNT : FIRST_COUNT + 2]
    return properties.country_code_for(cells[0]) is None and all(
        cell.strip() and not _looks_numeric(cell) for cell in counts
    )


def _looks_numeric(cell: str) -> bool:
    return any(ch.isdigit() for ch in cell)


def _as_dict(row: TrainingRow) -> dict:
    return {"country_code": row.country_code, "property_name": row.property_name, "city": row.city}


def _line(number: int, cells: list[str], rows: dict, groups: dict) -> TrainingLine:
    """One line read: the row it names (the city is for people, not for matching), the staff
    group and its values, each problem noted."""
    values = [properties.unescaped_cell(cell) for cell in cells] + [""] * len(COLUMNS)
    country, name, _city, group_cell = values[:FIRST_COUNT]
    line, row = _matched(number, country, name, rows)
    if any(cell.strip() for cell in cells[len(COLUMNS) :]):
        line.errors.append(
            _(
                "Use eleven columns: country code, property, city, staff group, employees, "
                "new training in person and by e-learning, refresher training in person and by "
                "e-learning, currently trained and hours."
            )
        )
    line.staff_group = _staff_group(group_cell, line, groups)
    problems = len(line.errors)
    line.counts = {
        name: _count(values[FIRST_COUNT + place], line, name)
        for place, name in enumerate(GROUP_COUNTS)
    }
    if len(line.errors) == problems and line.staff_group is not None:
        # The rules of `drafting.save_draft`, which checks them again on saving.
        line.errors += [message for _f, message in inputs.group_errors(line.as_input(), "")]
    line.hours = _hours(values[len(COLUMNS) - 1], line)
    if row is not None and line.staff_group is not None:
        before = next((g for g in row.groups if g.staff_group is line.staff_group), None)
        then = {name: getattr(before, name, None) for name in GROUP_COUNTS}
        line.changed = (then, row.hours) != (line.counts, line.hours)
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


COUNT_MESSAGES = {
    "employees": _l("Give employees as a whole number from 0 to 10,000,000."),
    "new_in_person": _l("Give new training in person as a whole number from 0 to 10,000,000."),
    "new_e_learning": _l("Give new e-learning as a whole number from 0 to 10,000,000."),
    "refresher_in_person": _l(
        "Give refresher training in person as a whole number from 0 to 10,000,000."
    ),
    "refresher_e_learning": _l("Give refresher e-learning as a whole number from 0 to 10,000,000."),
    "current": _l("Give currently trained people as a whole number from 0 to 10,000,000."),
}


def _count(cell: str, line: TrainingLine, name: str) -> int | None:
    if not cell.strip():
        return None
    try:
        number = numbers.parse_cell_whole(cell)
    except ValueError:
        number = None
    if number is None or not 0 <= number <= inputs.MAX_COUNT:
        line.errors.append(str(COUNT_MESSAGES[name]))
        return None
    return number


def _hours(cell: str, line: TrainingLine) -> float | None:
    if not cell.strip():
        return None
    try:
        hours = numbers.parse_cell_number(cell)
    except ValueError:
        hours = None
    if hours is None or not 0 <= hours <= inputs.MAX_HOURS:
        line.errors.append(_("Give hours per person as a number from 0 to 1,000."))
        return None
    return float(hours)


def _staff_group(cell: str, line: TrainingLine, groups: dict) -> StaffGroup | None:
    found = groups.get(_squashed(cell)) if cell else None
    if found is None:
        choices = ", ".join(str(choice.label) for choice in StaffGroup)
        line.errors.append(
            _("Unknown staff group “%(group)s”: use %(choices)s.", group=cell[:40], choices=choices)
            if cell
            else _("Give the staff group: %(choices)s.", choices=choices)
        )
    return found


def _group_names() -> dict[str, StaffGroup]:
    """Every way of writing a staff group the import accepts, squashed: its value, its label
    in each language of the site and the reader's own, and the words of GROUP_WORDS."""
    names = {}
    for choice in StaffGroup:
        words = {choice.value, str(choice.label), *GROUP_WORDS[choice]}
        for language in current_app.config["LANGUAGES"]:
            with force_locale(language):
                words.add(str(choice.label))
        names |= {_squashed(word): choice for word in words}
    return names


def _squashed(text: str) -> str:
    """Case, accents, spaces, hyphens and underscores aside: "Front-line" is "front_line"."""
    return "".join(ch for ch in folded(text) if ch.isalnum())
