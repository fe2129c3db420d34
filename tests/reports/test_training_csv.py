"""Training rows read from a CSV file: matched to the report's rows, every problem on its line."""

import csv
import io
from datetime import date

import pytest

from tests.reports.helpers import complete_answers, hotel_chain, member
from tracker.extensions import db
from tracker.reports import services
from tracker.reports.models import Report, TrainingFormat
from tracker.reports.training_csv import answers_with, parse, template_csv

ON = date(2026, 2, 1)
PROPERTIES = [
    ("TH", "Lotus Krabi", "Krabi"),
    ("TH", "Lotus Bay", "Phuket"),
    ("KH", "Lotus Kep", "Kep"),
]
HEADER = "country code,property,city,employees,trained,format,hours\n"


@pytest.fixture()
def report() -> Report:
    company, owner = hotel_chain(PROPERTIES)
    report = services.start_report(company, 2025, owner, ON)
    db.session.commit()
    return report


def rows_by_name(report: Report) -> dict:
    return {row.property_name: row for row in report.training}


def problems(parsed) -> dict[int, list[str]]:
    return {line.line: line.errors for line in parsed.lines if line.errors}


class TestTemplate:
    def test_lists_every_row_with_its_current_values(self, report):
        rows = rows_by_name(report)
        rows["Lotus Kep"].employees, rows["Lotus Kep"].trained = 40, 30
        rows["Lotus Kep"].format, rows["Lotus Kep"].hours = TrainingFormat.E_LEARNING, 1.5
        rows["Lotus Bay"].hours = 2.0
        lines = list(csv.reader(io.StringIO(template_csv(report))))
        assert lines[0] == [
            "Country code",
            "Property",
            "City",
            "Employees at year end",
            "Trained during the year",
            "Format",
            "Hours per person",
        ]
        assert lines[1:] == [
            ["KH", "Lotus Kep", "Kep", "40", "30", "E-learning", "1.5"],
            ["TH", "Lotus Bay", "Phuket", "", "", "", "2"],
            ["TH", "Lotus Krabi", "Krabi", "", "", "", ""],
        ]

    def test_cells_a_spreadsheet_would_run_as_formulas_are_escaped(self):
        company, owner = hotel_chain([("TH", '=HYPERLINK("http://x")', "@Krabi")])
        report = services.start_report(company, 2025, owner, ON)
        line = template_csv(report).splitlines()[1]
        assert line == 'TH,"\'=HYPERLINK(""http://x"")",\'@Krabi,,,,'
        # ... and the import reads the escaped name back as the property's.
        parsed = parse(template_csv(report), report)
        assert parsed.ok and parsed.lines[0].row_id == report.training[0].id

    def test_reads_back_as_it_is_with_nothing_changed(self, report):
        services.save_draft(report, complete_answers(report), report.updated_by, report.version)
        parsed = parse(template_csv(report), report)
        assert parsed.ok
        assert len(parsed.lines) == 3 and parsed.changed_count == 0 and parsed.untouched == 0
        assert {line.hours for line in parsed.lines} == {2.5}


class TestMatching:
    def test_rows_are_matched_by_country_code_and_property_name_in_any_case(self, report):
        text = HEADER + "th,LOTUS KRABI,Krabi,10,8,Both,2.5\nKHM,lotus kep,,20,5,,\n"
        parsed = parse(text, report)
        assert parsed.ok
        rows = rows_by_name(report)
        krabi, kep = parsed.lines
        assert (krabi.line, krabi.row_id) == (2, rows["Lotus Krabi"].id)
        assert (krabi.employees, krabi.trained, krabi.format, krabi.hours) == (
            10,
            8,
            TrainingFormat.BOTH,
            2.5,
        )
        assert krabi.values["coverage"] == "80%"
        assert (kep.row_id, kep.format, kep.hours) == (rows["Lotus Kep"].id, None, None)

    def test_rows_not_in_the_file_keep_their_values(self, report):
        services.save_draft(report, complete_answers(report), report.updated_by, report.version)
        parsed = parse("TH,Lotus Bay,Phuket,50,50,classroom,4\n", report)
        assert parsed.ok and parsed.untouched == 2 and parsed.changed_count == 1
        answers = answers_with(report, parsed)
        by_id = {given.row_id: given for given in answers.training}
        assert by_id[rows_by_name(report)["Lotus Bay"].id].employees == 50
        assert by_id[rows_by_name(report)["Lotus Kep"].id].employees == 10
        # The report's other answers go to save_draft as they are.
        assert answers.contracts_total == 20 and answers.traveller_channels == (
            "website",
            "booking",
        )

    def test_empty_cells_mean_no_answer(self, report):
        services.save_draft(report, complete_answers(report), report.updated_by, report.version)
        parsed = parse("TH,Lotus Bay,Phuket,,,,\n", report)
        line = parsed.lines[0]
        assert parsed.ok and line.changed
        assert (line.employees, line.trained, line.format, line.hours) == (None,) * 4

    def test_a_company_without_properties_has_a_row_per_country(self):
        company, owner = member(countries=("TH", "KH"))
        report = services.start_report(company, 2025, owner, ON)
        parsed = parse("Thailand,,,100,60,e-learning,1\nFR,,,5,5,,\n", report)
        assert parsed.lines[0].row_id is not None and parsed.lines[0].label == "Thailand"
        assert problems(parsed) == {2: ["This report has no row for “France”."]}


