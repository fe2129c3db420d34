"""Reporting years and deadlines: the calendar year by default, or any twelve months."""

from datetime import date

import pytest

from tracker.reports.periods import ReportingCalendar

DEFAULT = ReportingCalendar()
JULY_TO_JUNE = ReportingCalendar(start_month=7, due_month=9, due_day=30)


def test_by_default_the_calendar_year_is_due_on_31_march_after_it():
    year = DEFAULT.year(2026)
    assert (year.start, year.end, year.due) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
        date(2027, 3, 31),
    )


def test_a_fiscal_year_is_named_by_the_year_it_starts_in():
    year = JULY_TO_JUNE.year(2026)
    assert (year.start, year.end, year.due) == (
        date(2026, 7, 1),
        date(2027, 6, 30),
        date(2027, 9, 30),
    )
    assert JULY_TO_JUNE.containing(date(2027, 2, 1)).year == 2026
    assert JULY_TO_JUNE.containing(date(2027, 7, 1)).year == 2027


@pytest.mark.parametrize(
    ("joined", "first"),
    [(date(2025, 6, 10), 2026), (date(2026, 1, 1), 2026), (date(2025, 12, 31), 2026)],
)
def test_the_first_report_is_for_the_first_full_year(joined, first):
    assert DEFAULT.first_full_year(joined).year == first


def test_reports_are_owed_for_every_ended_year_and_worked_on_until_their_deadline():
    joined = date(2024, 5, 2)  # the first full year is 2025
    assert DEFAULT.ended_years(joined, date(2025, 12, 31)) == []
    assert DEFAULT.ended_years(joined, date(2026, 1, 1)) == [DEFAULT.year(2025)]
    assert [y.year for y in DEFAULT.ended_years(joined, date(2027, 3, 31))] == [2025, 2026]
    # Until 31 March 2026 the 2025 report is the one to do; the day after, 2026's.
    assert DEFAULT.next_report(joined, date(2026, 3, 31)).year == 2025
    assert DEFAULT.next_report(joined, date(2026, 4, 1)).year == 2026
    assert DEFAULT.next_report(date(2026, 11, 30), date(2026, 11, 30)).year == 2027


def test_a_due_day_past_the_months_end_is_its_last_day():
    leap = ReportingCalendar(due_month=2, due_day=29)
    assert leap.year(2026).due == date(2027, 2, 28)
    assert leap.year(2027).due == date(2028, 2, 29)
    assert ReportingCalendar(due_month=4, due_day=31).year(2026).due == date(2027, 4, 30)


def test_an_extension_reaches_the_next_years_due_date_at_the_latest():
    assert DEFAULT.year(2025).latest_extension == date(2027, 3, 31)
    assert ReportingCalendar(extension_months=3).year(2025).latest_extension == date(2026, 6, 30)
    # Due 30 November, in the year's own last month: twelve months on is past the next due date.
    late = ReportingCalendar(due_month=11, due_day=30)
    assert late.year(2025).due == date(2026, 11, 30)
    assert late.year(2025).latest_extension == late.year(2026).due == date(2027, 11, 30)
    leap = ReportingCalendar(due_month=2, due_day=29, extension_months=12)
    assert leap.year(2026).latest_extension == date(2028, 2, 28)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start_month": 13}, "months"),
        ({"due_month": 0}, "months"),
        ({"due_day": 32}, "due day"),
        ({"extension_months": 13}, "extension"),
        ({"extension_months": 0}, "extension"),
    ],
)
def test_impossible_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ReportingCalendar(**kwargs)


def test_settings_come_from_the_configuration(app):
    assert ReportingCalendar.from_config(app.config) == DEFAULT
    settings = {"REPORTING_YEAR_START_MONTH": "7", "REPORT_DUE_MONTH": "9", "REPORT_DUE_DAY": "30"}
    assert ReportingCalendar.from_config(settings) == JULY_TO_JUNE
