"""A policy PDF chosen on a save that fails is kept (pending) and saved by the next save; only
that person's next save of that report can claim it, and one never claimed is pruned."""

import io
import os
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest

from tests import multipart
from tests.factories import UserFactory
from tests.reports.helpers import member
from tests.reports.pdfs import pdf_bytes
from tests.reports.test_views import form_fields, started
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.reports import drafting, services
from tracker.reports.models import Report

URL = "/company/reports/2025"
FIRST, SECOND = pdf_bytes(1), pdf_bytes(2)
KEPT = re.compile(r'name="pending_document" type="hidden" value="([^"]*)"')


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


def post(client, report: Report, url: str = URL, content: bytes | None = None, **changes):
    """The report form, complete but for `changes`, with the file `content` if given."""
    db.session.refresh(report)
    if content is not None:
        changes["policy_document"] = (content, "policy.pdf")
    return multipart.post(client, url, form_fields(report, **changes))


def kept_reference(response) -> str:
    match = KEPT.search(response.get_data(as_text=True))
    assert match, "no pending_document field"
    return match.group(1)


def fail_with_file(client, report: Report, content: bytes = FIRST) -> str:
    """A save with the file and a mistake: refused, the file kept; its reference."""
    response = post(client, report, content=content, contracts_total="lots")
    assert response.status_code == 400
    return kept_reference(response)


def test_a_good_pdf_is_kept_across_a_failed_save_and_saved_by_the_next(client, member_a, folder):
    report = started(*member_a)
    response = post(client, report, content=FIRST, contracts_total="lots")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "policy.pdf (" in page and ") is kept; it will be saved with the report." in page
    assert 'id="contracts_total-error"' in page  # the mistake, beside its field
    assert list(stored(folder).values()) == [FIRST]  # pending: on disk ...
    db.session.refresh(report)
    assert report.policy_document is None  # ... and on no report
    assert client.get(f"{URL}/policy").status_code == 404

    response = post(client, report, pending_document=kept_reference(response))
    assert response.status_code == 302
    db.session.refresh(report)
    assert stored(folder) == {report.policy_document: FIRST}
    assert (report.policy_document_name, report.policy_document_size) == ("policy.pdf", len(FIRST))


def test_the_file_stays_kept_through_several_failed_saves(client, member_a, folder):
    report = started(*member_a)
    reference = fail_with_file(client, report)
    response = post(client, report, pending_document=reference, cases_reported="x")
    assert response.status_code == 400
    assert "is kept; it will be saved with the report." in response.get_data(as_text=True)
    response = post(client, report, pending_document=kept_reference(response))
    assert response.status_code == 302
    db.session.refresh(report)
    assert stored(folder) == {report.policy_document: FIRST}


def test_a_new_file_replaces_the_kept_one(client, member_a, folder):
    report = started(*member_a)
    reference = fail_with_file(client, report)
    response = post(client, report, content=SECOND, pending_document=reference)
    assert response.status_code == 302
    db.session.refresh(report)
    assert stored(folder) == {report.policy_document: SECOND}


def test_a_new_file_chosen_on_another_failed_save_replaces_the_kept_one(client, member_a, folder):
    report = started(*member_a)
    reference = fail_with_file(client, report)
    response = post(client, report, content=SECOND, pending_document=reference, cases_reported="x")
    assert response.status_code == 400
    assert list(stored(folder).values()) == [SECOND]
    assert post(client, report, pending_document=kept_reference(response)).status_code == 302
    db.session.refresh(report)
    assert stored(folder) == {report.policy_document: SECOND}


def test_the_kept_file_can_be_dropped(client, member_a, folder):
    report = started(*member_a)
    reference = fail_with_file(client, report)
    response = post(client, report, pending_document=reference, discard_pending_document="y")
    assert response.status_code == 302
    db.session.refresh(report)
    assert report.policy_document is None
    assert stored(folder) == {}


