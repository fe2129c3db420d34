"""Top Member as a yearly list: staff name the Top Members of year N from the accepted reports
of N; the latest named year's titles are what the public sees, on 31 December and 1 January."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from tests.reports.helpers import (
    accepted_report,
    complete_answers,
    member,
    ready_report,
    top_member,
)
from tracker.audit import AuditAction, AuditEntry
from tracker.companies.models import Membership
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.membership import services as membership_services
from tracker.reports import recognition, services
from tracker.reports.models import TopMemberAward


def actions_of(company) -> list:
    query = select(AuditEntry).where(AuditEntry.company_id == company.id).order_by(AuditEntry.id)
    return [(e.action, e.actor_id, e.details.get("year")) for e in db.session.scalars(query)]


def test_staff_name_a_member_with_an_accepted_report(reviewer):
    company, owner = member()
    accepted_report(company, owner, reviewer)
    award = recognition.name_top_member(company, 2025, reviewer, "  Trained every guide.  ")
    db.session.commit()
    assert (award.year, award.named_by_id, award.citation) == (
        2025,
        reviewer.id,
        "Trained every guide.",
    )
    assert recognition.latest_title(company) == 2025
    assert (AuditAction.TOP_MEMBER_RECOGNISED.value, reviewer.id, 2025) in actions_of(company)


def test_the_criteria_rule_is_a_guide_not_a_gate(admin, reviewer):
    company, owner = member()
    answers = lambda r: replace(complete_answers(r), contracts_with_clause=0)  # noqa: E731
    report = accepted_report(company, owner, reviewer, answers=answers)
    (candidate,) = [
        recognition.Candidate(*row)
        for row in db.session.execute(recognition.candidates_query(2025))
    ]
    assert candidate.report == report and candidate.unmet == ["Contracts"]
    assert not candidate.criteria_met
    recognition.name_top_member(company, 2025, admin)
    assert recognition.latest_title(company) == 2025


def test_not_without_the_years_report_accepted(reviewer):
    company, owner = member()
    ready_report(company, owner)
    with pytest.raises(DomainError, match="report for 2025 is not accepted"):
        recognition.name_top_member(company, 2025, reviewer)
    accepted_report(company, owner, reviewer)
    with pytest.raises(DomainError, match="report for 2024 is not accepted"):
        recognition.name_top_member(company, 2024, reviewer)


def test_not_by_representatives_even_of_its_country(reviewer, rep_th):
    company, owner = member(countries=("TH",))
    accepted_report(company, owner, reviewer)
    with pytest.raises(DomainError, match="Only ECPAT staff"):
        recognition.name_top_member(company, 2025, rep_th)
    top_member_award = recognition.name_top_member(company, 2025, reviewer)
    with pytest.raises(DomainError, match="Only ECPAT staff"):
        recognition.withdraw_title(company, 2025, rep_th, "No")
    assert top_member_award.is_standing


def test_not_twice_and_not_a_suspended_member(reviewer):
    company, owner = member()
    top_member(company, owner, reviewer)
    with pytest.raises(DomainError, match="already a Top Member of 2025"):
        recognition.name_top_member(company, 2025, reviewer)
    other, owner = member()
    accepted_report(other, owner, reviewer)
    membership_services.suspend_membership(other, reviewer, "Complaint")
    with pytest.raises(DomainError, match="Only members in good standing"):
        recognition.name_top_member(other, 2025, reviewer)


def test_withdrawing_keeps_the_row_and_naming_again_reinstates_it(reviewer, admin):
    company, owner = member()
    award = top_member(company, owner, reviewer)
    with pytest.raises(DomainError, match="Say why") as refused:
        recognition.withdraw_title(company, 2025, admin, "   ")
    assert refused.value.errors[0][0] == "reason"
    recognition.withdraw_title(company, 2025, admin, "Complaint under review")
    db.session.commit()
    assert (award.withdrawn_by_id, award.withdrawal_reason) == (admin.id, "Complaint under review")
    assert recognition.latest_title(company) is None
    with pytest.raises(DomainError, match="not a Top Member of 2025"):
        recognition.withdraw_title(company, 2025, admin, "again")
    recognition.name_top_member(company, 2025, reviewer)
    assert award.is_standing and award.withdrawal_reason is None
    assert db.session.scalar(select(db.func.count()).select_from(TopMemberAward)) == 1
    ended = [a for a in actions_of(company) if a[0] == AuditAction.TOP_MEMBER_ENDED.value]
    assert ended == [(AuditAction.TOP_MEMBER_ENDED.value, admin.id, 2025)]


@pytest.mark.parametrize("on", [date(2026, 12, 31), date(2027, 1, 1), date(2027, 3, 31)])
def test_the_title_stays_over_the_new_year(client, reviewer, runner, monkeypatch, on):
    """36 members qualified on 31 December and 0 on 1 January: no more. The title belongs to
    2025, and the daily run on 1 January ends nothing."""
    company, owner = member(display_name="Star Tours")
    top_member(company, owner, reviewer)
    monkeypatch.setattr(services, "today", lambda: on)
    result = runner.invoke(args=["send-reminders", "--date", on.isoformat(), "--queue-only"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert recognition.latest_title(company) == 2025
    page = client.get("/signatories?standing=top_member").get_data(as_text=True)
    assert "Star Tours" in page and "Top Member 2025</span>" in page


def test_the_latest_named_year_replaces_the_previous_list(reviewer):
    kept, owner = member(joined=date(2023, 5, 1))
    top_member(kept, owner, reviewer, 2024)
    top_member(kept, owner, reviewer, 2025)
    previous_only, owner = member(joined=date(2023, 5, 1))
    top_member(previous_only, owner, reviewer, 2024)
    assert recognition.latest_named_year() == 2025
    assert recognition.latest_title(kept) == 2025
    assert recognition.latest_title(previous_only) is None  # not on the 2025 list
    recognition.withdraw_title(kept, 2025, reviewer, "Error")
    # No 2025 title stands: the 2024 list is the latest named one again.
    assert recognition.latest_named_year() == 2024
    assert recognition.latest_title(previous_only) == 2024
    assert recognition.named_years() == [2024]


# -- One rule for the public: `latest_title` and its SQL twin `latest_title_holder` -----------


@pytest.fixture()
def candidates(reviewer):
    """Members each holding or missing the latest title for a different reason."""
    holder, owner = member()
    top_member(holder, owner, reviewer)
    incomplete, owner = member()  # named though a criterion is not shown: staff decide
    accepted_report(
        incomplete,
        owner,
        reviewer,
        answers=lambda r: replace(complete_answers(r), policy_adopted=False),
    )
    recognition.name_top_member(incomplete, 2025, reviewer)
    previous_year, owner = member(joined=date(2023, 5, 1))
    top_member(previous_year, owner, reviewer, 2024)
    withdrawn_title, owner = member()
    top_member(withdrawn_title, owner, reviewer)
    recognition.withdraw_title(withdrawn_title, 2025, reviewer, "Complaint")
    stages = {}
    for stage in ("suspended", "withdrawn", "expelled"):  # named, then sanctioned
        company, owner = member()
        top_member(company, owner, reviewer)
        stages[stage] = company
    not_named, owner = member()
    accepted_report(not_named, owner, reviewer)
    db.session.commit()
    return {
        "holder": holder,
        "incomplete": incomplete,
        "previous_year": previous_year,
        "withdrawn_title": withdrawn_title,
        "not_named": not_named,
        **stages,
    }


def apply_sanctions(candidates, reviewer, admin):
    membership_services.suspend_membership(candidates["suspended"], reviewer, "Complaint")
    membership_services.expel_membership(candidates["expelled"], admin, "Proven complaint")
    withdrawn = candidates["withdrawn"]
    membership_services.withdraw_membership(withdrawn, withdrawn.owner, "Sold the hotel")
    db.session.commit()


def test_the_sql_twin_agrees_member_by_member(candidates, reviewer, admin):
    apply_sanctions(candidates, reviewer, admin)
    holders = set(
        db.session.scalars(select(Membership.company_id).where(recognition.latest_title_holder()))
    )
    expected = {c.id for c in candidates.values() if recognition.latest_title(c) is not None}
    assert holders == expected
    assert expected == {candidates["holder"].id, candidates["incomplete"].id}


# Kept from before: the extension form shares the company page's reporting panel.
class TestExtensionOnTheCompanyPage:
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
