"""A profile that explains: each criterion in plain words, the latest accepted report's training
figures, the membership year and an extended report, within the publication rules."""

from datetime import UTC, date, datetime

import pytest

from tests.reports.helpers import accepted_report, complete_answers, member, ready_report
from tracker.companies.criteria import EXPLANATIONS, criteria
from tracker.companies.enums import Standing
from tracker.extensions import db
from tracker.reports import drafting, services

TODAY = date(2026, 12, 7)  # the 2025 report was due on 31 March 2026


@pytest.fixture()
def rules(app, monkeypatch):
    def set_rules(**settings):
        for name, value in settings.items():
            monkeypatch.setitem(app.config, name, value)

    return set_rules


@pytest.fixture()
def reporting(reviewer):
    """A member whose 2025 report ECPAT accepted: 2 rows of 10 employees, 8 currently trained."""
    company, owner = member(joined=date(2024, 5, 1), display_name="Lotus Tours")
    accepted_report(company, owner, reviewer, 2025)
    return company


def profile(client, company, **headers) -> str:
    page = client.get(f"/signatories/{company.slug}", headers=headers)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_each_criterion_has_its_plain_language_line(client, reporting):
    text = profile(client, reporting)
    for criterion in criteria():
        assert f'<span class="criterion-explanation">{EXPLANATIONS[criterion.number]}' in text
    assert "Travellers are told about children's rights" in text


def test_the_explanations_are_translated(client, reporting):
    french = profile(client, reporting, **{"Accept-Language": "fr"})
    spanish = profile(client, reporting, **{"Accept-Language": "es"})
    assert "Le personnel est formé à reconnaître" in french
    assert "El personal recibe formación para reconocer" in spanish


def test_the_latest_accepted_reports_training_figures(client, reporting):
    text = profile(client, reporting)
    assert (
        "16 of 20 employees currently trained (80%), as reported for 2025 and accepted by ECPAT."
        in text
    )


def test_a_report_under_review_does_not_show_its_figures(client, reviewer):
    company, owner = member(joined=date(2024, 5, 1))
    report = ready_report(company, owner, 2025)
    services.submit_report(report, owner, report.version, date(2026, 2, 1))
    db.session.commit()
    text = profile(client, company)
    assert "currently trained (" not in text
    assert "No training figures yet: they show once ECPAT accepts an annual report." in text


def test_a_newer_accepted_report_replaces_the_figures(client, reviewer, reporting):
    owner = reporting.users[0]
    report = ready_report(reporting, owner, 2026)
    drafting.save_draft(report, complete_answers(report, trained=5), owner, report.version)
    services.submit_report(report, owner, report.version, date(2027, 2, 1))
    services.accept_report(report, reviewer, "", report.version)
    db.session.commit()
    text = profile(client, reporting)
    assert "10 of 20 employees currently trained (50%), as reported for 2026" in text


def test_the_figures_in_french_and_spanish(client, reporting):
    french = profile(client, reporting, **{"Accept-Language": "fr"})
    spanish = profile(client, reporting, **{"Accept-Language": "es"})
    assert "16 employés sur 20 actuellement formés (80" in french
    assert "16 de 20 empleados formados actualmente (80" in spanish


def test_the_membership_year(client, reporting):
    year = datetime.now(UTC).year  # the factory's joining invoice is this year's, paid
    assert f"Membership current for {year}" in profile(client, reporting)


def test_an_unpaid_membership_year_says_so(client):
    company, _owner = member(paid=False)
    assert "Membership fee for this year not yet recorded" in profile(client, company)


@pytest.fixture()
def extended(reviewer, monkeypatch):
    monkeypatch.setattr(services, "today", lambda: TODAY)
    company, _owner = member(joined=date(2024, 5, 1))
    services.grant_extension(company, 2025, date(2027, 1, 20), "Flood", reviewer, date(2026, 2, 1))
    db.session.commit()
    return company


def test_during_an_extension_it_says_so(client, extended):
    assert "Report 2025 due January 20, 2027 (extended)" in profile(client, extended)
    french = profile(client, extended, **{"Accept-Language": "fr"})
    assert "Rapport 2025 à remettre le 20 janvier 2027 (délai prolongé)" in french


def test_no_extension_where_the_public_sees_no_reporting_standing(client, extended, rules):
    rules(PUBLISH_OVERDUE=False)
    assert "(extended)" not in profile(client, extended)


def test_without_an_extension_nothing_is_said(client, reporting):
    assert "(extended)" not in profile(client, reporting)


def test_a_suspended_member_not_published_shows_no_figures(client, reporting):
    reporting.membership.standing = Standing.SUSPENDED
    db.session.commit()
    page = client.get(f"/signatories/{reporting.slug}")
    assert page.status_code == 404
    text = page.get_data(as_text=True)
    assert "currently trained" not in text and "Membership current" not in text


def test_a_withdrawn_member_shows_no_figures(client, reporting):
    reporting.membership.standing = Standing.WITHDRAWN
    db.session.commit()
    text = client.get(f"/signatories/{reporting.slug}").get_data(as_text=True)
    assert "currently trained" not in text and "80%" not in text
