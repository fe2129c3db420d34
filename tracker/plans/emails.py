"""E-mail about implementation plans, queued in the transaction of the change they report."""

from flask_babel import lazy_gettext as _l

from tracker.auth.models import User
from tracker.companies import queries
from tracker.extensions import db
from tracker.outbox import queue_email
from tracker.plans.models import OTHER_SECTION, Plan, PlanCriterion
from tracker.urls import public_url


def reviewers_of(plan: Plan) -> list[User]:
    """Who reviews what the company hands in: the staff who may see it."""
    return list(db.session.scalars(queries.staff_seeing(plan.company)))


def company_recipients(plan: Plan, also: User | None = None) -> list[User]:
    """The company's owner, and `also` (who acted) when that is someone else of the company."""
    people = [user for user in (plan.company.owner, also) if user is not None]
    return list({user.id: user for user in people}.values())


def queue_submitted(plan: Plan, submitter: User) -> None:
    """A receipt for the company, and a note for everyone who reviews it."""
    company = plan.company
    number = plan.latest_submission.number
    for user in company_recipients(plan, submitter):
        queue_email(
            user.email,
            _l("We received your implementation plan"),
            "plan_submitted",
            locale=user.locale,
            company=company,
            number=number,
            link=public_url("plans.edit"),
        )
    for user in reviewers_of(plan):
        queue_email(
            user.email,
            f"Implementation plan to review: {company.display_name}",
            "plan_submitted_staff",
            locale="en",
            company=company,
            number=number,
            link=public_url("plan_review.detail", plan_id=plan.id),
        )


def queue_decision(plan: Plan) -> None:
    """The decision on the latest version, to the company's owner in their language."""
    owner = plan.company.owner
    submission = plan.latest_submission
    if owner is None or submission is None:
        return
    approved = plan.is_approved
    labels = {c.value: c.label for c in PlanCriterion}
    labels[OTHER_SECTION] = _l("Staff to train and volunteering")
    queue_email(
        owner.email,
        _l("Your implementation plan is approved")
        if approved
        else _l("Your implementation plan needs changes"),
        "plan_approved" if approved else "plan_returned",
        locale=owner.locale,
        company=plan.company,
        comment=submission.comment,
        sections=[(labels[key], text) for key, text in (submission.comments or {}).items()],
        link=public_url("dashboard.index" if approved else "plans.edit"),
    )
