"""Parallel saves of one applicant's draft against the served app: one draft, the last word
kept whole, and nobody sees a 500; then a draft saved while the application goes in is gone."""

import httpx
import pytest
from sqlalchemy import select

from tests.factories import UserFactory
from tests.served.conftest import csrf_token
from tests.served.test_races import APPLICATION, count, in_parallel, signed_in_client, statuses
from tracker.companies.applications import ApplicationDraft
from tracker.companies.models import Company
from tracker.extensions import db

PARALLEL = 6


@pytest.fixture()
def served(served_app):
    served_app.restart_workers()  # no earlier test's write-limit counts linger
    return served_app


def applicant_cookies(url: str) -> tuple[dict, str]:
    applicant = UserFactory(email="drafter@example.com")
    client = signed_in_client(url, applicant.email)
    token = csrf_token(client, "/company/apply")
    cookies = dict(client.cookies)
    client.close()
    return cookies, token


def test_parallel_draft_saves_keep_one_whole_draft(served):
    cookies, token = applicant_cookies(served.url)

    def save(i: int) -> httpx.Response:
        data = {"legal_name": f"Sunrise Tours {i}", "save_draft": "1", "csrf_token": token}
        with httpx.Client(base_url=served.url, cookies=cookies, timeout=30) as each:
            return each.post("/company/apply", data=data)

    responses = in_parallel(PARALLEL, save)
    assert statuses(responses) == [200] * PARALLEL, [r.text[:300] for r in responses]
    assert all("Draft saved on" in r.text for r in responses)
    assert count(ApplicationDraft) == 1
    draft = db.session.scalar(select(ApplicationDraft))
    # One save's data whole, not a mix of two.
    assert draft.data["legal_name"] in {f"Sunrise Tours {i}" for i in range(PARALLEL)}


def test_a_draft_saved_beside_the_application_does_not_outlive_it(served):
    cookies, token = applicant_cookies(served.url)
    application = {**APPLICATION, "csrf_token": token}
    draft = {"legal_name": "Half done", "save_draft": "1", "csrf_token": token}

    def send(i: int) -> httpx.Response:
        with httpx.Client(base_url=served.url, cookies=cookies, timeout=30) as each:
            return each.post("/company/apply", data=application if i % 2 else draft)

    responses = in_parallel(PARALLEL, send)
    assert 500 not in statuses(responses), [r.text[:300] for r in responses]
    assert count(Company) == 1
    # A draft save that came after the application is refused (the account has a company now);
    # one that came before was deleted with the application.
    assert count(ApplicationDraft) == 0