def test_a_refused_file_is_refused_by_its_field_and_the_kept_one_stays(client, member_a, folder):
    report = started(*member_a)
    reference = fail_with_file(client, report)
    response = post(client, report, content=b"<html>not a pdf</html>", pending_document=reference)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="policy_document-error"' in page
    assert "is kept; it will be saved with the report." in page
    assert list(stored(folder).values()) == [FIRST]


@pytest.mark.parametrize(
    "content",
    [b"<html>not a pdf</html>", FIRST + b"%" + b"x" * (5 * 1024 * 1024)],
    ids=["not a pdf", "too large"],
)
def test_a_refused_file_is_not_kept(client, member_a, folder, content):
    report = started(*member_a)
    response = post(client, report, content=content, cases_reported="x")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="policy_document-error"' in page and 'id="cases_reported-error"' in page
    assert kept_reference(response) == "" and "is kept" not in page
    assert stored(folder) == {}


def test_a_colleague_cannot_claim_the_kept_file(client, auth, member_a, folder):
    company, _owner = member_a
    report = started(*member_a)
    reference = fail_with_file(client, report)
    colleague = UserFactory(company=company, role=Role.COMPANY)
    db.session.commit()
    auth.logout()
    auth.login(colleague.email)
    response = post(client, report, pending_document=reference)
    assert response.status_code == 302  # saved, without the file
    db.session.refresh(report)
    assert report.policy_document is None
    assert list(stored(folder).values()) == [FIRST]  # nor dropped by someone else


def test_another_report_cannot_claim_the_kept_file(client, member_a, folder):
    company, owner = member_a
    report = started(*member_a)
    next_year = drafting.start_report(company, 2026, owner, services.today())
    db.session.commit()
    reference = fail_with_file(client, report)
    response = post(client, next_year, url="/company/reports/2026", pending_document=reference)
    assert response.status_code == 302
    db.session.refresh(next_year)
    assert next_year.policy_document is None


@pytest.mark.parametrize(
    "forged",
    ["", "x" * 40, "../../etc/passwd"],
    ids=["empty", "garbage", "a path"],
)
def test_a_forged_reference_claims_nothing(client, member_a, folder, forged):
    report = started(*member_a)
    reference = fail_with_file(client, report)
    payload, signature = reference.rsplit(".", 1)
    response = post(client, report, pending_document=forged or payload + ".AAAA" + signature)
    assert response.status_code == 302
    db.session.refresh(report)
    assert report.policy_document is None


def test_an_expired_reference_asks_for_the_file_again(app, client, member_a, folder, monkeypatch):
    report = started(*member_a)
    reference = fail_with_file(client, report)
    monkeypatch.setitem(app.config, "REPORT_PENDING_DOCUMENT_MAX_AGE", timedelta(seconds=-1))
    response = post(client, report, pending_document=reference, cases_reported="x")
    page = response.get_data(as_text=True)
    assert "The file you chose earlier is no longer kept: choose it again." in page
    assert kept_reference(response) == ""


def test_a_file_chosen_on_a_save_a_colleague_overtook_is_kept(client, member_a, folder):
    report = started(*member_a)
    db.session.refresh(report)
    stale = form_fields(report, policy_document=(FIRST, "policy.pdf"))
    assert post(client, report).status_code == 302  # the colleague's save
    response = multipart.post(client, URL, stale)
    assert response.status_code == 409
    assert "is kept; it will be saved with the report." in response.get_data(as_text=True)
    assert post(client, report, pending_document=kept_reference(response)).status_code == 302
    db.session.refresh(report)
    assert stored(folder) == {report.policy_document: FIRST}


def age(path: Path, minutes: float) -> None:
    then = time.time() - minutes * 60
    os.utime(path, (then, then))


def test_a_file_kept_and_never_saved_is_pruned_once_old(runner, client, member_a, folder):
    report = started(*member_a)
    fail_with_file(client, report)
    (path,) = [p for p in folder.rglob("*") if p.is_file()]
    result = runner.invoke(args=["documents", "prune"])
    assert result.exit_code == 0 and path.exists()  # young: its save may still come
    age(path, 61)
    result = runner.invoke(args=["documents", "prune"])
    assert result.exit_code == 0, result.output
    assert not path.exists()


