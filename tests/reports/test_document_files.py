"""Policy documents on disk: served as PDFs whatever their name, replaced files deleted after
the commit, at most REPORT_DOCUMENTS_MAX per report, each version keeping its own file, and the
`documents prune` command for what is left over."""

import io
import os
import time
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from tests.reports.helpers import complete_answers, member
from tests.reports.pdfs import pdf_bytes
from tests.reports.test_views import ON, form_fields, started
from tracker.extensions import db
from tracker.reports import documents, drafting, services
from tracker.reports.models import Report, ReportSubmission, Section

FIRST, SECOND, THIRD = pdf_bytes(1), pdf_bytes(2), pdf_bytes(3)


@pytest.fixture()
def folder(app, tmp_path, monkeypatch) -> Path:
    """A documents folder of this test's own: the session's is shared by every test."""
    monkeypatch.setitem(app.config, "REPORT_DOCUMENT_FOLDER", str(tmp_path / "documents"))
    return tmp_path / "documents"


@pytest.fixture()
def member_a(auth):
    company, owner = member(countries=("TH",))
    auth.login(owner.email)
    return company, owner


def stored(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def upload(client, report: Report, content: bytes, filename: str = "policy.pdf"):
    db.session.refresh(report)
    data = form_fields(report, policy_document=(io.BytesIO(content), filename))
    return client.submit("/company/reports/2025", data, content_type="multipart/form-data")


def submit(report: Report, owner) -> None:
    db.session.refresh(report)
    services.submit_report(report, owner, report.version, ON)
    db.session.commit()


def give_back(report: Report, reviewer) -> None:
    services.return_report(report, reviewer, {Section.POLICY: "Another file."}, "", report.version)
    db.session.commit()


# Served as a PDF, whatever the uploader called it


@pytest.mark.parametrize(
    ("original", "disposition"),
    [
        ("Our policy.pdf", 'attachment; filename="Our policy.pdf"'),
        ("policy.html", 'attachment; filename="policy.pdf"'),
        ("run me.hta", 'attachment; filename="run me.pdf"'),
        ("setup.pdf.exe", 'attachment; filename="setup.pdf"'),
        ("Policy v2.PDF", 'attachment; filename="Policy v2.pdf"'),
        ("C:\\Users\\ana\\policy.svg", 'attachment; filename="policy.pdf"'),
        (
            'a";b=c.html',
            "attachment; filename=\"a_b_c.pdf\"; filename*=UTF-8''a_b%3Dc.pdf",
        ),
        (
            "Política été.pdf",
            'attachment; filename="Politica ete.pdf"; '
            "filename*=UTF-8''Pol%C3%ADtica%20%C3%A9t%C3%A9.pdf",
        ),
        (
            "政策.pdf",
            "attachment; filename=\"policy.pdf\"; filename*=UTF-8''%E6%94%BF%E7%AD%96.pdf",
        ),
        ("evil\u202egnp.exe", 'attachment; filename="evilgnp.pdf"'),
        ("\r\n.html", 'attachment; filename="policy.pdf"'),
        (None, 'attachment; filename="policy.pdf"'),
    ],
)
def test_a_download_is_named_as_a_pdf_derived_from_the_uploaders_name(original, disposition):
    headers = documents.download_headers(original)
    assert headers["Content-Disposition"] == disposition
    assert headers["Content-Type"] == "application/pdf"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_a_long_name_is_cut_before_pdf_is_added():
    disposition = documents.download_headers("x" * 300 + ".html")["Content-Disposition"]
    assert disposition == f'attachment; filename="{"x" * 100}.pdf"'


def test_a_document_uploaded_as_html_downloads_as_a_pdf_attachment(
    client, auth, member_a, folder, reviewer
):
    report = started(*member_a)
    assert upload(client, report, FIRST, "policy.html").status_code == 302
    for url in ("/company/reports/2025/policy", f"/review/reports/{report.id}/policy"):
        if url.startswith("/review"):
            auth.logout()
            auth.login(reviewer.email)
        download = client.get(url)
        assert download.status_code == 200
        assert download.headers["Content-Type"] == "application/pdf"
        assert download.headers["Content-Disposition"] == 'attachment; filename="policy.pdf"'
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert "private" in download.headers["Cache-Control"]
        assert download.data == FIRST


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(document.domain)</script></html>\n" + FIRST,
        FIRST[:9]
        + b"%<html><body><script>alert(document.domain)</script></body></html>\n"
        + FIRST[9:],
    ],
    ids=["html-first", "html-in-a-comment"],
)
def test_a_pdf_html_polyglot_is_refused_beside_the_field_and_not_stored(
    client, member_a, folder, content
):
    report = started(*member_a)
    response = upload(client, report, content, "policy.pdf")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="policy_document-error"' in page and "This file is not a PDF." in page
    assert stored(folder) == {}
    db.session.refresh(report)
    assert report.policy_document is None


