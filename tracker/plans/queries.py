"""Read queries on plans for staff lists, as selects that views page."""

from sqlalchemy import Select, select

from tracker.auth.models import User
from tracker.companies import queries as company_queries
from tracker.companies.models import Company
from tracker.extensions import db
from tracker.plans.models import Plan, PlanState


def plans_visible_to(staff: User) -> Select:
    """Plans of the companies `staff` may see (representatives: their countries)."""
    return (
        select(Plan)
        .join(Company, Plan.company_id == Company.id)
        .where(company_queries.visible_to(staff))
    )


def plan_queue(staff: User, state: PlanState | None = None) -> Select:
    """The plans `staff` may see, in `state` if given, the longest waiting first."""
    query = plans_visible_to(staff)
    if state is not None:
        query = query.where(Plan.state == state)
    return query.order_by(Plan.submitted_at.is_(None), Plan.submitted_at, Plan.id)


def plan_for_staff(plan_id: int, staff: User) -> Plan | None:
    """The plan if `staff` may see its company, else None (so its existence stays hidden)."""
    return db.session.scalar(plans_visible_to(staff).where(Plan.id == plan_id))
