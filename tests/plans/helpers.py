"""Shared makers for the plan tests: a complete answer set, as services take it and as posted."""

from datetime import date, timedelta

from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.plans import services
from tracker.plans.models import Plan, PlanCriterion


def due(days: int = 90) -> date:
    return utcnow().date() + timedelta(days=days)


def complete_input(**changes) -> services.PlanInput:
    criteria = {
        criterion: services.CriterionInput(
            action=f"Do {criterion.value}", responsible="Ana Lee, HR", due_on=due()
        )
        for criterion in PlanCriterion
    }
    values = {"criteria": criteria, "staff_to_train": 40, "organises_volunteering": False}
    return services.PlanInput(**(values | changes))


def form_fields(version: int | str, **changes) -> dict:
    """The plan form as a browser posts it, with `changes` over complete answers."""
    data = {"version": str(version), "staff_to_train": "40", "organises_volunteering": "no"}
    for criterion in PlanCriterion:
        data |= {
            f"{criterion.value}_action": f"Do {criterion.value}",
            f"{criterion.value}_responsible": "Ana Lee, HR",
            f"{criterion.value}_due_on": due().isoformat(),
        }
    return data | changes


def submitted_plan(company, user) -> Plan:
    """The company's plan, filled in and submitted (flushed, not committed)."""
    plan = services.start_plan(company, user)
    services.save_draft(plan, complete_input(), user, plan.version)
    services.submit_plan(plan, user, plan.version)
    return plan


def approved_plan(company, staff) -> Plan:
    """The company's plan, submitted by its owner and approved by `staff` (committed): the
    joining invoice is issued with it, unless the company has one already."""
    plan = submitted_plan(company, company.owner)
    services.approve_plan(plan, staff, seen_version=plan.version)
    db.session.commit()
    return plan
