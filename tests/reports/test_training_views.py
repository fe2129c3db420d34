"""Staff training imported from a CSV file: template, preview, confirmation, all or nothing."""

import csv
import io
import re
from datetime import date

import pytest

from tests import multipart
from tests.reports.helpers import complete_answers, hotel_chain, ready_report
from tracker.companies.forms import IMPORT_LIMIT
from tracker.extensions import db
from tracker.reports import drafting, services
from tracker.reports.models import Report, ReportState, TrainingFormat

ON = date(2026, 2, 1)
PROPERTIES = [
    ("TH", "Lotus Krabi", "Krabi"),
    ("TH", "Lotus Bay", "Phuket"),
    ("KH", "Hôtel Côte", "Kep"),
]
IMPORT, TEMPLATE = "/company/reports/2025/training/import", "/company/reports/2025/training.csv"
GOOD = (
    "country code,property,city,staff group,employees,new in person,new e-learning,"
    "refresher in person,refresher e-learning,currently trained,hours\n"
    "TH,Lotus Krabi,Krabi,front-line,10,4,4,,,8,2.5\n"
    "TH,Lotus Bay,Phuket,front-line,30,,10,,,10,1\n"
    "TH,Lotus Bay,Phuket,management,10,,,,,5,1\n"
    "KH,Hôtel Côte,Kep,other,5,,,5,,5,3\n"
)


@pytest.fixture()
def chain(auth):
    company, owner = hotel_chain(PROPERTIES)
    auth.login(owner.email)
    return company, owner


@pytest.fixture()
def report(chain) -> Report:
    company, owner = chain
    report = drafting.start_report(company, 2025, owner, ON)
    db.session.commit()
    return report


def post_multipart(client, url: str, fields: dict):
    return multipart.post(client, url, fields)


