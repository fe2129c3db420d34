"""The company's report pages and the staff review pages, through the client."""

import io
import re
from datetime import date

import pytest
from pypdf import PdfWriter
from sqlalchemy import func, select

from tests import multipart
from tests.fixtures.staff_forms import block, only_summary, textarea
from tests.reports.helpers import complete_answers, member, ready_report
from tracker.extensions import db
from tracker.reports import drafting, services
from tracker.reports.models import Report, ReportState, ReportSubmission, Section

ON = date(2026, 2, 1)


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def form_fields(report: Report, **changes) -> dict:
    """The edit form as a browser posts it, with `changes` over complete answers."""
    data = {
        "version": str(report.version),
        "policy_adopted": "yes",
        "policy_adopted_on": "2024-02-01",
        "policy_focal_person": "Mai Chan",
        "policy_reporting_procedure": "Staff tell the duty manager, who calls the police.",
        "contracts_total": "20",
        "contracts_with_clause": "15",
        "traveller_channels": ["website", "booking"],
        "travellers_text": "On every booking confirmation.",
        "stakeholder_organisations": "ECPAT Thailand",
        "stakeholder_activities": "Awareness week",
        "cases_reported": "0",
        "action": "save",
    }
    for index, row in enumerate(report.training):
        data |= {
            f"training-{index}-row_id": str(row.id),
            # Front-line staff: 10 employees, 8 trained this year (new, both formats).
            f"training-{index}-groups-0-employees": "10",
            f"training-{index}-groups-0-new_in_person": "4",
            f"training-{index}-groups-0-new_e_learning": "4",
            f"training-{index}-groups-0-current": "8",
            f"training-{index}-hours": "2.5",
        }
    return data | changes


@pytest.fixture()
def member_a(auth):
    company, owner = member(countries=("TH", "KH"))
    auth.login(owner.email)
    return company, owner


def started(company, owner) -> Report:
    report = drafting.start_report(company, 2025, owner, ON)
    db.session.commit()
    return report


