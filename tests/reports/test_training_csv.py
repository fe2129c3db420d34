"""Training read from a CSV file, one line per row and staff group: matched to the report's rows,
every problem on its line."""

import csv
import io
from datetime import date

import pytest

from tests.reports.helpers import complete_answers, hotel_chain, member
from tracker.extensions import db
from tracker.reports import drafting
from tracker.reports.models import Report
from tracker.reports.training import StaffGroup
from tracker.reports.training_csv import answers_with, parse, template_csv

ON = date(2026, 2, 1)
PROPERTIES = [
    ("TH", "Lotus Krabi", "Krabi"),
    ("TH", "Lotus Bay", "Phuket"),
    ("KH", "Lotus Kep", "Kep"),
]
HEADER = (
    "country code,property,city,staff group,employees,new in person,new e-learning,"
    "refresher in person,refresher e-learning,currently trained,hours\n"
)


@pytest.fixture()
def report() -> Report:
    company, owner = hotel_chain(PROPERTIES)
    report = drafting.start_report(company, 2025, owner, ON)
    db.session.commit()
    return report


def rows_by_name(report: Report) -> dict:
    return {row.property_name: row for row in report.training}


def problems(parsed) -> dict[int, list[str]]:
    return {line.line: line.errors for line in parsed.lines if line.errors}


def saved(report: Report) -> None:
    """Every row: 10 front-line staff, 8 trained this year (4 + 4 new), 8 current, 2.5 hours."""
    drafting.save_draft(report, complete_answers(report), report.updated_by, report.version)


class TestTemplate:
    def test_lists_every_row_and_staff_group_with_its_current_values(self, report):
        rows = rows_by_name(report)
        kep = rows["Lotus Kep"]
        management = kep.group(StaffGroup.MANAGEMENT)
        management.employees, management.refresher_e_learning, management.current = 4, 1, 3
        kep.hours = 1.5
        rows["Lotus Bay"].hours = 2.0
        lines = list(csv.reader(io.StringIO(template_csv(report))))
        assert lines[0] == [
            "Country code",
            "Property",
            "City",
            "Staff group",
            "Employees at year end",
            "New training, in person",
            "New training, e-learning",
            "Refresher training, in person",
            "Refresher training, e-learning",
            "Currently trained",
            "Hours per person",
        ]
        blank = ["", "", "", "", "", ""]
        assert lines[1:4] == [
            ["KH", "Lotus Kep", "Kep", "Front-line staff", *blank, "1.5"],
            ["KH", "Lotus Kep", "Kep", "Management", "4", "", "", "", "1", "3", "1.5"],
            ["KH", "Lotus Kep", "Kep", "Other staff", *blank, "1.5"],
        ]
        assert lines[4] == ["TH", "Lotus Bay", "Phuket", "Front-line staff", *blank, "2"]
        assert len(lines) == 1 + 3 * 3

    def test_cells_a_spreadsheet_would_run_as_formulas_are_escaped(self):
        company, owner = hotel_chain([("TH", '=HYPERLINK("http://x")', "@Krabi")])
        report = drafting.start_report(company, 2025, owner, ON)
        line = template_csv(report).splitlines()[1]
        assert line == 'TH,"\'=HYPERLINK(""http://x"")",\'@Krabi,Front-line staff,,,,,,,'
        # ... and the import reads the escaped name back as the property's.
        parsed = parse(template_csv(report), report)
        assert parsed.ok and parsed.lines[0].row_id == report.training[0].id

    def test_reads_back_as_it_is_with_nothing_changed(self, report):
        saved(report)
        parsed = parse(template_csv(report), report)
        assert parsed.ok, problems(parsed)
        assert len(parsed.lines) == 9 and parsed.row_count == 3
        assert parsed.changed_count == 0 and parsed.untouched == 0
        assert {line.hours for line in parsed.lines} == {2.5}


