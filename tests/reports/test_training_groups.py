"""Training by staff group (issue 15 item 6): a row's totals are its groups' sums."""

import pytest

from tracker import create_app
from tracker.reports.models import TrainingFormat, TrainingRow
from tracker.reports.training import StaffGroup, check_validity_years, validity_first_year


def test_a_row_adds_up_its_groups():
    row = TrainingRow(country_code="FR")
    front = row.group(StaffGroup.FRONT_LINE)
    front.employees, front.new_in_person, front.refresher_e_learning, front.current = 30, 5, 3, 20
    management = row.group(StaffGroup.MANAGEMENT)
    management.employees, management.new_e_learning, management.current = 4, 2, 4
    row.add_up()
    assert (row.employees, row.trained, row.current) == (34, 10, 24)
    assert row.format is TrainingFormat.BOTH
    assert row.group(StaffGroup.FRONT_LINE) is front  # asked again, not added twice
    assert len(row.groups) == 2


def test_a_row_of_blank_groups_has_blank_totals():
    row = TrainingRow(country_code="FR", employees=3, trained=1, current=1)
    row.group(StaffGroup.OTHER)
    row.add_up()
    assert (row.employees, row.trained, row.current, row.format) == (None, None, None, None)


def test_training_in_person_only_reads_as_classroom():
    row = TrainingRow(country_code="KE")
    other = row.group(StaffGroup.OTHER)
    other.employees, other.refresher_in_person, other.current = 10, 2, 2
    row.add_up()
    assert (row.trained, row.format) == (2, TrainingFormat.CLASSROOM)


def test_current_training_reaches_back_the_validity_period(app, monkeypatch):
    assert validity_first_year(2026) == 2025
    monkeypatch.setitem(app.config, "TRAINING_VALIDITY_YEARS", 3)
    assert validity_first_year(2026) == 2024


@pytest.mark.parametrize("value", ["0", "11", "two", "", None, "2.5"])
def test_a_validity_period_out_of_range_refuses_to_start(value):
    with pytest.raises(RuntimeError, match="TRAINING_VALIDITY_YEARS"):
        check_validity_years(value)


def test_the_app_refuses_to_start_with_a_bad_validity_period(monkeypatch):
    from config import TestingConfig

    monkeypatch.setattr(TestingConfig, "TRAINING_VALIDITY_YEARS", 0)
    with pytest.raises(RuntimeError, match="TRAINING_VALIDITY_YEARS"):
        create_app(TestingConfig)


def test_coverage_reads_the_currently_trained():
    row = TrainingRow(country_code="FR")
    front = row.group(StaffGroup.FRONT_LINE)
    front.employees, front.new_in_person, front.current = 40, 4, 30
    row.add_up()
    assert row.coverage == 0.75  # 30 of 40 currently trained, though 4 trained this year
    # A row that gives only who was trained this year counts them as current.
    assert TrainingRow(country_code="FR", employees=10, trained=3).coverage == 0.3
    assert TrainingRow(country_code="FR", employees=0, trained=0, current=0).coverage is None