class TestCompanyPages:
    def test_index_shows_standing_and_the_years_to_write(self, client, member_a):
        page = client.get("/company/reports/").get_data(as_text=True)
        assert "Report overdue" in page  # 2025 was due on 31 March 2026
        assert "Start the 2025 report" in page and "Start the 2026 report" in page

    def test_start_then_edit(self, client, member_a):
        response = client.submit("/company/reports/2025/start", {"start_from": "blank"})
        assert response.location == "/company/reports/2025"
        page = client.get("/company/reports/2025").get_data(as_text=True)
        assert "Cambodia" in page and "Thailand" in page
        # Per row: its id, six counts for each of three staff groups, and hours.
        assert page.count('name="training-') == 2 * (1 + 3 * 6 + 1)

    def test_save_a_draft(self, client, member_a):
        report = started(*member_a)
        response = client.submit("/company/reports/2025", form_fields(report))
        assert response.status_code == 302
        db.session.refresh(report)
        assert report.contracts_with_clause == 15
        assert [row.trained for row in report.training] == [8, 8]

    def test_bad_input_is_shown_beside_its_field_and_kept(self, client, member_a):
        report = started(*member_a)
        data = form_fields(
            report, **{"training-0-groups-1-employees": "x", "contracts_total": "lots"}
        )
        response = client.submit("/company/reports/2025", data)
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert 'id="contracts_total-error"' in page
        assert 'value="lots"' in page  # what was typed is kept
        assert 'id="training-0-groups-1-employees-error"' in page
        assert 'name="training-0-groups-1-employees" type="text" value="x"' in page
        assert "Training row 1, Management, Employees at year end: Enter a whole number" in page
        # One message per field: not WTForms' English one, nor the range's besides it.
        assert page.count("Enter a whole number, such as 1,240.") == 4  # summary and field, twice
        assert "Not a valid" not in page and "from 0 to 10,000,000" not in page
        db.session.refresh(report)
        assert report.contracts_total is None

    @pytest.mark.parametrize(
        ("language", "employees", "contracts", "hours", "shown"),
        [
            ("fr", "1 240", "1\u202f500", "2,5", ("1\u202f240", "1\u202f500", "2,5")),
            ("es", "1.240", "1500", "2,5", ("1.240", "1.500", "2,5")),
            ("en", "1,240", "1500", "2.5", ("1,240", "1,500", "2.5")),
        ],
    )
    def test_numbers_typed_the_readers_way_are_saved_and_shown_so(
        self, client, member_a, language, employees, contracts, hours, shown
    ):
        report = started(*member_a)
        client.set_cookie("language", language)
        data = form_fields(
            report,
            contracts_total=contracts,
            **{"training-0-groups-0-employees": employees, "training-0-hours": hours},
        )
        assert client.submit("/company/reports/2025", data).status_code == 302
        db.session.refresh(report)
        row = report.training[0]
        assert (row.employees, row.hours, report.contracts_total) == (1240, 2.5, 1500)
        page = client.get("/company/reports/2025").get_data(as_text=True)
        for name, value in zip(
            ("training-0-groups-0-employees", "contracts_total", "training-0-hours"),
            shown,
            strict=True,
        ):
            assert re.search(f'name="{name}" type="text" value="{value}"', page), name

    def test_a_mistyped_number_is_refused_in_the_readers_language(self, client, member_a):
        report = started(*member_a)
        client.set_cookie("language", "fr")
        data = form_fields(report, **{"training-0-hours": "2h30"})
        page = client.submit("/company/reports/2025", data).get_data(as_text=True)
        assert page.count("Saisissez un nombre, par exemple 2,5.") == 2  # summary and field
        assert "Not a valid" not in page and "Indiquez un nombre d" not in page

    def test_trained_over_employees_is_refused_beside_the_row(self, client, member_a):
        report = started(*member_a)
        data = form_fields(report, **{"training-0-groups-0-refresher_in_person": "3"})
        page = client.submit("/company/reports/2025", data).get_data(as_text=True)
        assert 'id="training-0-groups-0-employees-error"' in page
        assert "Trained people cannot outnumber employees." in page
        # The summary names the row and the staff group.
        assert "Training row 1, Front-line staff, Employees at year end:" in page

    def test_a_colleague_saving_meanwhile_is_a_conflict_that_keeps_what_was_typed(
        self, client, member_a
    ):
        report = started(*member_a)
        seen = form_fields(report)
        client.submit("/company/reports/2025", form_fields(report, contracts_total="30"))
        response = client.submit("/company/reports/2025", seen | {"contracts_total": "25"})
        page = response.get_data(as_text=True)
        assert response.status_code == 409
        assert "A colleague saved this report" in page
        assert re.search(r"Supplier contracts: saved “30”, yours “25”", page)
        assert 'value="25"' in page
        db.session.refresh(report)
        assert report.contracts_total == 30
        # Saving again from the conflict page (it carries the new version) keeps theirs out.
        version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
        client.submit("/company/reports/2025", seen | {"contracts_total": "25", "version": version})
        db.session.refresh(report)
        assert report.contracts_total == 25

    def test_upload_a_policy_and_download_it_as_an_attachment(self, client, member_a, app):
        report = started(*member_a)
        data = form_fields(report, policy_document=(io.BytesIO(pdf_bytes()), "Our policy.pdf"))
        response = client.submit("/company/reports/2025", data, content_type="multipart/form-data")
        assert response.status_code == 302
        db.session.refresh(report)
        assert report.policy_document_name == "Our policy.pdf"
        download = client.get("/company/reports/2025/policy")
        assert download.status_code == 200
        assert download.mimetype == "application/pdf"
        assert download.headers["Content-Disposition"].startswith("attachment")
        assert download.data == pdf_bytes()

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"", "empty"),
            (b"MZ\x90\x00" + b"\x00" * 500, "not a PDF"),
            (b"%PDF-1.7\n garbage", "damaged"),
        ],
    )
    def test_bad_uploads_are_refused_and_nothing_is_saved(
        self, client, member_a, app, content, message
    ):
        report = started(*member_a)
        data = form_fields(report, policy_document=(io.BytesIO(content), "policy.pdf"))
        response = client.submit("/company/reports/2025", data, content_type="multipart/form-data")
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert 'id="policy_document-error"' in page and message in page
        db.session.refresh(report)
        assert report.policy_document is None and report.contracts_total is None

    def test_preview_lists_what_is_missing_and_offers_no_submit(self, client, member_a):
        started(*member_a)
        page = client.get("/company/reports/2025/preview").get_data(as_text=True)
        assert "Before you can submit" in page
        assert "/company/reports/2025/submit" not in page

    def test_preview_and_submit(self, client, member_a, smtp):
        report = ready_report(*member_a)
        page = client.get("/company/reports/2025/preview").get_data(as_text=True)
        assert "Submit the report to ECPAT" in page and "80%" in page
        response = client.submit("/company/reports/2025/submit", {"version": report.version})
        assert response.location == "/company/reports/"
        db.session.refresh(report)
        assert report.state is ReportState.SUBMITTED
        # Locked: the form now shows the report read-only.
        assert client.get("/company/reports/2025").location == "/company/reports/2025/preview"
        printable = client.get("/company/reports/2025/print").get_data(as_text=True)
        assert "The Code: annual report for 2025" in printable

    def test_submitting_a_stale_preview_does_nothing(self, client, member_a):
        report = ready_report(*member_a)
        response = client.submit("/company/reports/2025/submit", {"version": report.version - 1})
        assert response.location == "/company/reports/2025/preview"
        db.session.refresh(report)
        assert report.state is ReportState.DRAFT

    @pytest.mark.parametrize("year", ["2024", "1999", "99999999999999999999"])
    def test_years_without_a_report_are_404(self, client, member_a, year):
        assert client.get(f"/company/reports/{year}").status_code == 404


