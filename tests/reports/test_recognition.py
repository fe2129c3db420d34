"""Top Member: recognised by staff, only while the latest report is accepted and complete."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from tests.reports.helpers import complete_answers, member, ready_report
from tracker.audit import AuditAction, AuditEntry
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.reports import recognition, services
from tracker.reports.models import Section

ON = date(2026, 2, 1)
LATER = date(2026, 6, 1)


def accepted(company, owner, reviewer, answers=None, year=2025):
    report = ready_report(company, owner, year)
    if answers is not None:
        services.save_draft(report, answers(report), owner, report.version)
    services.submit_report(report, owner, report.version, ON)
    services.accept_report(report, reviewer, "", report.version)
    db.session.commit()
    return report


def test_a_member_with_an_accepted_complete_report_can_be_recognised(reviewer, monkeypatch):
    monkeypatch.setattr(services, "today", lambda: LATER)
    company, owner = member()
    accepted(company, owner, reviewer)
    recognition.recognise(company, reviewer, LATER)
    db.session.commit()
    assert recognition.is_top_member(company, LATER)
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.company_id == company.id)
    )
    assert AuditAction.TOP_MEMBER_RECOGNISED in list(actions)


def test_not_before_a_report_is_accepted(reviewer):
    company, owner = member()
    ready_report(company, owner)
    with pytest.raises(DomainError, match="latest report is not accepted"):
        recognition.recognise(company, reviewer, LATER)


def test_not_with_a_criterion_missing(reviewer):
    company, owner = member()
    accepted(
        company, owner, reviewer, lambda r: replace(complete_answers(r), contracts_with_clause=0)
    )
    with pytest.raises(DomainError, match="Not implemented: Contracts"):
        recognition.recognise(company, reviewer, LATER)


def test_not_by_a_representative_of_another_country(reviewer, rep_fr):
    company, owner = member(countries=("TH",))
    accepted(company, owner, reviewer)
    with pytest.raises(DomainError, match="Only staff"):
        recognition.recognise(company, rep_fr, LATER)


def test_the_recognition_ends_when_the_next_report_is_overdue(reviewer):
    company, owner = member()
    accepted(company, owner, reviewer)
    recognition.recognise(company, reviewer, LATER)
    db.session.commit()
    next_due_passed = date(2027, 4, 1)  # the 2026 report was due on 31 March 2027
    assert not recognition.is_top_member(company, next_due_passed)
    assert recognition.lapse_recognitions(next_due_passed) == 1
    assert company.membership.top_member_since is None
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.TOP_MEMBER_ENDED)
    ).one()
    assert entry.actor is None and "not accepted" in entry.comment
    # Qualifying again does not bring it back: staff decide again.
    assert not recognition.is_top_member(company, LATER)


def test_lapse_leaves_qualifying_members_alone(reviewer):
    company, owner = member()
    accepted(company, owner, reviewer)
    recognition.recognise(company, reviewer, LATER)
    db.session.commit()
    assert recognition.lapse_recognitions(LATER) == 0
    assert company.membership.top_member_since is not None


def test_staff_end_it_with_a_reason(reviewer):
    company, owner = member()
    accepted(company, owner, reviewer)
    recognition.recognise(company, reviewer, LATER)
    recognition.end_recognition(company, reviewer, "Complaint under review")
    assert company.membership.top_member_since is None
    with pytest.raises(DomainError, match="not recognised"):
        recognition.end_recognition(company, reviewer, "again")


class TestStaffPage:
    def test_extension_form_grants_and_shows_it(self, client, auth, reviewer):
        company, _owner = member(countries=("TH",))
        auth.login(reviewer.email)
        response = client.submit(
            f"/review/reports/companies/{company.id}/extension",
            {"year": "2025", "due_on": "2027-01-31", "reason": "Hurricane"},
        )
        assert response.location == f"/review/companies/{company.id}"
        page = client.get(response.location).get_data(as_text=True)
        assert "Extension granted" in page
        assert "Later due date granted for an annual report (2025)" in page

    def test_bad_extension_is_shown_beside_its_field(self, client, auth, reviewer):
        company, _owner = member(countries=("TH",))
        auth.login(reviewer.email)
        response = client.submit(
            f"/review/reports/companies/{company.id}/extension",
            {"year": "2025", "due_on": "2026-01-01", "reason": "Hurricane"},
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert (
            'id="due_on-error"' in page and 'value="Hurricane"' not in page or "Hurricane" in page
        )

    def test_recognise_through_the_page(self, client, auth, reviewer, monkeypatch):
        monkeypatch.setattr(services, "today", lambda: LATER)
        company, owner = member(countries=("TH",))
        accepted(company, owner, reviewer)
        auth.login(reviewer.email)
        page = client.get(f"/review/companies/{company.id}").get_data(as_text=True)
        assert "Recognise as a Top Member" in page
        client.submit(f"/review/reports/companies/{company.id}/top-member")
        db.session.refresh(company.membership)
        assert company.membership.top_member_since is not None
        client.submit(
            f"/review/reports/companies/{company.id}/top-member",
            {"end": "1", "end_reason": "Asked to"},
        )
        db.session.refresh(company.membership)
        assert company.membership.top_member_since is None


def test_the_daily_run_ends_lapsed_recognitions(reviewer, runner):
    company, owner = member()
    accepted(company, owner, reviewer)
    recognition.recognise(company, reviewer, LATER)
    db.session.commit()
    result = runner.invoke(args=["send-reminders", "--date", "2027-04-01", "--queue-only"])
    assert result.exit_code == 0, result.output
    assert "Top Member recognitions ended: 1." in result.output
    db.session.expire_all()
    assert company.membership.top_member_since is None


# -- One rule for staff and the public: `is_top_member` and its SQL twin `top_member` ---------


def recognised(company) -> None:
    company.membership.top_member_since = company.membership.joined_at
    db.session.commit()


@pytest.fixture()
def candidates(reviewer):
    """Recognised members, each qualifying or not for a different reason, and one not
    recognised at all."""
    made = []
    for answers in (
        None,  # complete
        lambda r: replace(complete_answers(r), contracts_with_clause=0),
        lambda r: replace(complete_answers(r), policy_adopted=False),
        lambda r: replace(complete_answers(r, trained=0)),
        lambda r: replace(complete_answers(r), stakeholder_organisations=""),  # activities only
        lambda r: replace(  # no contracts, and says why: met
            complete_answers(r),
            contracts_total=0,
            contracts_with_clause=0,
            contracts_na_reason="We sell only our own rooms.",
            not_applicable=frozenset({Section.CONTRACTS}),
        ),
    ):
        company, owner = member()
        accepted(company, owner, reviewer, answers)
        recognised(company)
        made.append(company)
    draft_only, owner = member()
    ready_report(draft_only, owner)
    recognised(draft_only)
    submitted, owner = member()
    report = ready_report(submitted, owner)
    services.submit_report(report, owner, report.version, ON)
    recognised(submitted)
    suspended, owner = member()
    accepted(suspended, owner, reviewer)
    recognised(suspended)
    from tracker.membership import services as membership_services

    membership_services.suspend_membership(suspended, reviewer, "Complaint")
    not_recognised, owner = member()
    accepted(not_recognised, owner, reviewer)
    db.session.commit()
    return [*made, draft_only, submitted, suspended, not_recognised]


@pytest.mark.parametrize("on", [ON, LATER, date(2027, 1, 2), date(2027, 4, 1)])
def test_the_sql_twin_agrees_member_by_member(candidates, on):
    from tracker.companies.models import Membership

    top = set(db.session.scalars(select(Membership.company_id).where(recognition.top_member(on))))
    expected = {c.id for c in candidates if recognition.is_top_member(c, on)}
    assert top == expected
    if on == LATER:  # the complete one and the one without contracts that says why
        assert expected == {candidates[0].id, candidates[5].id}
