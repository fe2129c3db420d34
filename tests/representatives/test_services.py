"""The permission table, organisations, assignment, recommendations and scoping (no HTTP)."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tests.factories import CompanyFactory, UserFactory, representative, staff
from tracker.audit import AuditAction, AuditEntry
from tracker.auth.decisions import may_decide, permission_table
from tracker.auth.models import Decision, RepresentativePermission, Role
from tracker.companies import queries
from tracker.companies.enums import Stage
from tracker.companies.models import Company
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.reports.models import Report, ReportState
from tracker.representatives import services
from tracker.review import services as review

EDITABLE = [
    Decision.RETURN_APPLICATION,
    Decision.RETURN_REPORT,
    Decision.RECOMMEND_APPROVAL,
    Decision.RETURN_PLAN,
]


def audit_rows(action: AuditAction) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.action == action.value).order_by(AuditEntry.id)
    return list(db.session.scalars(query))


def visible_names(user) -> list[str]:
    query = queries.companies_visible_to(user).order_by(Company.display_name)
    return [company.display_name for company in db.session.scalars(query)]


# the permission table


def test_by_default_representatives_take_only_the_supporting_decisions(rep_th):
    assert [d for d in Decision if may_decide(rep_th, d)] == EDITABLE
    assert [d for d in Decision if d.is_editable] == EDITABLE


@pytest.mark.parametrize("decision", list(Decision))
def test_ecpat_staff_take_every_decision_and_companies_none(reviewer, admin, owner_a, decision):
    assert may_decide(reviewer, decision) and may_decide(admin, decision)
    assert not may_decide(owner_a, decision)


def test_an_admin_change_applies_at_once_and_is_audited(admin, rep_th):
    changed = services.set_permissions(
        admin, {Decision.RETURN_REPORT: False, Decision.RETURN_APPLICATION: True}
    )
    db.session.commit()
    assert changed == [Decision.RETURN_REPORT]
    assert not may_decide(rep_th, Decision.RETURN_REPORT)
    assert may_decide(rep_th, Decision.RETURN_APPLICATION)
    row = db.session.get(RepresentativePermission, Decision.RETURN_REPORT)
    assert (row.allowed, row.updated_by_id) == (False, admin.id)
    [entry] = audit_rows(AuditAction.REPRESENTATIVE_PERMISSION_CHANGED)
    assert entry.actor_id == admin.id
    assert entry.details == {"decision": "return_report", "changes": {"allowed": [True, False]}}


def test_saving_the_same_table_records_nothing(admin):
    assert services.set_permissions(admin, {d: True for d in EDITABLE}) == []
    assert audit_rows(AuditAction.REPRESENTATIVE_PERMISSION_CHANGED) == []


@pytest.mark.parametrize("decision", [Decision.APPROVE_APPLICATION, Decision.EXPEL])
def test_ecpat_only_decisions_cannot_be_granted(admin, rep_th, decision):
    with pytest.raises(DomainError, match="cannot be granted"):
        services.set_permissions(admin, {decision: True})
    assert not may_decide(rep_th, decision)
    assert decision not in permission_table()


def test_a_withdrawn_permission_stops_the_decision_in_the_service(admin, rep_th, company_a):
    services.set_permissions(admin, {Decision.RETURN_APPLICATION: False})
    with pytest.raises(DomainError, match="Only ECPAT staff may take this decision"):
        review.return_application(company_a, rep_th, "Add your policy.")
    db.session.rollback()
    assert company_a.stage is Stage.SUBMITTED


# scoping: assigned members wherever they are, others in the organisation's countries


def test_a_representative_sees_its_members_anywhere_and_others_in_its_countries(rep_th):
    CompanyFactory(display_name="Bangkok Tours", countries=("TH",))
    CompanyFactory(display_name="Paris Hotels", countries=("FR",))
    CompanyFactory(
        display_name="Lima Trips", countries=("PE",), representative=rep_th.representative
    )
    other = representative("Child Safe France", ("FR",))
    CompanyFactory(display_name="Lyon Stays", countries=("FR",), representative=other)
    assert visible_names(rep_th) == ["Bangkok Tours", "Lima Trips"]


def test_colleagues_of_an_organisation_share_its_countries(rep_th):
    colleague = staff(Role.REPRESENTATIVE, representative=rep_th.representative)
    CompanyFactory(display_name="Bangkok Tours", countries=("TH",))
    assert colleague.country_codes == ["TH"]
    assert visible_names(colleague) == ["Bangkok Tours"]


def test_a_representative_without_an_organisation_sees_nothing():
    CompanyFactory(display_name="Bangkok Tours", countries=("TH",))
    assert visible_names(staff(Role.REPRESENTATIVE)) == []


def test_an_assigned_member_abroad_is_decided_on_by_its_representative(rep_th):
    company = CompanyFactory(countries=("PE",), representative=rep_th.representative)
    review.return_application(company, rep_th, "Add your policy.")
    assert company.stage is Stage.RETURNED


# organisations and assignment


def details(name="Child Safe Laos", countries=("LA",), **kwargs):
    return services.RepresentativeDetails(name=name, countries=countries, **kwargs)


def test_creating_and_changing_an_organisation_is_audited(admin):
    org = services.create_representative(admin, details(email=" Info@CSL.example "))
    assert (org.email, org.country_codes) == ("info@csl.example", ["LA"])
    services.update_representative(admin, org, details(countries=("LA", "TH"), phone="+856 21"))
    assert org.country_codes == ["LA", "TH"]
    [created] = audit_rows(AuditAction.REPRESENTATIVE_CREATED)
    [updated] = audit_rows(AuditAction.REPRESENTATIVE_UPDATED)
    assert created.details["countries"] == ["LA"]
    assert updated.details["changes"] == {
        "email": ["info@csl.example", None],
        "phone": [None, "+856 21"],
        "countries": [["LA"], ["LA", "TH"]],
    }


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        (details(name="  "), "name", "Give the organisation's name"),
        (details(countries=()), "countries", "at least one country"),
        (details(countries=("XX",)), "countries", "from the list"),
        (details(name="child safe thailand"), "name", "Another representative"),
    ],
)
def test_a_bad_organisation_is_refused_beside_its_field(admin, bad, field, message):
    representative("Child Safe Thailand", ("TH",))
    with pytest.raises(DomainError, match=message) as excinfo:
        services.create_representative(admin, bad)
    assert [f for f, _ in excinfo.value.errors] == [field]


def test_staff_assign_a_member_and_it_is_audited(reviewer, rep_th):
    company = CompanyFactory(display_name="Lima Trips", countries=("PE",), stage=Stage.ACTIVE)
    org = rep_th.representative
    services.assign_representative(reviewer, company, org)
    services.assign_representative(reviewer, company, org)  # unchanged: no second entry
    assert company.representative is org
    [entry] = audit_rows(AuditAction.REPRESENTATIVE_ASSIGNED)
    assert (entry.actor_id, entry.company_id) == (reviewer.id, company.id)
    assert entry.details == {"changes": {"representative": [None, org.name]}}


def test_representatives_do_not_assign_members(rep_th, company_a):
    with pytest.raises(DomainError, match="Only ECPAT staff"):
        services.assign_representative(rep_th, company_a, rep_th.representative)
    assert company_a.representative is None


# recommendations


def test_a_representative_recommends_an_application_for_staff_to_read(rep_th, company_a):
    assert services.may_recommend(company_a, rep_th)
    services.recommend_approval(company_a, rep_th, " Ready to approve. ")
    [entry] = audit_rows(AuditAction.APPROVAL_RECOMMENDED)
    assert (entry.actor_id, entry.company_id) == (rep_th.id, company_a.id)
    assert entry.details == {"comment": "Ready to approve."}
    assert company_a.stage is Stage.SUBMITTED  # a recommendation decides nothing


def test_a_recommendation_needs_the_permission_a_reason_and_a_waiting_application(
    admin, rep_th, rep_fr, company_a
):
    with pytest.raises(DomainError, match="Say why"):
        services.recommend_approval(company_a, rep_th, "  ")
    with pytest.raises(DomainError, match="may see the company"):
        services.recommend_approval(company_a, rep_fr, "Ready.")
    member = CompanyFactory(countries=("TH",), stage=Stage.ACTIVE)
    with pytest.raises(DomainError, match="not waiting"):
        services.recommend_approval(member, rep_th, "Ready.")
    services.set_permissions(admin, {Decision.RECOMMEND_APPROVAL: False})
    assert not services.may_recommend(company_a, rep_th)
    with pytest.raises(DomainError, match="Only ECPAT staff"):
        services.recommend_approval(company_a, rep_th, "Ready.")


def test_a_representative_recommends_a_submitted_report(rep_th):
    company = CompanyFactory(countries=("TH",), stage=Stage.ACTIVE)
    report = Report(company=company, year=2025, state=ReportState.SUBMITTED)
    db.session.add(report)
    db.session.flush()
    assert services.may_recommend_report(report, rep_th)
    services.recommend_report_approval(report, rep_th, "Complete.")
    [entry] = audit_rows(AuditAction.REPORT_APPROVAL_RECOMMENDED)
    assert entry.details == {"year": 2025, "report_id": report.id, "comment": "Complete."}


def test_reviewers_are_not_offered_a_recommendation(reviewer, company_a):
    assert not services.may_recommend(company_a, reviewer)


def test_staff_accounts_made_on_the_command_line_get_an_organisation():
    from tracker.auth.services import StaffAccount, create_staff

    user = create_staff(
        StaffAccount("rep@example.org", "Mekong Network", Role.REPRESENTATIVE, "x" * 12, ("TH",))
    )
    assert (user.representative.name, user.country_codes) == ("Mekong Network", ["TH"])
    again = create_staff(
        StaffAccount("rep2@example.org", "Mekong Network", Role.REPRESENTATIVE, "x" * 12, ("TH",))
    )
    assert again.representative is user.representative


def test_only_representatives_belong_to_an_organisation(rep_th):
    with pytest.raises(IntegrityError, match="representative_org"):
        UserFactory(role=Role.REVIEWER, representative=rep_th.representative)
        db.session.flush()
    db.session.rollback()
