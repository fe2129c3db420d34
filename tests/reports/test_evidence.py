"""Evidence per criterion: PDF, PNG and JPEG files checked on upload, kept with the versions
submitted, downloaded as attachments by the company and the staff who may see the report."""

import io
from datetime import date
from pathlib import Path

import pytest

from tests.reports.helpers import member, ready_report
from tests.reports.test_views import pdf_bytes
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.reports import documents, evidence, services
from tracker.reports.models import ReportEvidence, Section

ON = date(2026, 2, 1)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100


@pytest.fixture()
def folder(app, tmp_path, monkeypatch) -> Path:
    monkeypatch.setitem(app.config, "REPORT_DOCUMENT_FOLDER", str(tmp_path / "documents"))
    return tmp_path / "documents"


@pytest.fixture()
def owned(auth, folder):
    company, owner = member(countries=("TH",))
    report = ready_report(company, owner)
    auth.login(owner.email)
    return company, owner, report


def add(client, year: int, content: bytes, name: str, section: str = "training"):
    data = {"section": section, "file": (io.BytesIO(content), name)}
    return client.submit(
        f"/company/reports/{year}/evidence", data, content_type="multipart/form-data"
    )


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PNG, "image/png"), (JPEG, "image/jpeg"), (pdf_bytes(), "application/pdf")],
)
def test_pdf_png_and_jpeg_are_accepted_by_their_bytes(app, content, kind):
    assert evidence.checked_type(content, 5 * 1024 * 1024) == kind


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a" + b"\x00" * 100, "Choose a PDF, PNG or JPEG file."),
        (b"<html><script>alert(1)</script>", "Choose a PDF, PNG or JPEG file."),
        (b"\x89PNG\r\n\x1a\n", "This image is damaged or empty."),
        (PNG + b"\x00" * 2000, "larger than"),
    ],
)
def test_other_files_are_refused(app, content, message):
    with pytest.raises(documents.DocumentError, match=message):
        evidence.checked_type(content, 1024)


def test_add_download_and_remove(client, owned, folder):
    _company, _owner, report = owned
    response = add(client, 2025, PNG, "poster.png")
    assert response.status_code == 302
    db.session.refresh(report)
    (item,) = report.evidence
    assert (item.section, item.name, item.content_type) == (
        Section.TRAINING,
        "poster.png",
        "image/png",
    )
    page = client.get("/company/reports/2025").get_data(as_text=True)
    assert "poster.png" in page and "2. Staff training:" in page
    download = client.get(f"/company/reports/2025/evidence/{item.id}")
    assert download.data == PNG
    assert download.headers["Content-Type"] == "image/png"
    assert download.headers["Content-Disposition"] == 'attachment; filename="poster.png"'
    stored, item_id = item.stored, item.id
    response = client.submit(f"/company/reports/2025/evidence/{item_id}/remove")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ReportEvidence, item_id) is None
    assert not documents.path_of(stored, folder).exists()


def test_a_refused_file_is_shown_beside_the_field(client, owned, folder):
    _company, _owner, report = owned
    response = add(client, 2025, b"MZ\x90\x00 not a document", "virus.exe")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="file-error"' in page and "Choose a PDF, PNG or JPEG file." in page
    assert '<option selected value="training">' in page  # the criterion chosen is kept
    db.session.refresh(report)
    assert report.evidence == []
    assert not folder.exists() or not any(folder.rglob("*"))


def test_suspected_cases_take_no_evidence(client, owned):
    response = add(client, 2025, PNG, "case.png", section="cases")
    assert response.status_code == 400
    assert "Choose a criterion from the list." in response.get_data(as_text=True)


def test_submitted_files_are_kept_and_reviewers_read_them(client, auth, owned, reviewer):
    _company, owner, report = owned
    add(client, 2025, JPEG, "training day.jpg", section="training")
    db.session.refresh(report)
    services.submit_report(report, owner, report.version, ON)
    services.return_report(report, reviewer, {Section.TRAINING: "More"}, "", report.version)
    db.session.commit()
    (item,) = report.evidence
    assert report.latest_submission.content["evidence"][0]["name"] == "training day.jpg"
    with pytest.raises(DomainError, match="submitted with the report"):
        evidence.remove_evidence(report, item, owner)
    assert documents.in_use([item.stored]) == {item.stored}  # prune leaves it alone
    auth.logout()
    auth.login(reviewer.email)
    page = client.get(f"/review/reports/{report.id}").get_data(as_text=True)
    link = f"/review/reports/{report.id}/evidence/{item.id}"
    assert link in page
    assert client.get(link).data == JPEG


def test_other_companies_never_reach_the_file(client, auth, owned):
    _company, _owner, report = owned
    add(client, 2025, PNG, "poster.png")
    db.session.refresh(report)
    (item,) = report.evidence
    other, other_owner = member(countries=("TH",))
    ready_report(other, other_owner)
    auth.logout()
    auth.login(other_owner.email)
    assert client.get(f"/company/reports/2025/evidence/{item.id}").status_code == 404
    response = client.submit(f"/company/reports/2025/evidence/{item.id}/remove")
    assert response.status_code == 404
    assert db.session.get(ReportEvidence, item.id) is not None


def test_the_diff_names_the_files_added(app, folder):
    company, owner = member()
    report = ready_report(company, owner)
    before = services_snapshot(report)
    evidence.add_evidence(report, Section.POLICY, "x" * 32, "policy.png", 100, "image/png", owner)
    from tracker.reports.content import differences

    (change,) = differences(before, services_snapshot(report))
    assert (change.section, change.label, change.after) == (
        Section.POLICY,
        "Evidence",
        "policy.png",
    )


def services_snapshot(report):
    from tracker.reports.content import snapshot

    return snapshot(report)


def test_the_demo_members_accepted_report_carries_evidence(runner, folder):
    from tests.test_cli import DEMO_OWNER
    from tracker.auth.services import find_user

    result = runner.invoke(args=["demo-data", "--companies", "0"])
    assert result.exit_code == 0, result.output
    company = find_user(DEMO_OWNER).company
    accepted = min(services.reports_of(company), key=lambda report: report.year)
    (item,) = accepted.evidence
    assert item.section is Section.TRAINING and item.content_type == "application/pdf"
    assert accepted.latest_submission.content["evidence"][0]["name"] == item.name
    assert documents.path_of(item.stored, folder).is_file()