def test_keeping_the_file_again_restarts_its_clock(client, member_a, folder):
    report = started(*member_a)
    reference = fail_with_file(client, report)
    (path,) = [p for p in folder.rglob("*") if p.is_file()]
    age(path, 40)
    post(client, report, pending_document=reference, cases_reported="x")
    assert time.time() - path.stat().st_mtime < 60


def test_a_file_too_many_is_refused_even_when_kept(app, client, member_a, folder, monkeypatch):
    report = started(*member_a)
    reference = fail_with_file(client, report)
    monkeypatch.setitem(app.config, "REPORT_DOCUMENTS_MAX", 0)
    response = post(client, report, pending_document=reference)
    assert response.status_code == 400
    assert "already keeps 0 documents" in response.get_data(as_text=True)


def test_a_kept_file_is_named_as_uploaded(client, member_a, folder):
    report = started(*member_a)
    db.session.refresh(report)
    data = form_fields(report, contracts_total="x", policy_document=(io.BytesIO(FIRST), "Ó.pdf"))
    page = multipart.post(client, URL, data).get_data(as_text=True)
    assert "Ó.pdf (" in page


# Evidence files: the same, on the page's other form.

EVIDENCE_URL = "/company/reports/2025/evidence"
EVIDENCE_KEPT = re.compile(r'name="pending_file" type="hidden" value="([^"]*)"')


def add_evidence(client, **fields):
    return multipart.post(client, EVIDENCE_URL, fields)


def evidence_reference(response) -> str:
    match = EVIDENCE_KEPT.search(response.get_data(as_text=True))
    assert match, "no pending_file field"
    return match.group(1)


def test_an_evidence_file_sent_without_its_criterion_is_kept(client, member_a, folder):
    report = started(*member_a)
    response = add_evidence(client, section="", file=(FIRST, "certificate.pdf"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="section-error"' in page
    assert "certificate.pdf (" in page and "it will be added with the criterion you choose." in page
    assert list(stored(folder).values()) == [FIRST]
    db.session.refresh(report)
    assert report.evidence == []

    response = add_evidence(client, section="training", pending_file=evidence_reference(response))
    assert response.status_code == 302
    db.session.refresh(report)
    (item,) = report.evidence
    assert (item.name, item.size) == ("certificate.pdf", len(FIRST))
    assert stored(folder) == {item.stored: FIRST}


def test_no_file_and_no_criterion_are_both_reported(client, member_a, folder):
    started(*member_a)
    page = add_evidence(client, section="").get_data(as_text=True)
    assert 'id="section-error"' in page and 'id="file-error"' in page


def test_a_new_evidence_file_replaces_the_kept_one(client, member_a, folder):
    report = started(*member_a)
    reference = evidence_reference(add_evidence(client, section="", file=(FIRST, "a.pdf")))
    fields = {"section": "policy", "file": (SECOND, "b.pdf"), "pending_file": reference}
    assert add_evidence(client, **fields).status_code == 302
    db.session.refresh(report)
    (item,) = report.evidence
    assert stored(folder) == {item.stored: SECOND}


def test_a_kept_evidence_file_can_be_dropped(client, member_a, folder):
    started(*member_a)
    reference = evidence_reference(add_evidence(client, section="", file=(FIRST, "a.pdf")))
    response = add_evidence(
        client, section="policy", pending_file=reference, discard_pending_file="y"
    )
    assert response.status_code == 400  # no file left to add
    assert 'id="file-error"' in response.get_data(as_text=True)
    assert stored(folder) == {}


def test_a_reference_claims_a_file_of_its_own_form_only(client, member_a, folder):
    report = started(*member_a)
    evidence_ref = evidence_reference(add_evidence(client, section="", file=(FIRST, "a.pdf")))
    assert post(client, report, pending_document=evidence_ref).status_code == 302
    db.session.refresh(report)
    assert report.policy_document is None
    policy_ref = fail_with_file(client, report, SECOND)
    response = add_evidence(client, section="policy", pending_file=policy_ref)
    assert response.status_code == 400
    db.session.refresh(report)
    assert report.evidence == []
