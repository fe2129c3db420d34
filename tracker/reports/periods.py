"""Reporting years and their deadlines, from configuration.

A reporting year runs twelve months from `REPORTING_YEAR_START_MONTH` (January by default, the
calendar year) and is named by the calendar year it starts in. Its report is due on the first
`REPORT_DUE_MONTH`/`REPORT_DUE_DAY` after it ends (31 March by default). A member's first report
is for its first full reporting year: the first that starts on or after the day it joined.

Staff may extend a year's due date by at most `REPORT_EXTENSION_MAX_MONTHS` (12 at most), and
never past the next year's due date: so once a later year's report is overdue, every earlier
year's extension has run out too, and one year's extension can never hide another's standing.
"""

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class ReportingYear:
    year: int  # the calendar year it starts in
    start: date
    end: date  # its last day
    due: date  # the day its report is due
    latest_extension: date  # the latest due date an extension may set (see the module's note)


@dataclass(frozen=True)
class ReportingCalendar:
    start_month: int = 1
    due_month: int = 3
    due_day: int = 31
    extension_months: int = 12

    def __post_init__(self) -> None:
        if not (1 <= self.start_month <= 12 and 1 <= self.due_month <= 12):
            raise ValueError("reporting months run from 1 to 12")
        if not 1 <= self.due_day <= 31:
            raise ValueError("the due day runs from 1 to 31")
        if not 1 <= self.extension_months <= 12:
            raise ValueError("an extension runs from 1 to 12 months")

    @classmethod
    def from_config(cls, config: Mapping) -> "ReportingCalendar":
        return cls(
            start_month=int(config.get("REPORTING_YEAR_START_MONTH", 1)),
            due_month=int(config.get("REPORT_DUE_MONTH", 3)),
            due_day=int(config.get("REPORT_DUE_DAY", 31)),
            extension_months=int(config.get("REPORT_EXTENSION_MAX_MONTHS", 12)),
        )

    def year(self, year: int) -> ReportingYear:
        start = date(year, self.start_month, 1)
        next_start = date(year + 1, self.start_month, 1)
        end = date.fromordinal(next_start.toordinal() - 1)
        due = self._due_after(end)
        next_due = self._due_after(date(year + 2, self.start_month, 1) - timedelta(days=1))
        latest = min(add_months(due, self.extension_months), next_due)
        return ReportingYear(year, start, end, due, latest)

    def containing(self, day: date) -> ReportingYear:
        """The reporting year `day` falls in."""
        year = day.year if day.month >= self.start_month else day.year - 1
        return self.year(year)

    def first_full_year(self, joined: date) -> ReportingYear:
        """The first reporting year a member who joined on `joined` reports on."""
        current = self.containing(joined)
        return current if current.start == joined else self.year(current.year + 1)

    def ended_years(self, joined: date, today: date) -> list[ReportingYear]:
        """Every reporting year a member who joined on `joined` owes a report for by `today`
        (it has ended), oldest first; each is overdue once `today` is past its `due`."""
        years, current = [], self.first_full_year(joined)
        while current.end < today:
            years.append(current)
            current = self.year(current.year + 1)
        return years

    def next_report(self, joined: date, today: date) -> ReportingYear:
        """The report to work on now: the first year whose deadline has not passed."""
        current = self.first_full_year(joined)
        while current.due < today:
            current = self.year(current.year + 1)
        return current

    def _due_after(self, end: date) -> date:
        # The first due day after the year ends; the 31st of a shorter month is its last day.
        year = end.year if (self.due_month, self.due_day) > (end.month, end.day) else end.year + 1
        day = min(self.due_day, calendar.monthrange(year, self.due_month)[1])
        return date(year, self.due_month, day)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st of a shorter month becomes its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