class TestOtherCompanies:
    def test_a_company_never_reaches_another_companys_report(self, client, auth):
        company, owner = member()
        ready_report(company, owner)
        _other, other_owner = member()
        auth.login(other_owner.email)
        for path in ("", "/preview", "/print", "/policy"):
            assert client.get(f"/company/reports/2025{path}").status_code == 404


def submitted(company, owner) -> Report:
    report = ready_report(company, owner)
    services.submit_report(report, owner, report.version, ON)
    db.session.commit()
    return report


class TestReview:
    def test_queue_lists_submitted_reports_in_the_representatives_countries(
        self, client, auth, rep_fr, rep_th
    ):
        company, owner = member(countries=("TH",), display_name="Lotus Tours")
        submitted(company, owner)
        auth.login(rep_th.email)
        assert "Lotus Tours" in client.get("/review/reports/").get_data(as_text=True)
        auth.logout()
        auth.login(rep_fr.email)
        assert "Lotus Tours" not in client.get("/review/reports/").get_data(as_text=True)

    def test_return_with_a_comment_on_training_then_resubmit_then_accept(
        self, client, auth, reviewer, smtp
    ):
        company, owner = member(countries=("TH",))
        report = submitted(company, owner)
        auth.login(reviewer.email)
        response = client.submit(
            f"/review/reports/{report.id}/return",
            {"version": report.version, "comment_training": "Count the drivers too."},
        )
        assert response.location == "/review/reports/"
        mail = smtp.wait_for(owner.email, 1)[-1].get_payload(decode=True).decode()
        assert "Count the drivers too." in mail

        auth.logout()
        auth.login(owner.email)
        page = client.get("/company/reports/2025").get_data(as_text=True)
        assert "Count the drivers too." in page
        db.session.refresh(report)
        data = form_fields(
            report,
            **{"training-0-groups-0-new_in_person": "6", "training-0-groups-0-current": "10"},
        )
        client.submit("/company/reports/2025", data)
        db.session.refresh(report)
        client.submit("/company/reports/2025/submit", {"version": report.version})

        auth.logout()
        auth.login(reviewer.email)
        assert "Version 2" in client.get("/review/reports/").get_data(as_text=True)
        page = client.get(f"/review/reports/{report.id}").get_data(as_text=True)
        assert "What changed since version 1" in page
        assert "Trained during the year: “8” → “10”" in page
        db.session.refresh(report)
        client.submit(f"/review/reports/{report.id}/accept", {"version": report.version})
        db.session.refresh(report)
        assert report.state is ReportState.ACCEPTED
        assert services.standing_for(company, date(2026, 6, 1)).kind.value == "good"

    def test_return_without_any_section_comment_is_refused(self, client, auth, reviewer):
        company, owner = member(countries=("TH",))
        report = submitted(company, owner)
        auth.login(reviewer.email)
        response = client.submit(
            f"/review/reports/{report.id}/return",
            {"version": report.version, "return_comment": "No."},
        )
        assert response.status_code == 400
        assert "at least one section" in response.get_data(as_text=True)
        db.session.refresh(report)
        assert report.state is ReportState.SUBMITTED

    def test_staff_download_the_policy_only_within_their_countries(
        self, client, auth, rep_fr, rep_th, tmp_path
    ):
        company, owner = member(countries=("TH",))
        report = submitted(company, owner)
        auth.login(rep_fr.email)
        assert client.get(f"/review/reports/{report.id}").status_code == 404
        assert client.get(f"/review/reports/{report.id}/policy").status_code == 404
        auth.logout()
        auth.login(rep_th.email)
        assert client.get(f"/review/reports/{report.id}").status_code == 200
        # The helper's stored name is not a real file: not found, never a 500.
        assert client.get(f"/review/reports/{report.id}/policy").status_code == 404

    def test_a_decision_on_a_version_not_read_decides_nothing(self, client, auth, reviewer):
        company, owner = member(countries=("TH",))
        report = submitted(company, owner)
        auth.login(reviewer.email)
        response = client.submit(
            f"/review/reports/{report.id}/accept", {"version": report.version - 1}
        )
        assert response.location == f"/review/reports/{report.id}"
        db.session.refresh(report)
        assert report.state is ReportState.SUBMITTED
        count = db.session.scalar(select(func.count()).select_from(ReportSubmission))
        assert count == 1


