"""Implementation plans: start, save a draft, submit, return, approve. They flush; views commit.

Every rule about a plan is enforced here, whatever form or command calls in.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, exists, select

from tracker.audit import AuditAction
from tracker.auth.models import User
from tracker.billing import services as billing
from tracker.companies.enums import Stage
from tracker.companies.models import Company
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.plans import lifecycle
from tracker.plans.models import (
    OTHER_SECTION,
    Plan,
    PlanCriterion,
    PlanOutcome,
    PlanState,
    PlanSubmission,
)

# Companies prepare their plan between the approval of their application and signing.
PLANNING_STAGES = frozenset({Stage.APPROVED})
MAX_STAFF = 10_000_000  # larger numbers are typing mistakes
MAX_YEARS_AHEAD = 5  # a date further away than this is a typing mistake
SECTIONS = (*(c.value for c in PlanCriterion), OTHER_SECTION)


def today() -> date:
    return utcnow().date()


@dataclass(frozen=True)
class CriterionInput:
    action: str | None = None
    responsible: str | None = None
    due_on: date | None = None


@dataclass(frozen=True)
class PlanInput:
    """Everything a draft save may change; criteria missing from `criteria` are emptied."""

    criteria: dict[PlanCriterion, CriterionInput] = field(default_factory=dict)
    staff_to_train: int | None = None
    organises_volunteering: bool | None = None


class PlanConflict(Exception):
    """The plan changed after the person saving it loaded it: nothing was saved."""

    def __init__(self, plan: Plan):
        super().__init__(f"plan {plan.id} changed (now version {plan.version})")
        self.plan = plan


# -- Reading ---------------------------------------------------------------------------------


def plan_for(company: Company) -> Plan | None:
    """The company's current plan (the latest one started), or None."""
    query = select(Plan).where(Plan.company_id == company.id).order_by(Plan.year.desc()).limit(1)
    return db.session.scalar(query)


def plan_approved(company: Company) -> bool:
    """Whether the company has an approved implementation plan (members from before the tracker
    kept plans have one on record)."""
    return bool(db.session.scalar(select(_approved_plan_of(Plan.company_id == company.id))))


def with_approved_plan() -> ColumnElement[bool]:
    """The condition on Company for having an approved plan (the SQL twin of `plan_approved`)."""
    return _approved_plan_of(Plan.company_id == Company.id)


def _approved_plan_of(company_condition) -> ColumnElement[bool]:
    # One rule for both: any approved plan of the company (not only the latest started).
    return exists().where(company_condition, Plan.state == PlanState.APPROVED)


def is_planning(company: Company) -> bool:
    """Whether the company may write its plan now: approved, not signed yet."""
    return company.stage in PLANNING_STAGES


def may_view(company: Company) -> bool:
    """Whether the company's people see its plan page: while planning, or once it has one."""
    return is_planning(company) or plan_for(company) is not None


def returned_comments(plan: Plan) -> dict[str, str]:
    """The reviewer's comments per section on a returned plan, for the company to act on."""
    submission = plan.latest_submission
    if plan.state is not PlanState.RETURNED or submission is None:
        return {}
    return dict(submission.comments or {})


# -- Drafts ------------------------------------------------------------------------------------


def start_plan(company: Company, user: User) -> Plan:
    """The company's plan, started now as an empty draft if it has none.

    :raises DomainError: for a company that is not between approval and signing.
    """
    existing = plan_for(company)
    if existing is not None:
        return existing
    if not is_planning(company):
        raise DomainError.on(
            None, _("An implementation plan follows the approval of the application.")
        )
    plan = Plan(company=company, year=today().year, state=PlanState.DRAFT, updated_by=user)
    db.session.add(plan)
    db.session.flush()
    return plan


def check_version(plan: Plan, seen_version: int) -> None:
    """:raises PlanConflict: if the plan changed since the caller read version `seen_version`."""
    if seen_version != plan.version:
        raise PlanConflict(plan)


def save_draft(plan: Plan, given: PlanInput, user: User, seen_version: int) -> None:
    """Save what the company typed so far; anything may still be missing.

    :raises PlanConflict: if someone saved the plan after version `seen_version`.
    :raises DomainError: for a plan that is not editable, or answers that break a rule.
    """
    if not plan.is_editable or not is_planning(plan.company):
        raise DomainError.on(None, _("This plan is submitted and can no longer be changed."))
    check_version(plan, seen_version)
    errors = input_errors(given)
    if errors:
        raise DomainError(*errors)
    for criterion in PlanCriterion:
        answer = given.criteria.get(criterion, CriterionInput())
        setattr(plan, f"{criterion.value}_action", _clean(answer.action))
        setattr(plan, f"{criterion.value}_responsible", _clean(answer.responsible))
        setattr(plan, f"{criterion.value}_due_on", answer.due_on)
    plan.staff_to_train = given.staff_to_train
    plan.organises_volunteering = given.organises_volunteering
    plan.updated_at = utcnow()  # the version moves even when nothing changed
    plan.updated_by = user
    db.session.flush()


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def input_errors(given: PlanInput) -> list[tuple[str, str]]:
    """The rules every save keeps, as (form field, message) pairs."""
    errors = []
    on = today()
    latest = date(on.year + MAX_YEARS_AHEAD, 12, 31)
    for criterion, answer in given.criteria.items():
        if answer.due_on is not None and not on <= answer.due_on <= latest:
            errors.append(
                (
                    f"{criterion.value}_due_on",
                    _("Choose a date from today to %(years)s years ahead.", years=MAX_YEARS_AHEAD),
                )
            )
    if given.staff_to_train is not None and not 0 <= given.staff_to_train <= MAX_STAFF:
        errors.append(("staff_to_train", _("Give a whole number from 0 to 10,000,000.")))
    return errors


