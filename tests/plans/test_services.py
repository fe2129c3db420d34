"""Plan services: drafts, submission, versions, decisions and who may make them."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import CompanyFactory, owner_of, staff
from tests.plans.helpers import complete_input, due, submitted_plan
from tracker.audit import AuditAction, AuditEntry
from tracker.auth.models import Role
from tracker.companies.enums import Stage
from tracker.companies.models import Company
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.plans import emails, lifecycle, services
from tracker.plans.models import PlanCriterion, PlanOutcome, PlanState


@pytest.fixture()
def approved():
    company = CompanyFactory(display_name="Gamma Travel", countries=("FR",), stage=Stage.APPROVED)
    return company, owner_of(company)


def actions_of(company) -> list[str]:
    query = select(AuditEntry.action).where(AuditEntry.company_id == company.id)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def test_start_plan_makes_one_draft_per_company(approved):
    company, owner = approved
    plan = services.start_plan(company, owner)
    assert plan.state is PlanState.DRAFT
    assert plan.year == services.today().year
    assert services.start_plan(company, owner) is plan


@pytest.mark.parametrize("stage", [Stage.SUBMITTED, Stage.RETURNED, Stage.ACTIVE])
def test_only_approved_companies_start_a_plan(stage):
    company = CompanyFactory(stage=stage)
    with pytest.raises(DomainError, match="follows the approval"):
        services.start_plan(company, owner_of(company))


def test_save_draft_keeps_answers_and_moves_the_version(approved):
    company, owner = approved
    plan = services.start_plan(company, owner)
    before = plan.version
    services.save_draft(plan, complete_input(staff_to_train=12), owner, before)
    assert plan.version == before + 1
    assert plan.staff_to_train == 12
    assert plan.part(PlanCriterion.TRAINING, "responsible") == "Ana Lee, HR"


def test_save_draft_with_an_old_version_conflicts(approved):
    company, owner = approved
    plan = services.start_plan(company, owner)
    services.save_draft(plan, complete_input(), owner, plan.version)
    with pytest.raises(services.PlanConflict, match="changed"):
        services.save_draft(plan, complete_input(staff_to_train=1), owner, plan.version - 1)
    assert plan.staff_to_train == 40


def test_save_draft_refuses_past_dates_and_negative_staff(approved):
    company, owner = approved
    plan = services.start_plan(company, owner)
    yesterday = services.today() - timedelta(days=1)
    criteria = {PlanCriterion.POLICY: services.CriterionInput(due_on=yesterday)}
    given = services.PlanInput(criteria=criteria, staff_to_train=-1)
    with pytest.raises(DomainError, match="Choose a date") as raised:
        services.save_draft(plan, given, owner, plan.version)
    assert [field for field, _ in raised.value.errors] == ["policy_due_on", "staff_to_train"]


def test_submit_lists_every_missing_answer(approved):
    company, owner = approved
    plan = services.start_plan(company, owner)
    with pytest.raises(DomainError, match="Say what your company will do") as raised:
        services.submit_plan(plan, owner, plan.version)
    # Three parts for each of the five criteria, plus staff and volunteering.
    assert len(raised.value.errors) == 5 * 3 + 2
    assert plan.state is PlanState.DRAFT


def test_submit_keeps_a_snapshot_and_audits(approved):
    company, owner = approved
    plan = submitted_plan(company, owner)
    assert plan.state is PlanState.SUBMITTED
    [submission] = plan.submissions
    assert submission.number == 1
    assert submission.content["policy"] == {
        "action": "Do policy",
        "responsible": "Ana Lee, HR",
        "due_on": due().isoformat(),
    }
    assert submission.content["staff_to_train"] == 40
    assert actions_of(company) == [AuditAction.PLAN_SUBMITTED.value]
    with pytest.raises(DomainError, match="can no longer be changed"):
        services.save_draft(plan, complete_input(), owner, plan.version)


def test_return_then_resubmit_keeps_both_versions(approved, reviewer):
    company, owner = approved
    plan = submitted_plan(company, owner)
    comments = {"training": "Count the guides too.", "bogus": "ignored"}
    services.return_plan(plan, reviewer, comments, "Nearly there.", plan.version)
    assert plan.state is PlanState.RETURNED
    assert services.returned_comments(plan) == {"training": "Count the guides too."}
    assert plan.latest_submission.outcome is PlanOutcome.RETURNED
    assert plan.latest_submission.comment == "Nearly there."
    services.save_draft(plan, complete_input(staff_to_train=55), owner, plan.version)
    services.submit_plan(plan, owner, plan.version)
    assert [s.number for s in plan.submissions] == [1, 2]
    assert [s.content["staff_to_train"] for s in plan.submissions] == [40, 55]
    assert actions_of(company) == [
        AuditAction.PLAN_SUBMITTED.value,
        AuditAction.PLAN_RETURNED.value,
        AuditAction.PLAN_RESUBMITTED.value,
    ]


def test_return_needs_a_comment(approved, reviewer):
    company, owner = approved
    plan = submitted_plan(company, owner)
    with pytest.raises(DomainError, match="Say what needs changing"):
        services.return_plan(plan, reviewer, {"policy": "  "}, " ", plan.version)
    assert plan.state is PlanState.SUBMITTED


@pytest.mark.parametrize("role", ["reviewer", "admin"])
def test_ecpat_staff_approve(approved, request, role):
    company, owner = approved
    staff = request.getfixturevalue(role)
    plan = submitted_plan(company, owner)
    assert not services.plan_approved(company)
    services.approve_plan(plan, staff, "Good plan.", plan.version)
    assert plan.state is PlanState.APPROVED
    assert plan.approved_by is staff
    assert plan.latest_submission.outcome is PlanOutcome.APPROVED
    assert services.plan_approved(company)
    assert actions_of(company)[-1] == AuditAction.PLAN_APPROVED.value


def test_a_representative_returns_but_never_approves(approved, rep_fr):
    company, owner = approved
    plan = submitted_plan(company, owner)
    assert not lifecycle.allowed(AuditAction.PLAN_APPROVED, plan, rep_fr)
    assert lifecycle.allowed(AuditAction.PLAN_RETURNED, plan, rep_fr)
    with pytest.raises(DomainError, match="Only ECPAT staff"):
        services.approve_plan(plan, rep_fr)
    assert plan.state is PlanState.SUBMITTED
    assert plan.latest_submission.outcome is None
    services.return_plan(plan, rep_fr, {"contracts": "Which contracts?"}, "", plan.version)
    assert plan.state is PlanState.RETURNED


def test_a_representative_of_other_countries_may_not_return(approved, rep_th):
    company, owner = approved
    plan = submitted_plan(company, owner)
    with pytest.raises(DomainError, match="Only staff who may see"):
        services.return_plan(plan, rep_th, {"policy": "No."}, "", plan.version)


def test_the_company_may_not_decide_on_its_own_plan(approved):
    company, owner = approved
    plan = submitted_plan(company, owner)
    with pytest.raises(DomainError, match="Only ECPAT staff"):
        services.approve_plan(plan, owner)


def test_deciding_on_a_draft_is_refused(approved, reviewer):
    company, owner = approved
    plan = services.start_plan(company, owner)
    with pytest.raises(DomainError, match="not waiting for a decision"):
        services.approve_plan(plan, reviewer)


def test_a_decision_on_an_old_version_conflicts(approved, reviewer):
    company, owner = approved
    plan = submitted_plan(company, owner)
    with pytest.raises(services.PlanConflict, match="changed"):
        services.approve_plan(plan, reviewer, "", plan.version - 1)
    assert plan.state is PlanState.SUBMITTED


def test_the_sql_twin_agrees_with_the_predicate(approved, reviewer):
    company, owner = approved
    other = CompanyFactory(stage=Stage.APPROVED)
    plan = submitted_plan(company, owner)
    services.approve_plan(plan, reviewer)
    query = select(Company.id).where(services.with_approved_plan())
    found = set(db.session.scalars(query))
    assert company.id in found and other.id not in found
    assert services.plan_approved(company) is True
    assert services.plan_approved(other) is False


def test_reviewers_are_active_staff_who_may_see_the_company(
    approved, reviewer, admin, rep_fr, rep_th
):
    company, owner = approved
    plan = submitted_plan(company, owner)
    gone = staff(Role.REVIEWER, email="gone@example.com", deactivated_at=utcnow())
    found = emails.reviewers_of(plan)
    assert set(found) == {reviewer, admin, rep_fr}
    assert gone not in found and rep_th not in found


def test_representatives_return_plans_only_while_the_permission_table_allows(admin, rep_fr):
    from tracker.auth.models import Decision
    from tracker.representatives.services import set_permissions

    company = CompanyFactory(display_name="Gamma Travel", countries=("FR",), stage=Stage.APPROVED)
    owner = owner_of(company)
    plan = submitted_plan(company, owner)
    set_permissions(admin, {Decision.RETURN_PLAN: False})
    db.session.commit()
    with pytest.raises(DomainError, match="Only ECPAT staff may take this decision"):
        services.return_plan(plan, rep_fr, {"training": "Count guides."}, "", plan.version)
    set_permissions(admin, {Decision.RETURN_PLAN: True})
    services.return_plan(plan, rep_fr, {"training": "Count guides."}, "", plan.version)
    assert plan.state is PlanState.RETURNED


def test_plan_approved_and_its_sql_twin_agree(reviewer):
    from tests.plans.helpers import approved_plan

    none = CompanyFactory(stage=Stage.APPROVED, countries=("FR",))
    drafting = CompanyFactory(stage=Stage.APPROVED, countries=("FR",))
    services.start_plan(drafting, owner_of(drafting))
    done = CompanyFactory(stage=Stage.APPROVED, countries=("FR",))
    owner_of(done)
    approved_plan(done, reviewer)
    twin = set(db.session.scalars(select(Company.id).where(services.with_approved_plan())))
    expected = {c.id for c in (none, drafting, done) if services.plan_approved(c)}
    assert twin == expected == {done.id}