class TestMatching:
    def test_rows_are_matched_by_country_code_property_name_and_group(self, report):
        text = (
            HEADER
            + "th,LOTUS KRABI,Krabi,front-line,10,3,2,1,2,9,2.5\n"
            + "KHM,lotus kep,,management,20,5,,,,5,\n"
        )
        parsed = parse(text, report)
        assert parsed.ok, problems(parsed)
        rows = rows_by_name(report)
        krabi, kep = parsed.lines
        assert (krabi.line, krabi.row_id, krabi.staff_group) == (
            2,
            rows["Lotus Krabi"].id,
            StaffGroup.FRONT_LINE,
        )
        assert krabi.counts == {
            "employees": 10,
            "new_in_person": 3,
            "new_e_learning": 2,
            "refresher_in_person": 1,
            "refresher_e_learning": 2,
            "current": 9,
        }
        assert krabi.hours == 2.5
        assert krabi.values["trained"] == "8"
        assert krabi.values["format"] == "4 in person, 4 by e-learning"
        assert (kep.row_id, kep.staff_group, kep.hours) == (
            rows["Lotus Kep"].id,
            StaffGroup.MANAGEMENT,
            None,
        )
        # The import then saves through save_draft; the row adds up its groups.
        drafting.save_draft(report, answers_with(report, parsed), report.updated_by, report.version)
        krabi_row = rows["Lotus Krabi"]
        assert (krabi_row.employees, krabi_row.trained, krabi_row.current) == (10, 8, 9)

    def test_rows_and_groups_not_in_the_file_keep_their_values(self, report):
        saved(report)
        parsed = parse("TH,Lotus Bay,Phuket,Other staff,50,20,,,,20,4\n", report)
        assert parsed.ok and parsed.untouched == 2 and parsed.changed_count == 1
        answers = answers_with(report, parsed)
        by_id = {given.row_id: given for given in answers.training}
        bay = by_id[rows_by_name(report)["Lotus Bay"].id]
        assert [(g.staff_group, g.employees) for g in bay.groups] == [
            (StaffGroup.FRONT_LINE, 10),
            (StaffGroup.OTHER, 50),
        ]
        assert bay.hours == 4
        kep = by_id[rows_by_name(report)["Lotus Kep"].id]
        assert [(g.staff_group, g.employees) for g in kep.groups] == [(StaffGroup.FRONT_LINE, 10)]
        # The report's other answers go to save_draft as they are.
        assert answers.contracts_total == 20 and answers.traveller_channels == (
            "website",
            "booking",
        )

    def test_empty_cells_mean_no_answer(self, report):
        saved(report)
        parsed = parse("TH,Lotus Bay,Phuket,front line,,,,,,,\n", report)
        line = parsed.lines[0]
        assert parsed.ok and line.changed
        assert set(line.counts.values()) == {None} and line.hours is None

    def test_hours_blank_on_some_lines_are_the_rows(self, report):
        text = "TH,Lotus Bay,Phuket,front-line,5,,,,,,3\nTH,Lotus Bay,Phuket,other,2,,,,,,\n"
        parsed = parse(text, report)
        assert parsed.ok, problems(parsed)
        answers = answers_with(report, parsed)
        bay = rows_by_name(report)["Lotus Bay"].id
        assert {g.row_id: g.hours for g in answers.training}[bay] == 3

    def test_a_company_without_properties_has_a_row_per_country(self):
        company, owner = member(countries=("TH", "KH"))
        report = drafting.start_report(company, 2025, owner, ON)
        parsed = parse("Thailand,,,front-line,100,60,,,,60,1\nFR,,,other,5,5,,,,5,\n", report)
        assert parsed.lines[0].row_id is not None and parsed.lines[0].label == "Thailand"
        assert problems(parsed) == {2: ["This report has no row for “France”."]}


class TestProblems:
    def test_each_problem_is_on_the_line_the_spreadsheet_shows(self, report):
        text = (
            HEADER
            + "TH,Lotus Krabi,Krabi,front-line,10,8,,,,8,2\n"
            + "\n"  # a blank line still counts
            + "TH,Lotus Nowhere,Krabi,front-line,10,8,,,,8,2\n"
            + "Atlantis,Lotus Deep,Sunken,other,1,1,,,,1,\n"
            + "th,lotus krabi,Krabi,Front-line staff,10,8,,,,8,2\n"
            + "KH,Lotus Kep,Kep,management,10,6,3,1,1,11,\n"
            + "KH,Lotus Kep,Kep,other,10,6,,,,5,\n"
            + "TH,Lotus Krabi,Krabi,other,4,,,,,,3\n"
        )
        parsed = parse(text, report)
        assert not parsed.ok and parsed.error_count == 6
        assert problems(parsed) == {
            4: ["This report has no row for “Lotus Nowhere (Thailand)”."],
            5: ["Unknown country “Atlantis”."],
            6: ["This row and staff group repeat line 2."],
            7: [
                "Trained people cannot outnumber employees.",
                "Currently trained people cannot outnumber employees.",
            ],
            8: ["Everyone trained this year is currently trained: at least 6."],
            9: ["Give the same hours per person as line 2."],
        }

    @pytest.mark.parametrize(
        ("cells", "message"),
        [
            ("front,ten,8,,,,,", "Give employees as a whole number"),
            ("front-line,-1,0,,,,,", "Give employees as a whole number"),
            ("front-line,10000001,0,,,,,", "Give employees as a whole number"),
            ("front-line,10,1.5,,,,,", "Give new training in person as a whole number"),
            ("front-line,10,,x,,,,", "Give new e-learning as a whole number"),
            ("front-line,10,,,x,,,", "Give refresher training in person as a whole number"),
            ("front-line,10,,,,9" + "9" * 5000 + ",,", "Give refresher e-learning as a whole"),
            ("front-line,10,,,,,many,", "Give currently trained people as a whole number"),
            ("front-line,,3,,,,3,", "Trained people cannot outnumber employees."),
            ("front-line,10,8,,,,8,1001", "Give hours per person as a number from 0 to 1,000."),
            ("front-line,10,8,,,,8,-2", "Give hours per person as a number from 0 to 1,000."),
            ("front-line,10,8,,,,8,nan", "Give hours per person as a number from 0 to 1,000."),
            ("front-line,10,8,,,,8,1e2", "Give hours per person as a number from 0 to 1,000."),
            (
                "cooks,10,8,,,,8,",
                "Unknown staff group “cooks”: use Front-line staff, Management, Other staff.",
            ),
            (",10,8,,,,8,", "Give the staff group: Front-line staff, Management, Other staff."),
        ],
    )
    def test_bad_values_are_refused(self, report, cells, message):
        parsed = parse(f"TH,Lotus Bay,Phuket,{cells}\n", report)
        assert not parsed.ok
        assert message in " ".join(parsed.lines[0].errors)

    def test_more_columns_than_the_template_are_refused(self, report):
        parsed = parse("TH,Lotus Bay,Phuket,other,1,1,,,,1,1,80%\n", report)
        assert problems(parsed)[1][0].startswith("Use eleven columns")

    @pytest.mark.parametrize("text", ["", "\n\n", HEADER, "\ufeff" + HEADER])
    def test_a_file_without_rows_is_refused(self, report, text):
        parsed = parse(text, report)
        assert parsed.errors == ["There are no rows to import."] and not parsed.ok


