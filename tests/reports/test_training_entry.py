"""Training by staff group as the member enters it: the rules per group, what is missing, what
carries over, and how answers and changes read (older snapshots without groups too)."""

from dataclasses import replace
from datetime import date

import pytest

from tests.reports.helpers import complete_answers, member, ready_report
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.reports import drafting, inputs
from tracker.reports.completeness import missing_answers
from tracker.reports.content import differences, groups_in_words, row_in_words, snapshot
from tracker.reports.forms import current_label
from tracker.reports.models import Section, TrainingFormat
from tracker.reports.training import StaffGroup

ON = date(2026, 2, 1)
FRONT, MANAGERS, OTHER = StaffGroup.FRONT_LINE, StaffGroup.MANAGEMENT, StaffGroup.OTHER


@pytest.fixture()
def thailand():
    """A member's 2025 draft with one training row (Thailand), complete but for training."""
    company, owner = member(countries=("TH",))
    report = drafting.start_report(company, 2025, owner, ON)
    db.session.commit()
    return report, owner


def with_groups(report, *groups, hours=None) -> inputs.Answers:
    row = report.training[0]
    return replace(
        complete_answers(report), training=(inputs.TrainingInput(row.id, groups, hours),)
    )


def save(report, owner, *groups, hours=None):
    drafting.save_draft(report, with_groups(report, *groups, hours=hours), owner, report.version)
    return report.training[0]


def errors_of(report, owner, *groups) -> list[tuple[str, str]]:
    with pytest.raises(DomainError, match=r"^[A-Z].*\.$") as raised:
        save(report, owner, *groups)
    return list(raised.value.errors)


class TestSaving:
    def test_groups_are_saved_and_the_row_adds_them_up(self, thailand):
        report, owner = thailand
        row = save(
            report,
            owner,
            inputs.GroupInput(FRONT, 20, 5, 3, 2, 0, 15),
            inputs.GroupInput(MANAGERS, 4, None, None, 1, None, 4),
            inputs.GroupInput(OTHER),
            hours=1.5,
        )
        assert (row.employees, row.trained, row.current, row.hours) == (24, 11, 19, 1.5)
        assert row.format is TrainingFormat.BOTH  # derived: 8 in person, 3 by e-learning
        front = row.group(FRONT)
        assert (front.new_in_person, front.refresher_in_person, front.current) == (5, 2, 15)

    def test_each_rule_is_reported_beside_its_field(self, thailand):
        report, owner = thailand
        errors = errors_of(
            report,
            owner,
            inputs.GroupInput(FRONT, 10, 6, 5, current=11),
            inputs.GroupInput(MANAGERS, 5, 2, 1, current=2),
            inputs.GroupInput(OTHER, -1),
        )
        assert errors == [
            ("training-0-groups-0-employees", "Trained people cannot outnumber employees."),
            (
                "training-0-groups-0-current",
                "Currently trained people cannot outnumber employees.",
            ),
            (
                "training-0-groups-1-current",
                "Everyone trained this year is currently trained: at least 3.",
            ),
            ("training-0-groups-2-employees", "Give a whole number from 0 to 10,000,000."),
        ]

    def test_a_group_given_twice_is_refused(self, thailand):
        report, owner = thailand
        with pytest.raises(DomainError, match="out of date"):
            save(report, owner, inputs.GroupInput(FRONT, 1), inputs.GroupInput(FRONT, 2))

    def test_a_row_from_before_staff_groups_keeps_its_totals_until_groups_are_typed(self, thailand):
        report, owner = thailand
        row = report.training[0]
        row.employees, row.trained, row.current = 30, 12, 12  # as the migration left it
        blank = [inputs.GroupInput(group) for group in StaffGroup]
        save(report, owner, *blank, hours=2.0)
        assert (row.employees, row.current, row.hours, row.groups) == (30, 12, 2.0, [])
        save(report, owner, inputs.GroupInput(FRONT, 8, current=5), *blank[1:])
        assert (row.employees, row.trained, row.current) == (8, None, 5)
        assert [group.staff_group for group in row.groups] == [FRONT]  # no empty groups


