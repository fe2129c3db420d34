"""A member's reporting standing, derived from its reports and extensions, never stored.

- good standing: every report due so far is handed in and the latest of them is accepted (or
  nothing is due yet);
- under review: everything due is handed in, the latest is waiting for ECPAT's decision;
- report due: a report is owed and its due date has not passed;
- extension granted: the same, on a later date staff granted;
- overdue: a report owed is not handed in after its due date (or its extension's).

A report is handed in once submitted; a returned one is owed again until it is resubmitted.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from tracker.models_base import LabelledEnum
from tracker.reports.models import ReportState
from tracker.reports.periods import ReportingCalendar, ReportingYear

HANDED_IN = frozenset({ReportState.SUBMITTED, ReportState.ACCEPTED})


class ReportingStanding(LabelledEnum):
    GOOD = "good"
    UNDER_REVIEW = "under_review"
    DUE = "due"
    EXTENDED = "extended"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return {
            "good": _l("In good standing"),
            "under_review": _l("Report under review"),
            "due": _l("Report due"),
            "extended": _l("Extension granted"),
            "overdue": _l("Report overdue"),
        }[self.value]

    @property
    def tone(self) -> str:
        return {
            "good": "success",
            "under_review": "info",
            "due": "info",
            "extended": "warning",
            "overdue": "danger",
        }[self.value]

    @property
    def is_owed(self) -> bool:
        """A report is owed: its year ended and none is handed in (due, extended or late)."""
        return self in (self.DUE, self.EXTENDED, self.OVERDUE)


@dataclass(frozen=True)
class Standing:
    kind: ReportingStanding
    year: int | None  # the report it is about: owed, under review, or the next to write
    due: date | None  # when that report is (or was) due, after any extension
    days_overdue: int = 0
    extended_from: date | None = None  # the normal due date, when an extension moved it

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def is_good(self) -> bool:
        return self.kind is ReportingStanding.GOOD


def standing_of(
    joined: date,
    today: date,
    calendar: ReportingCalendar,
    states: Mapping[int, ReportState],
    extensions: Mapping[int, date],
) -> Standing:
    """The standing of a member who joined on `joined`, given its reports' states and its
    extended due dates, both by reporting year."""
    owed = owed_years(calendar.ended_years(joined, today), states)
    if owed:
        # The oldest report owed decides: it has been due the longest.
        year = owed[0]
        due = due_date(year, extensions)
        if today > due.on:
            late = (today - due.on).days
            return Standing(ReportingStanding.OVERDUE, year.year, due.on, late, due.extended_from)
        kind = ReportingStanding.EXTENDED if due.extended_from else ReportingStanding.DUE
        return Standing(kind, year.year, due.on, extended_from=due.extended_from)
    ended = calendar.ended_years(joined, today)
    if ended and states.get(ended[-1].year) is ReportState.SUBMITTED:
        return Standing(ReportingStanding.UNDER_REVIEW, ended[-1].year, ended[-1].due)
    upcoming = next_year(joined, today, calendar)
    return Standing(ReportingStanding.GOOD, upcoming.year, upcoming.due)


def owed_years(
    years: Iterable[ReportingYear], states: Mapping[int, ReportState]
) -> list[ReportingYear]:
    """Those of `years` whose report is not handed in (none, a draft, a returned one), in
    order: the one rule of what a member owes, for its standing, its reminders and, kept as
    `Membership.first_unreported_year`, the SQL twins in standing_query.py."""
    return [year for year in years if states.get(year.year) not in HANDED_IN]


def effective_due(year: ReportingYear, extensions: Mapping[int, date]) -> date:
    """When `year`'s report is due: its extension's date (never past the latest an extension
    may reach, whatever an older rule let staff store), else the normal date."""
    if year.year not in extensions:
        return year.due
    return min(extensions[year.year], year.latest_extension)


@dataclass(frozen=True)
class DueDate:
    """When a year's report is due (`on`) and, when staff extended it, the normal date it
    replaced: every page shows both, so a member never sees the old date alone."""

    on: date
    extended_from: date | None = None


def due_date(year: ReportingYear, extensions: Mapping[int, date]) -> DueDate:
    """`year`'s due date as every page shows it (`effective_due`, with the date it replaced)."""
    if year.year not in extensions:
        return DueDate(year.due)
    return DueDate(effective_due(year, extensions), year.due)


def next_year(joined: date, today: date, calendar: ReportingCalendar) -> ReportingYear:
    """The first reporting year that has not ended: the next report to write."""
    first = calendar.first_full_year(joined)
    current = calendar.containing(today)
    return first if first.start > current.start else current