def test_complete_answers_cover_every_section():
    """A guard for the helpers above: they must fill every section the services check."""
    assert {s for s in Section} == {field for field in Section}
    assert complete_answers  # used by ready_report


def test_a_chain_with_many_properties_fills_training_from_csv_and_saves_the_rest(client, auth):
    from tests.reports.helpers import hotel_chain

    company, owner = hotel_chain([("TH", f"Hotel {n}", "Bangkok") for n in range(60)])
    report = started(company, owner)
    report.training[0].employees, report.training[0].trained = 40, 30
    db.session.commit()
    auth.login(owner.email)
    page = client.get("/company/reports/2025").get_data(as_text=True)
    assert "60 training rows, too many for this form" in page
    assert 'name="training-0-groups-0-employees"' not in page
    data = {
        key: value for key, value in form_fields(report).items() if not key.startswith("training")
    }
    assert client.submit("/company/reports/2025", data).status_code == 302
    db.session.refresh(report)
    assert report.contracts_total == 20
    assert (report.training[0].employees, report.training[0].trained) == (40, 30)


def test_the_longest_inline_training_form_posts_with_a_document(client, auth):
    """Every field a browser sends for the most rows the form holds, with a PDF, is within the
    request limits (a part per field: 20 a row): never a 413 for a chain on the form's edge."""
    from tests.reports.helpers import hotel_chain
    from tracker.reports.views import INLINE_TRAINING

    chain = [("TH", f"Hotel {n}", "Bangkok") for n in range(INLINE_TRAINING)]
    company, owner = hotel_chain(chain)
    report = started(company, owner)
    auth.login(owner.email)
    page = client.get("/company/reports/2025").get_data(as_text=True)
    names = set(re.findall(r'<(?:input|select|textarea)[^>]* name="([^"]+)"', page))
    assert f"training-{INLINE_TRAINING - 1}-groups-2-current" in names
    names.discard("csrf_token")  # multipart.post sends the session's
    sent = {name: "" for name in names} | form_fields(report)
    sent["policy_document"] = (pdf_bytes(), "policy.pdf")
    response = multipart.post(client, "/company/reports/2025", sent)
    assert response.status_code == 302, re.findall(
        r'class="error[^>]*>([^<]+)', response.get_data(as_text=True)
    )
    db.session.refresh(report)
    assert [row.employees for row in report.training] == [10] * INLINE_TRAINING
    assert report.policy_document_name == "policy.pdf"