class TestSpellings:
    @pytest.mark.parametrize(
        ("written", "expected"),
        [
            ("front_line", StaffGroup.FRONT_LINE),
            ("Front-Line", StaffGroup.FRONT_LINE),
            ("Personnel en contact avec la clientèle", StaffGroup.FRONT_LINE),
            ("Personal de primera línea", StaffGroup.FRONT_LINE),
            ("primera línea", StaffGroup.FRONT_LINE),
            ("MANAGEMENT", StaffGroup.MANAGEMENT),
            ("Direction", StaffGroup.MANAGEMENT),
            ("gerencia", StaffGroup.MANAGEMENT),
            ("other", StaffGroup.OTHER),
            ("Autres", StaffGroup.OTHER),
            ("otros", StaffGroup.OTHER),
        ],
    )
    def test_groups_by_value_or_label_in_english_french_or_spanish(self, report, written, expected):
        parsed = parse(f"TH,Lotus Bay,Phuket,{written},10,8,,,,8,\n", report)
        assert parsed.ok, problems(parsed)
        assert parsed.lines[0].staff_group is expected

    @pytest.mark.parametrize(
        ("employees", "hours", "expected"),
        [
            ("1234", "2.5", (1234, 2.5)),
            ('"1,234"', '"2,5"', (1234, 2.5)),
            ("1.234", "3", (1234, 3.0)),
            ("1 234", "0", (1234, 0.0)),
            ("12.0", "1000", (12, 1000.0)),
            ("1\u202f234", '"2,5"', (1234, 2.5)),  # as French formatting writes them
            ("1\u00a0234", "0.25", (1234, 0.25)),
        ],
    )
    def test_numbers_as_spreadsheets_write_them(self, report, employees, hours, expected):
        parsed = parse(f"TH,Lotus Bay,Phuket,other,{employees},0,,,,,{hours}\n", report)
        assert parsed.ok, problems(parsed)
        assert (parsed.lines[0].counts["employees"], parsed.lines[0].hours) == expected

    def test_semicolons_with_decimal_commas_on_every_line(self, report):
        text = (
            "Code pays;Propriété;Ville;Groupe;Employés;Nouveaux en présentiel;Nouveaux en ligne;"
            "Recyclage en présentiel;Recyclage en ligne;Formés actuellement;Heures\n"
            "TH;Lotus Bay;Phuket;première ligne;10;8;;;;8;2,5\n"
            "TH;Lotus Krabi;Krabi;encadrement;20;10;;;;10;1,5\n"
        )
        parsed = parse(text, report)
        assert parsed.ok, problems(parsed)
        assert [(line.line, line.hours) for line in parsed.lines] == [(2, 2.5), (3, 1.5)]

    def test_tabs_as_pasted_from_a_spreadsheet(self, report):
        text = (
            "TH\tLotus Bay\tPhuket\tother\t10\t8\t\t\t\t8\t2\n"
            "KH\tLotus Kep\tKep\tother\t5\t5\t\t\t\t5\t2\n"
        )
        parsed = parse(text, report)
        assert parsed.ok and [line.line for line in parsed.lines] == [1, 2]

    def test_a_short_file_without_the_last_columns_is_sniffed(self, report):
        parsed = parse("TH;Lotus Bay;Phuket;other;10;8\nKH;Lotus Kep;Kep;other;5;5\n", report)
        assert [line.counts["new_in_person"] for line in parsed.lines] == [8, 5]
        # Without the currently trained, those trained this year are too many for it.
        assert parsed.ok
