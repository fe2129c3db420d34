"""Parallel report requests against the served app: no save is lost silently, nothing is done
twice, and nobody sees a 500."""

import pytest
from sqlalchemy import func, select

from tests.reports.helpers import member, ready_report
from tests.reports.test_views import form_fields
from tests.served.conftest import csrf_token
from tests.served.test_races import in_parallel, signed_in_client, statuses
from tracker.audit import AuditAction, AuditEntry
from tracker.extensions import db
from tracker.reports import drafting, services
from tracker.reports.models import Report, ReportState, ReportSubmission

PARALLEL = 6


@pytest.fixture()
def served(served_app):
    """The served app with fresh workers, so no earlier test's rate-limit counts linger."""
    served_app.restart_workers()
    return served_app


def test_parallel_saves_of_one_draft_save_once_and_show_the_rest_the_conflict(served):
    company, owner = member(countries=("TH",))
    report = drafting.start_report(company, 2025, owner, services.today())
    db.session.commit()
    clients = [signed_in_client(served.url, owner.email) for _ in range(PARALLEL)]
    tokens = [csrf_token(client, "/company/reports/2025") for client in clients]
    forms = [
        form_fields(report, contracts_total=str(100 + i), csrf_token=tokens[i])
        for i in range(PARALLEL)
    ]

    def save(i: int):
        return clients[i].post("/company/reports/2025", data=forms[i])

    responses = in_parallel(PARALLEL, save)
    codes = statuses(responses)
    assert codes.count(302) == 1 and codes.count(409) == PARALLEL - 1, codes
    winner = next(i for i, r in enumerate(responses) if r.status_code == 302)
    db.session.expire_all()
    saved = db.session.get(Report, report.id)
    assert saved.contracts_total == 100 + winner
    for response in responses:
        if response.status_code == 409:
            assert "A colleague saved this report" in response.text


def test_parallel_submissions_make_one_version(served):
    company, owner = member(countries=("TH",))
    report = ready_report(company, owner)
    clients = [signed_in_client(served.url, owner.email) for _ in range(PARALLEL)]
    tokens = [csrf_token(client, "/company/reports/2025/preview") for client in clients]
    version = str(report.version)

    def submit(i: int):
        data = {"version": version, "csrf_token": tokens[i]}
        return clients[i].post("/company/reports/2025/submit", data=data)

    responses = in_parallel(PARALLEL, submit)
    assert all(response.status_code == 302 for response in responses), statuses(responses)
    db.session.expire_all()
    assert db.session.get(Report, report.id).state is ReportState.SUBMITTED
    assert db.session.scalar(select(func.count()).select_from(ReportSubmission)) == 1
    submitted = select(func.count()).where(AuditEntry.action == AuditAction.REPORT_SUBMITTED)
    assert db.session.scalar(submitted) == 1