def stored_files() -> list:
    from tracker.reports.views import document_folder

    return [path for path in document_folder().rglob("*") if path.is_file()]


# A good PDF sent with a mistake, or overtaken by a colleague's save, is kept: see
# test_pending_document.py.


def pdf_with_javascript() -> bytes:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hi')"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (pdf_with_javascript(), "contains scripts or embedded files"),
        (pdf_bytes() + b"%" + b"x" * (5 * 1024 * 1024), "larger than 5 MB"),
    ],
    ids=["javascript", "too large"],
)
def test_a_pdf_with_scripts_or_too_large_is_refused(client, member_a, content, message):
    report = started(*member_a)
    before = stored_files()
    data = form_fields(report, policy_document=(content, "policy.pdf"))
    response = multipart.post(client, "/company/reports/2025", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert stored_files() == before


def test_a_body_over_the_upload_limit_is_refused_before_it_is_read(client, member_a):
    """The report form takes more than other forms (a PDF), but not without limit."""
    started(*member_a)
    boundary = "limit"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="policy_document"; '
            f'filename="policy.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + b"%PDF-1.7\n"
        + b"x" * (7 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        "/company/reports/2025",
        data=body,  # raw bytes: the test client keeps them in memory
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    small = client.post(
        "/company/reports/2025",
        data=body[:1024] + f"\r\n--{boundary}--\r\n".encode(),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert small.status_code == 400  # read, then refused for its missing CSRF token


def test_the_report_queue_reads_a_fixed_number_of_queries_however_many_rows(client, auth, reviewer):
    from tests.fixtures.sql import sql_statements

    def queue_queries() -> int:
        with sql_statements() as statements:
            page = client.get("/review/reports/")
        assert page.status_code == 200
        return len(statements)

    auth.login(reviewer.email)
    for _ in range(2):
        submitted(*member(countries=("TH",)))
    few = queue_queries()
    for _ in range(5):
        submitted(*member(countries=("TH",)))
    assert queue_queries() == few
    assert "Version" not in client.get("/review/reports/").get_data(as_text=True)


class TestReviewFormsFailLoudly:
    """The report page's decisions, refused: the summary at the form that failed, text kept."""

    def test_a_return_without_section_comments_says_so_at_the_return_form(
        self, client, auth, reviewer
    ):
        company, owner = member(countries=("TH",))
        report = submitted(company, owner)
        auth.login(reviewer.email)
        response = client.submit(
            f"/review/reports/{report.id}/return",
            {"version": report.version, "return_comment": "Please look again."},
        )
        page = response.get_data(as_text=True)
        summary = only_summary(page)
        assert "Say what needs changing in at least one section." in summary
        assert summary in block(page, "decision-return")
        assert textarea(page, "return_comment") == "Please look again."

    def test_a_too_long_acceptance_comment_is_named_at_the_accept_form(
        self, client, auth, reviewer
    ):
        company, owner = member(countries=("TH",))
        report = submitted(company, owner)
        auth.login(reviewer.email)
        typed = "Well done. " * 500
        response = client.submit(
            f"/review/reports/{report.id}/accept",
            {"version": report.version, "accept_comment": typed},
        )
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        summary = only_summary(page)
        assert '<a href="#accept_comment">' in summary
        assert summary in block(page, "decision-accept")
        assert textarea(page, "accept_comment") == typed
        db.session.refresh(report)
        assert report.state is ReportState.SUBMITTED

    def test_a_refused_recommendation_keeps_its_text_on_the_report_page(self, client, auth, rep_th):
        company, owner = member(countries=("TH",))
        report = submitted(company, owner)
        auth.login(rep_th.email)
        typed = "Checked the training records. " * 70  # over 2,000 characters
        response = client.submit(f"/review/reports/{report.id}/recommend", {"comment": typed})
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        summary = only_summary(page)
        assert '<a href="#recommend-comment">' in summary
        assert summary in block(page, "recommend")
        assert textarea(page, "recommend-comment") == typed
        db.session.refresh(report)
        assert report.state is ReportState.SUBMITTED