# Replaced files are deleted, after the commit, unless something still refers to them


def test_replacing_the_draft_document_deletes_the_file_it_replaces(client, member_a, folder):
    report = started(*member_a)
    upload(client, report, FIRST)
    upload(client, report, SECOND)
    assert upload(client, report, THIRD).status_code == 302
    db.session.refresh(report)
    assert stored(folder) == {report.policy_document: THIRD}


def test_a_save_without_a_new_file_keeps_the_file(client, member_a, folder):
    report = started(*member_a)
    upload(client, report, FIRST)
    db.session.refresh(report)
    assert client.submit("/company/reports/2025", form_fields(report)).status_code == 302
    assert stored(folder) == {report.policy_document: FIRST}


def test_a_file_a_submitted_version_refers_to_is_kept(client, member_a, folder, reviewer):
    company, owner = member_a
    report = started(company, owner)
    upload(client, report, FIRST)
    submit(report, owner)
    give_back(report, reviewer)
    first_name = report.policy_document
    assert upload(client, report, SECOND).status_code == 302
    db.session.refresh(report)
    assert stored(folder) == {first_name: FIRST, report.policy_document: SECOND}
    # A second new file replaces the second one (no version has it): that one goes.
    upload(client, report, THIRD)
    db.session.refresh(report)
    assert stored(folder) == {first_name: FIRST, report.policy_document: THIRD}


