"""The company page's representative forms refused: shown again at their panel, text kept."""

from tests.fixtures.staff_forms import block, only_summary, textarea
from tracker.audit import AuditEntry
from tracker.extensions import db


def test_a_refused_recommendation_keeps_the_text_at_its_panel(client, auth, rep_th, company_a):
    auth.login(rep_th.email)
    typed = "Visited the office. " * 101  # over 2,000 characters
    response = client.submit(f"/review/companies/{company_a.id}/recommend", {"comment": typed})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    summary = only_summary(page)
    assert '<a href="#recommend-comment">Why you recommend approval' in summary
    assert summary in block(page, "recommend")
    assert 'id="recommend-comment-error"' in block(page, "recommend")
    assert textarea(page, "recommend-comment") == typed
    assert db.session.query(AuditEntry).count() == 0


def test_an_empty_recommendation_says_why_at_its_panel(client, auth, rep_th, company_a):
    auth.login(rep_th.email)
    response = client.submit(f"/review/companies/{company_a.id}/recommend", {"comment": ""})
    assert response.status_code == 400
    at_panel = block(response.get_data(as_text=True), "recommend")
    assert "Say why you recommend approval." in at_panel


def test_a_representative_outside_the_list_is_refused_at_its_panel(
    client, auth, reviewer, company_a
):
    auth.login(reviewer.email)
    path = f"/review/companies/{company_a.id}/representative"
    response = client.submit(path, {"representative": "999999"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    summary = only_summary(page)
    assert "Choose a representative from the list." in summary
    assert summary in block(page, "representative-panel")
    assert 'id="representative-error"' in block(page, "representative-panel")
    db.session.refresh(company_a)
    assert company_a.representative_id is None
