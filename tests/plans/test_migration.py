"""The migration adding plans gives every existing member an approved, empty plan."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from tests.factories import CompanyFactory
from tracker.companies.enums import Stage
from tracker.extensions import db
from tracker.plans import services
from tracker.plans.models import LEGACY_NOTE, Plan, PlanState

BEFORE = "d7b3f2a8c6e1"  # the revision before implementation_plans


def test_members_get_an_approved_plan_and_applicants_none():
    members = [CompanyFactory(stage=stage) for stage in (Stage.ACTIVE, Stage.SUSPENDED)]
    applicants = [CompanyFactory(stage=stage) for stage in (Stage.APPROVED, Stage.SUBMITTED)]
    db.session.commit()
    joined = {company.id: company.joined_at for company in members}
    db.session.commit()  # end the read transaction: on PostgreSQL the DDL waits for its locks
    try:
        downgrade(revision=BEFORE)
    finally:
        upgrade()
    db.session.expire_all()
    plans = db.session.scalars(select(Plan).order_by(Plan.company_id)).all()
    assert [plan.company_id for plan in plans] == [company.id for company in members]
    for plan in plans:
        assert plan.state is PlanState.APPROVED
        assert plan.note == LEGACY_NOTE and plan.kept_before_tracker
        assert plan.approved_at == joined[plan.company_id]
        assert plan.year == joined[plan.company_id].year
        assert plan.policy_action is None and plan.staff_to_train is None
    assert all(services.plan_approved(company) for company in members)
    assert not any(services.plan_approved(company) for company in applicants)