class TestMissing:
    def test_every_group_with_staff_needs_its_currently_trained(self, thailand):
        report, owner = thailand
        save(report, owner, inputs.GroupInput(FRONT, 10, 4), inputs.GroupInput(OTHER, 3))
        training = [m for section, m in missing_answers(report) if section is Section.TRAINING]
        assert training == [
            "Thailand, Front-line staff: give the number currently trained.",
            "Thailand, Other staff: give the number currently trained.",
        ]

    def test_a_row_needs_employees_of_one_group_and_blank_training_reads_as_none(self, thailand):
        report, owner = thailand
        training = [m for section, m in missing_answers(report) if section is Section.TRAINING]
        assert training == ["Thailand: give the employees of at least one staff group."]
        save(report, owner, inputs.GroupInput(FRONT, 10, current=0))
        assert not [s for s, _m in missing_answers(report) if s is Section.TRAINING]


def test_last_years_staff_and_currently_trained_carry_over_not_this_years_training():
    company, owner = member(joined=date(2023, 5, 1), countries=("TH",))
    last = ready_report(company, owner, 2024, date(2025, 2, 1))
    save(last, owner, inputs.GroupInput(FRONT, 10, 4, 4, current=9), hours=3.0)
    new = drafting.start_report(company, 2025, owner, ON, from_last_year=True)
    row = new.training[0]
    assert (row.employees, row.current, row.trained, row.hours) == (10, 9, None, 3.0)
    assert row.format is None


class TestReading:
    def test_the_snapshot_holds_the_groups_and_the_currently_trained(self, thailand):
        report, owner = thailand
        save(report, owner, inputs.GroupInput(MANAGERS, 4, 1, current=3))
        row = snapshot(report)["training"][0]
        assert row["current"] == 3
        assert row["groups"] == [
            {
                "staff_group": "management",
                "employees": 4,
                "new_in_person": 1,
                "new_e_learning": None,
                "refresher_in_person": None,
                "refresher_e_learning": None,
                "current": 3,
            }
        ]
        assert groups_in_words(row) == [
            (
                "Management",
                {
                    "employees": "4",
                    "new_in_person": "1",
                    "new_e_learning": "",
                    "refresher_in_person": "",
                    "refresher_e_learning": "",
                    "current": "3",
                    "trained": "1",
                    "coverage": "75%",  # currently trained, 3 of 4
                    "format": "1 in person, 0 by e-learning",
                    "new": "1",
                    "refresher": "0",
                },
            )
        ]

    def test_an_older_snapshot_without_groups_reads_as_its_totals(self):
        old = {"country_code": "TH", "employees": 10, "trained": 8, "format": "both", "hours": 2}
        assert row_in_words(old) == {
            "employees": "10",
            "trained": "8",
            "current": "",
            "coverage": "80%",
            "format": "Both",
            "hours": "2",
        }
        assert groups_in_words(old) == []

    def test_differences_name_the_row_and_the_staff_group(self):
        def version(current):
            group = {"staff_group": "front_line", "employees": 20, "current": current}
            return {"training": [{"country_code": "TH", "current": current, "groups": [group]}]}

        found = [(d.label, d.before, d.after) for d in differences(version(10), version(14))]
        assert found == [
            ("Thailand: Currently trained", "10", "14"),
            ("Thailand, Front-line staff: Currently trained", "10", "14"),
        ]


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        (2, "Currently trained (trained in 2025 or 2026 and employed at year end)"),
        (1, "Currently trained (trained in 2026 and employed at year end)"),
        (3, "Currently trained (trained from 2024 to 2026 and employed at year end)"),
    ],
)
def test_the_currently_trained_label_names_the_years(app, years, expected):
    app.config["TRAINING_VALIDITY_YEARS"] = years
    try:
        assert current_label(2026) == expected
    finally:
        app.config["TRAINING_VALIDITY_YEARS"] = 2


def test_the_form_labels_each_count_with_its_row_and_group(client, auth, thailand):
    report, owner = thailand
    auth.login(owner.email)
    page = client.get("/company/reports/2025").get_data(as_text=True)
    assert (
        '<label for="training-0-groups-1-current"><span class="visually-hidden">Thailand, '
        "Management: </span>Currently trained (trained in 2024 or 2025 and employed at year end)"
        "</label>" in page
    )
    assert "<legend>Front-line staff" in page and 'name="training-0-hours"' in page


def test_the_answers_show_a_line_per_staff_group(client, auth, thailand):
    report, owner = thailand
    save(report, owner, inputs.GroupInput(FRONT, 20, 5, 3, current=12), hours=2)
    db.session.commit()
    auth.login(owner.email)
    page = client.get("/company/reports/2025/print").get_data(as_text=True)
    assert "Currently trained</th>" in page and "In person / e-learning</th>" in page
    assert '<span class="visually-hidden">Thailand, </span>Front-line staff</th>' in page
    assert "5 in person, 3 by e-learning" in page
    assert "new: 8, refresher: 0" in page