def version_on(page: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def training(report: Report) -> dict[str, tuple]:
    db.session.refresh(report)
    return {
        row.property_name: (row.employees, row.trained, row.current, row.format, row.hours)
        for row in report.training
    }


EMPTY = {name: (None,) * 5 for _code, name, _city in PROPERTIES}


def test_the_template_lists_the_chains_properties_with_their_values(client, chain, report):
    drafting.save_draft(report, complete_answers(report, trained=7), chain[1], report.version)
    db.session.commit()
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="training-2025.csv"'
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # Excel then reads it as UTF-8
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert lines[0][:3] == ["Country code", "Property", "City"]
    front_line = ["Front-line staff", "10", "4", "3", "", "", "7", "2.5"]
    blank = ["", "", "", "", "", "", "2.5"]
    assert lines[1:] == [
        ["KH", "Hôtel Côte", "Kep", *front_line],
        ["KH", "Hôtel Côte", "Kep", "Management", *blank],
        ["KH", "Hôtel Côte", "Kep", "Other staff", *blank],
        ["TH", "Lotus Bay", "Phuket", *front_line],
        ["TH", "Lotus Bay", "Phuket", "Management", *blank],
        ["TH", "Lotus Bay", "Phuket", "Other staff", *blank],
        ["TH", "Lotus Krabi", "Krabi", *front_line],
        ["TH", "Lotus Krabi", "Krabi", "Management", *blank],
        ["TH", "Lotus Krabi", "Krabi", "Other staff", *blank],
    ]


def test_the_template_escapes_cells_a_spreadsheet_would_run(client, auth):
    company, owner = hotel_chain([("TH", "=1+2", "-Krabi")])
    auth.login(owner.email)
    drafting.start_report(company, 2025, owner, ON)
    db.session.commit()
    lines = client.get(TEMPLATE).get_data().decode("utf-8-sig").splitlines()
    assert lines[1] == "TH,'=1+2,'-Krabi,Front-line staff,,,,,,,"


def test_pasted_rows_are_previewed_then_saved_on_confirmation(client, chain, report):
    page = client.get(IMPORT).get_data(as_text=True)
    assert 'name="rows"' in page and 'for="rows"' in page and 'name="csrf_token"' in page
    assert "Download the template with your 3 rows (CSV)" in page

    preview = client.submit(IMPORT, {"rows": GOOD, "version": version_on(page)})
    shown = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "3 rows are ready to import." in shown and "Import 3 rows" in shown
    assert "4 in person, 4 by e-learning" in shown  # formats, added up per group
    assert "Management" in shown  # a line per staff group
    assert 'aria-labelledby="preview-caption"' in shown
    assert training(report) == EMPTY  # the preview saves nothing

    saved = client.submit(IMPORT, {"rows": GOOD, "version": version_on(shown), "confirm": "1"})
    assert saved.location == "/company/reports/2025"
    assert "Training of 3 rows imported." in client.get(saved.location).get_data(as_text=True)
    assert training(report) == {
        "Lotus Krabi": (10, 8, 8, TrainingFormat.BOTH, 2.5),
        "Lotus Bay": (40, 10, 15, TrainingFormat.E_LEARNING, 1.0),
        "Hôtel Côte": (5, 5, 5, TrainingFormat.CLASSROOM, 3.0),
    }


def test_rows_left_out_of_the_file_keep_their_values(client, chain, report):
    drafting.save_draft(report, complete_answers(report), chain[1], report.version)
    db.session.commit()
    rows = "TH,Lotus Bay,Phuket,other,40,20,,,,20,\n"
    data = {"rows": rows, "version": str(report.version)}
    page = client.submit(IMPORT, data).get_data(as_text=True)
    assert "2 rows not in the file keep their values." in page
    client.submit(IMPORT, data | {"confirm": "1"})
    rows = training(report)
    # Its front-line staff (10, 8 trained by both formats) kept; other staff added; no hours.
    assert rows["Lotus Bay"] == (50, 28, 28, TrainingFormat.BOTH, None)
    assert rows["Lotus Krabi"] == (10, 8, 8, TrainingFormat.BOTH, 2.5)


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        (
            "TH,Lotus Bay,Phuket,front-line,10,6,5,,,11,1",
            "Trained people cannot outnumber employees.",
        ),
        (
            "TH,Lotus Atlantis,Phuket,front-line,10,1,,,,1,1",
            "This report has no row for “Lotus Atlantis",
        ),
        ("TH,Lotus Bay,Phuket,front-line,lots,1,,,,1,1", "Give employees as a whole number"),
    ],
    ids=["trained-over-employees", "unknown-property", "bad-number"],
)
def test_one_bad_row_among_good_ones_saves_nothing(client, chain, report, bad_line, message):
    lines = GOOD.splitlines()
    text = "\n".join([*lines[:2], bad_line, *lines[3:]]) + "\n"
    response = client.submit(IMPORT, {"rows": text, "version": str(report.version), "confirm": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 row has a problem" in page and "Nothing was saved." in page
    assert re.search(
        r"<td>3</td>\s*<th[^>]*>[^<]*</th>\s*<td>[^<]*</td>\s*<td class=\"error\">"
        + re.escape(message),
        page,
    )
    assert "Import 3 rows" not in page  # no confirm button for a file with problems
    assert training(report) == EMPTY


def test_a_semicolon_file_from_a_french_spreadsheet_is_uploaded(client, chain, report):
    text = (
        "Code pays;Propriété;Ville;Groupe;Employés;Nouveaux en présentiel;Nouveaux en ligne;"
        "Recyclage en présentiel;Recyclage en ligne;Formés actuellement;Heures\r\n"
        "KH;Hôtel Côte;Kep;première ligne;12;6;;;;6;1,5\r\n"
        "TH;Lotus Bay;Phuket;encadrement;8;;;4;4;8;2,5\r\n"
    )
    upload = (io.BytesIO(text.encode("cp1252")), "formation.csv")
    preview = client.submit(
        IMPORT,
        {"file": upload, "version": str(report.version)},
        content_type="multipart/form-data",
    )
    page = preview.get_data(as_text=True)
    assert "2 rows are ready to import." in page, page
    assert "Hôtel Côte (Kep, Cambodia)" in page
    assert "KH;Hôtel Côte;Kep;première ligne;12;6;;;;6;1,5" in page  # carried on to confirm
    assert "1 row not in the file keeps its values." in page
    saved = client.submit(IMPORT, {"rows": text, "version": version_on(page), "confirm": "1"})
    assert saved.status_code == 302
    rows = training(report)
    assert rows["Hôtel Côte"] == (12, 6, 6, TrainingFormat.CLASSROOM, 1.5)
    assert rows["Lotus Bay"] == (8, 8, 8, TrainingFormat.BOTH, 2.5)
    assert rows["Lotus Krabi"] == (None,) * 5


def test_a_report_changed_between_preview_and_confirmation_is_a_conflict(client, chain, report):
    page = client.submit(IMPORT, {"rows": GOOD, "version": str(report.version)})
    seen = version_on(page.get_data(as_text=True))
    # A colleague saves the report meanwhile.
    drafting.save_draft(report, complete_answers(report, trained=1), chain[1], report.version)
    db.session.commit()

    response = client.submit(IMPORT, {"rows": GOOD, "version": seen, "confirm": "1"})
    shown = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "A colleague saved this report after you checked the file" in shown
    assert "Nothing was saved." in shown
    assert {values[1] for values in training(report).values()} == {1}
    # The page now carries the colleague's version: confirming again imports the file.
    assert version_on(shown) != seen
    client.submit(IMPORT, {"rows": GOOD, "version": version_on(shown), "confirm": "1"})
    assert training(report)["Lotus Krabi"] == (10, 8, 8, TrainingFormat.BOTH, 2.5)


def test_another_company_never_reaches_the_report(client, auth, report):
    _other, other_owner = hotel_chain([("TH", "Lotus Krabi", "Krabi")])
    auth.logout()
    auth.login(other_owner.email)
    assert client.get("/company/reports/").status_code == 200  # signed in as the other owner
    assert client.get(TEMPLATE).status_code == 404
    assert client.get(IMPORT).status_code == 404
    data = {"rows": GOOD, "version": str(report.version), "confirm": "1"}
    assert client.submit(IMPORT, data).status_code == 404
    assert training(report) == EMPTY


def test_a_year_without_a_report_is_not_found(client, chain, report):
    assert client.get("/company/reports/2024/training.csv").status_code == 404
    assert client.get("/company/reports/2024/training/import").status_code == 404
    assert client.get("/company/reports/99999/training/import").status_code == 404


def test_a_submitted_report_sends_the_import_to_its_preview(client, auth):
    company, owner = hotel_chain(PROPERTIES)
    auth.login(owner.email)
    report = ready_report(company, owner)
    services.submit_report(report, owner, report.version, ON)
    db.session.commit()
    assert report.state is ReportState.SUBMITTED
    assert client.get(IMPORT).location == "/company/reports/2025/preview"
    data = {"rows": GOOD, "version": str(report.version), "confirm": "1"}
    assert client.submit(IMPORT, data).location == "/company/reports/2025/preview"
    assert set(training(report).values()) == {(10, 8, 8, TrainingFormat.BOTH, 2.5)}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"version": "1"}, "Paste the rows or choose a file."),
        ({"rows": GOOD}, "does not say which version of the report you read"),
        (
            {"file": (io.BytesIO(b"\x00\x01PK\x03\x04"), "x.xlsx"), "version": "1"},
            "This is not a CSV file",
        ),
        (
            {"file": (io.BytesIO(b"TH,a,b,1,1,,\n" * 92_400), "big.csv"), "version": "1"},
            "This file is more than the rows of 2,000 properties can hold.",
        ),
        (
            {"rows": "TH,a,b,1,1,,\n" * 92_400, "version": "1"},
            "This is more than the rows of 2,000 properties can hold.",
        ),
        (
            # Cut one byte past the limit, in the middle of a character: still "too long".
            {"file": (io.BytesIO("é".encode() * 600_001), "big.csv"), "version": "1"},
            "This file is more than the rows of 2,000 properties can hold.",
        ),
    ],
    ids=["empty", "no-version", "binary", "too-large-file", "too-long-paste", "split-character"],
)
def test_bad_forms_are_refused_with_a_message(client, chain, report, data, message):
    response = post_multipart(client, IMPORT, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert training(report) == EMPTY


def test_the_import_needs_the_csrf_token(client, chain, report):
    response = client.post(IMPORT, data={"rows": GOOD, "version": "1", "confirm": "1"})
    assert response.status_code == 400
    assert training(report) == EMPTY


def test_signed_out_visitors_are_sent_to_sign_in(client, auth, report):
    auth.logout()
    for response in (client.get(TEMPLATE), client.get(IMPORT), client.submit(IMPORT, {})):
        assert response.status_code == 302
        assert response.location.startswith("/account/login")


def test_the_file_of_a_chain_of_2000_properties_is_previewed_and_imported(client, auth):
    """6,000 lines, about 540 KB: past the properties import's limit and the app's default text
    field size, which the training import raises for itself (and only for itself)."""
    from tracker.companies.services import MAX_PROPERTIES

    names = [
        (f"Lotus Beach Resort and Spa {n} - Ao Nang Krabi", f"Krabi Town {n}") for n in range(2000)
    ]
    company, owner = hotel_chain([("TH", name, city) for name, city in names])
    assert len(names) == MAX_PROPERTIES
    auth.login(owner.email)
    report = drafting.start_report(company, 2025, owner, ON)
    db.session.commit()
    text = "".join(
        f"TH,{name},{city},{group},40,5,5,,,30,2.5\n"
        for name, city in names
        for group in ("front-line", "management", "other")
    )
    assert len(text.encode()) > max(IMPORT_LIMIT, client.application.config["MAX_FORM_MEMORY_SIZE"])
    upload = (io.BytesIO(text.encode()), "training.csv")
    preview = post_multipart(client, IMPORT, {"file": upload, "version": str(report.version)})
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert re.search(r"2,?000 rows are ready to import", page)
    # The first 300 lines are listed; the rest counted (a page of 6,000 would be megabytes).
    assert len(re.findall(r'<th scope="row"[^>]*>Lotus Beach Resort', page)) == 300
    assert "And 5,700 more lines, imported with these." in page
    data = {"rows": text, "version": version_on(page), "confirm": "1"}
    saved = post_multipart(client, IMPORT, data)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    rows = training(report)
    assert len(rows) == 2000
    assert set(rows.values()) == {(120, 30, 90, TrainingFormat.BOTH, 2.5)}


def test_other_forms_keep_the_default_text_field_size(client, chain):
    """The import's larger limit is its own: the same text posted to the properties import is
    refused before it is read."""
    text = "TH,a,b\n" * 100_000
    response = post_multipart(client, "/company/properties/import", {"rows": text, "mode": "a"})
    assert response.status_code == 413


def test_a_file_with_hundreds_of_problems_lists_the_first_300(client, chain, report):
    text = "".join(f"ZZ,Hotel {n},Town,front-line,1,,,,,1,1\n" for n in range(302))
    page = client.submit(IMPORT, {"rows": text, "version": str(report.version)})
    shown = page.get_data(as_text=True)
    assert page.status_code == 200
    assert len(re.findall(r'<td class="error">Unknown country', shown)) == 300
    assert "2 more lines have problems: correct the ones above first, then check again." in shown
    assert training(report) == EMPTY


@pytest.mark.parametrize(
    ("language", "employees", "hours", "shown"),
    [
        ("fr", "1\u202f240", "2,5", ("1\u202f240", "2,5")),
        ("fr", "1 240", "2.5", ("1\u202f240", "2,5")),
        ("es", "1.240", "2,5", ("1.240", "2,5")),
        ("en", "1,240", "2.5", ("1,240", "2.5")),
    ],
)
def test_numbers_written_the_readers_way_are_previewed_so_and_saved(
    client, chain, report, language, employees, hours, shown
):
    client.set_cookie("language", language)
    rows = f"TH;Lotus Bay;Phuket;other;{employees};40;;;;40;{hours}\n"
    preview = client.submit(IMPORT, {"rows": rows, "version": str(report.version)})
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and 'class="error' not in page
    assert f"<td>{shown[0]}</td>" in page and f"<td>{shown[1]}</td>" in page
    client.submit(IMPORT, {"rows": rows, "version": version_on(page), "confirm": "1"})
    assert training(report)["Lotus Bay"][::4] == (1240, 2.5)