# -- Submitting and reviewing ---------------------------------------------------------------


def missing_answers(plan: Plan) -> list[tuple[str, str]]:
    """What a plan still lacks before it can be submitted, as (form field, message) pairs."""
    missing = []
    for criterion in PlanCriterion:
        key = criterion.value
        if not plan.part(criterion, "action"):
            missing.append((f"{key}_action", _("Say what your company will do.")))
        if not plan.part(criterion, "responsible"):
            missing.append((f"{key}_responsible", _("Say who is responsible.")))
        if plan.part(criterion, "due_on") is None:
            missing.append((f"{key}_due_on", _("Give the date it will be done by.")))
    if plan.staff_to_train is None:
        missing.append(("staff_to_train", _("Give the number of staff to train.")))
    if plan.organises_volunteering is None:
        missing.append(
            ("organises_volunteering", _("Say whether your company organises volunteering trips."))
        )
    return missing


def snapshot(plan: Plan) -> dict:
    """The plan's answers as plain JSON, kept with each submitted version."""
    content = {
        criterion.value: {
            "action": plan.part(criterion, "action"),
            "responsible": plan.part(criterion, "responsible"),
            "due_on": due.isoformat() if (due := plan.part(criterion, "due_on")) else None,
        }
        for criterion in PlanCriterion
    }
    content["staff_to_train"] = plan.staff_to_train
    content["organises_volunteering"] = plan.organises_volunteering
    return content


def submit_plan(plan: Plan, user: User, seen_version: int) -> PlanSubmission:
    """Lock the plan and hand it to ECPAT: it becomes a new version on record.

    :raises PlanConflict: if someone saved the plan after version `seen_version`.
    :raises DomainError: while answers are missing, or for a plan not open for changes.
    """
    if not is_planning(plan.company):
        raise DomainError.on(None, _("This plan is submitted and can no longer be changed."))
    check_version(plan, seen_version)
    missing = missing_answers(plan)
    if missing:
        raise DomainError(*missing)
    resubmitted = plan.state is PlanState.RETURNED
    action = AuditAction.PLAN_RESUBMITTED if resubmitted else AuditAction.PLAN_SUBMITTED
    submission = PlanSubmission(
        plan=plan,
        number=len(plan.submissions) + 1,
        submitted_by_id=user.id,
        content=snapshot(plan),
    )
    plan.submitted_at = utcnow()
    db.session.add(submission)
    lifecycle.transition(plan, action, user, submission=submission.number)
    return submission


def return_plan(
    plan: Plan, staff: User, comments: dict[str, str], comment: str, seen_version: int
) -> None:
    """Send the plan back with comments per criterion (keys of SECTIONS) and/or overall.

    :raises PlanConflict: if the plan changed since the reviewer read version `seen_version`.
    :raises DomainError: without any comment, or for a plan not under review.
    """
    lifecycle.require(AuditAction.PLAN_RETURNED, plan, staff)
    check_version(plan, seen_version)
    comments = {
        key: text.strip() for key, text in comments.items() if key in SECTIONS and text.strip()
    }
    if not comments and not comment.strip():
        raise DomainError.on(None, _("Say what needs changing."))
    _decide(plan, staff, PlanOutcome.RETURNED, comment, comments)
    lifecycle.transition(
        plan,
        AuditAction.PLAN_RETURNED,
        staff,
        comment=comment.strip() or None,
        sections=list(comments),
    )


def approve_plan(plan: Plan, staff: User, comment: str = "", seen_version: int | None = None):
    """Approve the plan under review: the company goes on to payment and signing.

    :raises PlanConflict: if `seen_version` is given and the plan changed since.
    :raises DomainError: for a plan not under review, or staff who may not approve
        (representatives never do).
    """
    lifecycle.require(AuditAction.PLAN_APPROVED, plan, staff)
    if seen_version is not None:
        check_version(plan, seen_version)
    _decide(plan, staff, PlanOutcome.APPROVED, comment, {})
    plan.approved_at = utcnow()
    plan.approved_by = staff
    lifecycle.transition(plan, AuditAction.PLAN_APPROVED, staff, comment=comment.strip() or None)
    # The joining fee follows the plan: the company signs once the invoice is settled.
    billing.issue_joining_invoice(plan.company, staff)


def _decide(plan: Plan, staff: User, outcome, comment: str, comments: dict[str, str]) -> None:
    submission = plan.latest_submission
    if plan.state is not PlanState.SUBMITTED or submission is None:
        raise DomainError.on(None, _("This plan is not waiting for a decision."))
    submission.outcome = outcome
    submission.decided_at = utcnow()
    submission.decided_by_id = staff.id
    submission.comment = comment.strip() or None
    submission.comments = comments
