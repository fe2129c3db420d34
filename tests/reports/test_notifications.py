"""Report e-mail (issue 15, item 14): a receipt for the company and a notice for its reviewers
on submission; the decision for the company, in its people's language."""

from email.header import decode_header, make_header

import pytest

from tests.factories import UserFactory
from tests.reports.helpers import member, ready_report
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.reports import services
from tracker.reports.models import ReportState


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def body(message) -> str:
    return message.get_payload(decode=True).decode()


@pytest.fixture()
def thai_member(reviewer, admin, rep_th, rep_fr):
    company, owner = member(countries=("TH",), display_name="Lotus Tours")
    owner.locale = "fr"
    gone = UserFactory(role="reviewer", email="gone@example.com")
    gone.deactivated_at = utcnow()
    db.session.commit()
    return company, owner


def test_submitting_sends_a_receipt_and_tells_the_reviewers(
    client, auth, smtp, thai_member, reviewer, admin, rep_th, rep_fr
):
    company, owner = thai_member
    report = ready_report(company, owner)
    auth.login(owner.email)
    client.submit("/company/reports/2025/submit", {"version": report.version})
    [receipt] = smtp.wait_for(owner.email, 1)
    assert subject(receipt) == "[The Code] Votre rapport annuel 2025 est soumis"
    assert "ECPAT a reçu le rapport annuel 2025 de Lotus Tours (version 1)" in body(receipt)
    for person in (reviewer, admin, rep_th):  # rep_th: Lotus operates in Thailand
        [notice] = smtp.wait_for(person.email, 1)
        assert subject(notice) == "[The Code] Lotus Tours submitted its 2025 annual report"
        assert f"by {owner.email}" in body(notice)
        assert f"/review/reports/{report.id}" in body(notice)
    assert smtp.to(rep_fr.email) == [] and smtp.to("gone@example.com") == []
    assert len(smtp.messages) == 4


def test_a_colleague_submitting_and_the_owner_both_get_the_receipt(client, auth, smtp, thai_member):
    company, owner = thai_member
    colleague = UserFactory(company=company, email="colleague@example.com", locale="es")
    db.session.commit()
    report = ready_report(company, owner)
    auth.login(colleague.email)
    client.submit("/company/reports/2025/submit", {"version": report.version})
    [receipt] = smtp.wait_for(colleague.email, 1)
    assert subject(receipt) == "[The Code] Su informe anual de 2025 se ha enviado"
    assert len(smtp.wait_for(owner.email, 1)) == 1


def test_a_refused_submission_sends_nothing(client, auth, smtp, thai_member):
    company, owner = thai_member
    report = ready_report(company, owner)
    auth.login(owner.email)
    client.submit("/company/reports/2025/submit", {"version": report.version - 1})
    db.session.refresh(report)
    assert report.state is ReportState.DRAFT
    assert smtp.messages == []


@pytest.mark.parametrize(
    ("decision", "data", "expected"),
    [
        ("accept", {}, "[The Code] Votre rapport annuel est accepté"),
        ("return", {"comment_training": "Comptez les chauffeurs."}, None),
    ],
)
def test_a_decision_is_mailed_to_the_company_in_its_language(
    client, auth, smtp, thai_member, reviewer, decision, data, expected
):
    company, owner = thai_member
    report = ready_report(company, owner)
    services.submit_report(report, owner, report.version, services.today())
    db.session.commit()
    auth.login(reviewer.email)  # the reviewer reads English
    client.submit(f"/review/reports/{report.id}/{decision}", {"version": report.version, **data})
    [message] = smtp.wait_for(owner.email, 1)
    if expected is not None:
        assert subject(message) == expected
    else:
        assert "Comptez les chauffeurs." in body(message)
        assert "ECPAT a examiné le rapport annuel 2025 de Lotus Tours" in body(message)