def test_a_file_another_years_draft_shares_is_kept(client, member_a, folder):
    company, owner = member_a
    report = started(company, owner)
    upload(client, report, FIRST)
    next_year = drafting.start_report(company, 2026, owner, ON, from_last_year=True)
    db.session.commit()
    assert next_year.policy_document == report.policy_document  # copied from last year's
    data = form_fields(next_year, policy_document=(io.BytesIO(SECOND), "new.pdf"))
    response = client.submit("/company/reports/2026", data, content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.refresh(next_year)
    assert stored(folder) == {report.policy_document: FIRST, next_year.policy_document: SECOND}


def test_a_failed_commit_deletes_the_new_file_and_keeps_the_old(
    client, member_a, folder, monkeypatch
):
    report = started(*member_a)
    upload(client, report, FIRST)
    db.session.refresh(report)
    before = stored(folder)

    def failing_commit():
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    monkeypatch.setattr(db.session, "commit", failing_commit)
    with pytest.raises(OperationalError, match="database is locked"):
        upload(client, report, SECOND)
    monkeypatch.undo()
    assert stored(folder) == before


def test_a_save_stays_saved_when_the_lookup_after_its_commit_fails(
    client, member_a, folder, monkeypatch
):
    """The old file is then left for `documents prune`, never answered with a 500."""
    report = started(*member_a)
    upload(client, report, FIRST)

    def database_gone(names):
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(documents, "in_use", database_gone)
    assert upload(client, report, SECOND).status_code == 302
    db.session.refresh(report)
    assert stored(folder)[report.policy_document] == SECOND
    assert sorted(stored(folder).values()) == sorted([FIRST, SECOND])


def test_remove_unused_leaves_files_in_use_and_names_that_are_not_ours(folder, member_a):
    company, owner = member_a
    report = started(company, owner)
    used, unused = documents.store(FIRST, folder), documents.store(SECOND, folder)
    report.policy_document = used
    db.session.commit()
    assert documents.remove_unused([used, unused, None, "../../etc/passwd"], folder) == 1
    assert set(stored(folder)) == {used}


# At most REPORT_DOCUMENTS_MAX files per report


def versions_with_files(report: Report, owner, count: int, folder: Path) -> None:
    for number in range(1, count + 1):
        db.session.add(
            ReportSubmission(
                report=report,
                number=number,
                submitted_by_id=owner.id,
                content={"policy_document_name": f"v{number}.pdf"},
                policy_document=documents.store(pdf_bytes(number), folder),
            )
        )
    db.session.commit()


def test_a_report_keeping_the_most_documents_refuses_another(
    app, client, member_a, folder, monkeypatch
):
    monkeypatch.setitem(app.config, "REPORT_DOCUMENTS_MAX", 3)
    company, owner = member_a
    report = started(company, owner)
    versions_with_files(report, owner, 3, folder)
    before = stored(folder)
    response = upload(client, report, FIRST)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="policy_document-error"' in page
    assert "This report already keeps 3 documents, the most it may have." in page
    assert stored(folder) == before


def test_a_report_under_the_most_documents_takes_another(
    app, client, member_a, folder, monkeypatch
):
    monkeypatch.setitem(app.config, "REPORT_DOCUMENTS_MAX", 3)
    company, owner = member_a
    report = started(company, owner)
    versions_with_files(report, owner, 2, folder)
    assert upload(client, report, FIRST).status_code == 302
    assert len(stored(folder)) == 3


# Each version keeps its own document


def test_a_reviewer_gets_each_versions_own_document(client, auth, member_a, folder, reviewer):
    company, owner = member_a
    report = started(company, owner)
    upload(client, report, FIRST, "first.pdf")
    submit(report, owner)
    give_back(report, reviewer)
    upload(client, report, SECOND, "second.pdf")
    submit(report, owner)
    auth.logout()
    auth.login(reviewer.email)
    base = f"/review/reports/{report.id}/policy"
    assert client.get(base + "?version=1").data == FIRST
    assert client.get(base + "?version=2").data == SECOND
    assert client.get(base).data == SECOND  # the latest version, as the page shows
    assert client.get(base + "?version=1").headers["Content-Disposition"] == (
        'attachment; filename="first.pdf"'
    )
    for missing in ("?version=3", "?version=0", "?version=x"):
        assert client.get(base + missing).status_code == 404
    page = client.get(f"/review/reports/{report.id}?version=1").get_data(as_text=True)
    assert f'href="{base}?version=1"' in page and ">first.pdf</a>" in page
    assert "second.pdf" not in page.split("Policy document of version 1:")[1].split("</p>")[0]


def test_a_version_whose_file_was_not_kept_says_so(client, auth, member_a, reviewer):
    company, owner = member_a
    report = started(company, owner)
    db.session.add(
        ReportSubmission(
            report=report,
            number=1,
            submitted_by_id=owner.id,
            content={"policy_document_name": "lost.pdf"},
        )
    )
    db.session.commit()
    auth.logout()
    auth.login(reviewer.email)
    page = client.get(f"/review/reports/{report.id}").get_data(as_text=True)
    assert "lost.pdf</span> (its file was not kept with this version)" in page
    assert client.get(f"/review/reports/{report.id}/policy").status_code == 404


def test_submitting_records_the_document_on_the_version(member_a):
    company, owner = member_a
    report = started(company, owner)
    drafting.save_draft(report, complete_answers(report), owner, report.version)
    report.policy_document, report.policy_document_name = "A" * 32, "policy.pdf"
    db.session.commit()
    submission = services.submit_report(report, owner, report.version, ON)
    assert submission.policy_document == "A" * 32


# Pruning what is left over


def age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_prune_removes_old_files_nothing_refers_to(runner, member_a, folder):
    company, owner = member_a
    report = started(company, owner)
    on_draft, on_version, orphan, young = (
        documents.store(pdf_bytes(n), folder) for n in (1, 2, 3, 4)
    )
    report.policy_document = on_draft
    db.session.add(
        ReportSubmission(
            report=report,
            number=1,
            submitted_by_id=owner.id,
            content={},
            policy_document=on_version,
        )
    )
    db.session.commit()
    half_written = folder / on_draft[:2] / ".upload-x1y2"
    half_written.write_bytes(b"%PDF-1.7 cut")
    foreign = folder / on_draft[:2] / "notes.txt"
    foreign.write_text("not ours")
    for name in (on_draft, on_version, orphan):
        age(documents.path_of(name, folder), 2)
    age(half_written, 2)
    age(foreign, 2)

    dry = runner.invoke(args=["documents", "prune", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would remove 1 unused files" in dry.output
    assert len(stored(folder)) == 6

    result = runner.invoke(args=["documents", "prune"])
    assert result.exit_code == 0, result.output
    assert "Checking" in result.output  # the progress bar's label
    size = len(pdf_bytes(3))
    assert (
        f"Removed 1 unused files ({size:,} bytes) and 1 half-written uploads; kept 2 in use and "
        "1 younger than 60 minutes; left 1 others alone."
    ) in result.output
    assert set(stored(folder)) == {on_draft, on_version, young, "notes.txt"}


def test_prune_with_no_folder_yet_removes_nothing(runner, folder):
    result = runner.invoke(args=["documents", "prune", "--min-age", "0"])
    assert result.exit_code == 0, result.output
    assert "Removed 0 unused files (0 bytes)" in result.output