class TestProblems:
    def test_each_problem_is_on_the_line_the_spreadsheet_shows(self, report):
        text = (
            HEADER
            + "TH,Lotus Krabi,Krabi,10,8,both,2\n"
            + "\n"  # a blank line still counts
            + "TH,Lotus Nowhere,Krabi,10,8,both,2\n"
            + "Atlantis,Lotus Deep,Sunken,1,1,,\n"
            + "th,lotus krabi,Krabi,10,8,both,2\n"
            + "KH,Lotus Kep,Kep,10,11,,\n"
        )
        parsed = parse(text, report)
        assert not parsed.ok and parsed.error_count == 4
        assert problems(parsed) == {
            4: ["This report has no row for “Lotus Nowhere (Thailand)”."],
            5: ["Unknown country “Atlantis”."],
            6: ["This row repeats line 2."],
            7: ["Trained people cannot outnumber employees."],
        }

    @pytest.mark.parametrize(
        ("cells", "message"),
        [
            ("ten,8,,", "Give employees as a whole number"),
            ("-1,0,,", "Give employees as a whole number"),
            ("10000001,0,,", "Give employees as a whole number"),
            ("10,1.5,,", "Give trained people as a whole number"),
            ("10,9" + "9" * 5000 + ",,", "Give trained people as a whole number"),
            (",3,,", "Trained people cannot outnumber employees."),
            ("10,8,,1001", "Give hours per person as a number from 0 to 1,000."),
            ("10,8,,-2", "Give hours per person as a number from 0 to 1,000."),
            ("10,8,,two", "Give hours per person as a number from 0 to 1,000."),
            ("10,8,,nan", "Give hours per person as a number from 0 to 1,000."),
            ("10,8,video,", "Unknown format “video”: use E-learning, Classroom, Both."),
        ],
    )
    def test_bad_values_are_refused(self, report, cells, message):
        parsed = parse(f"TH,Lotus Bay,Phuket,{cells}\n", report)
        assert not parsed.ok
        assert message in " ".join(parsed.lines[0].errors)

    def test_more_columns_than_the_template_are_refused(self, report):
        parsed = parse("TH,Lotus Bay,Phuket,1,1,both,1,80%\n", report)
        assert problems(parsed)[1][0].startswith("Use seven columns")

    @pytest.mark.parametrize("text", ["", "\n\n", HEADER, "\ufeff" + HEADER])
    def test_a_file_without_rows_is_refused(self, report, text):
        parsed = parse(text, report)
        assert parsed.errors == ["There are no rows to import."] and not parsed.ok


class TestSpellings:
    @pytest.mark.parametrize(
        ("written", "expected"),
        [
            ("e_learning", TrainingFormat.E_LEARNING),
            ("E-Learning", TrainingFormat.E_LEARNING),
            ("elearning", TrainingFormat.E_LEARNING),
            ("En ligne", TrainingFormat.E_LEARNING),
            ("CLASSROOM", TrainingFormat.CLASSROOM),
            ("présentiel", TrainingFormat.CLASSROOM),
            ("Presencial", TrainingFormat.CLASSROOM),
            ("both", TrainingFormat.BOTH),
            ("Les deux", TrainingFormat.BOTH),
            ("ambos", TrainingFormat.BOTH),
        ],
    )
    def test_formats_by_value_or_label_in_english_french_or_spanish(
        self, report, written, expected
    ):
        parsed = parse(f"TH,Lotus Bay,Phuket,10,8,{written},\n", report)
        assert parsed.ok and parsed.lines[0].format is expected

    @pytest.mark.parametrize(
        ("employees", "hours", "expected"),
        [
            ("1234", "2.5", (1234, 2.5)),
            ('"1,234"', '"2,5"', (1234, 2.5)),
            ("1.234", "3", (1234, 3.0)),
            ("1 234", "0", (1234, 0.0)),
            ("12.0", "1000", (12, 1000.0)),
        ],
    )
    def test_numbers_as_spreadsheets_write_them(self, report, employees, hours, expected):
        parsed = parse(f"TH,Lotus Bay,Phuket,{employees},0,,{hours}\n", report)
        assert parsed.ok, problems(parsed)
        assert (parsed.lines[0].employees, parsed.lines[0].hours) == expected

    def test_semicolons_with_decimal_commas_on_every_line(self, report):
        text = (
            "Code pays;Propriété;Ville;Employés;Formés;Format;Heures\n"
            "TH;Lotus Bay;Phuket;10;8;les deux;2,5\n"
            "TH;Lotus Krabi;Krabi;20;10;présentiel;1,5\n"
        )
        parsed = parse(text, report)
        assert parsed.ok, problems(parsed)
        assert [(line.line, line.hours) for line in parsed.lines] == [(2, 2.5), (3, 1.5)]

    def test_tabs_as_pasted_from_a_spreadsheet(self, report):
        text = "TH\tLotus Bay\tPhuket\t10\t8\tBoth\t2\nKH\tLotus Kep\tKep\t5\t5\tBoth\t2\n"
        parsed = parse(text, report)
        assert parsed.ok and [line.line for line in parsed.lines] == [1, 2]

    def test_a_short_file_without_the_last_columns_is_sniffed(self, report):
        parsed = parse("TH;Lotus Bay;Phuket;10;8\nKH;Lotus Kep;Kep;5;5\n", report)
        assert parsed.ok and [line.trained for line in parsed.lines] == [8, 5]
