"""Reporting years and their deadlines, from configuration.

A reporting year runs twelve months from `REPORTING_YEAR_START_MONTH` (January by default, the
calendar year) and is named by the calendar year it starts in. Its report is due on the first
`REPORT_DUE_MONTH`/`REPORT_DUE_DAY` after it ends (31 March by default). A member's first report
is for its first full reporting year: the first that starts on or after the day it joined.
"""

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ReportingYear:
    year: int  # the calendar year it starts in
    start: date
    end: date  # its last day
    due: date  # the day its report is due


@dataclass(frozen=True)
class ReportingCalendar:
    start_month: int = 1
    due_month: int = 3
    due_day: int = 31

    def __post_init__(self) -> None:
        if not (1 <= self.start_month <= 12 and 1 <= self.due_month <= 12):
            raise ValueError("reporting months run from 1 to 12")
        if not 1 <= self.due_day <= 31:
            raise ValueError("the due day runs from 1 to 31")

    @classmethod
    def from_config(cls, config: Mapping) -> "ReportingCalendar":
        return cls(
            start_month=int(config.get("REPORTING_YEAR_START_MONTH", 1)),
            due_month=int(config.get("REPORT_DUE_MONTH", 3)),
            due_day=int(config.get("REPORT_DUE_DAY", 31)),
        )

    def year(self, year: int) -> ReportingYear:
        start = date(year, self.start_month, 1)
        next_start = date(year + 1, self.start_month, 1)
        end = date.fromordinal(next_start.toordinal() - 1)
        return ReportingYear(year, start, end, self._due_after(end))

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
