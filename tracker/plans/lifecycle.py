"""The table of an implementation plan's allowed moves, and the one function that makes them.

As for reports: `transition` checks the table, moves the state, flushes (so the optimistic
version check catches a concurrent change) and writes the audit entry, in the caller's
transaction. Only ECPAT staff (reviewers and administrators) approve a plan; a local
representative may return one with comments.
"""

from dataclasses import dataclass

from flask_babel import gettext as _

from tracker import audit
from tracker.audit import AuditAction, AuditEntry
from tracker.auth.decisions import may_decide
from tracker.auth.models import Decision, User
from tracker.companies.lifecycle import Party, is_party
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.plans.models import Plan, PlanState


@dataclass(frozen=True)
class PlanTransition:
    action: AuditAction
    sources: frozenset[PlanState]
    target: PlanState
    party: Party
    # A staff decision the permission table governs (representatives return a plan if the
    # table allows it; approving is ECPAT's own): tracker.auth.decisions.may_decide.
    decision: Decision | None = None


A, S, D = AuditAction, PlanState, Decision
PLAN_TRANSITIONS: dict[AuditAction, PlanTransition] = {
    t.action: t
    for t in (
        PlanTransition(A.PLAN_SUBMITTED, frozenset({S.DRAFT}), S.SUBMITTED, Party.COLLEAGUE),
        PlanTransition(A.PLAN_RESUBMITTED, frozenset({S.RETURNED}), S.SUBMITTED, Party.COLLEAGUE),
        PlanTransition(
            A.PLAN_RETURNED, frozenset({S.SUBMITTED}), S.RETURNED, Party.STAFF, D.RETURN_PLAN
        ),
        PlanTransition(
            A.PLAN_APPROVED, frozenset({S.SUBMITTED}), S.APPROVED, Party.STAFF, D.APPROVE_PLAN
        ),
    )
}
del A, S, D


def may_act(rule: PlanTransition, user: User, plan: Plan) -> bool:
    """Whether `user` is a party to `rule` for the plan's company (whatever the plan's state)."""
    if rule.decision is not None and not may_decide(user, rule.decision):
        return False
    return is_party(rule.party, user, plan.company)


def allowed(action: AuditAction, plan: Plan, user: User) -> bool:
    """Whether `user` may make `action` on `plan` now; for showing or hiding a button."""
    rule = PLAN_TRANSITIONS[action]
    return plan.state in rule.sources and may_act(rule, user, plan)


def require(action: AuditAction, plan: Plan, actor: User) -> PlanTransition:
    """The rule for `action`, if `actor` is a party to it.

    :raises DomainError: if `actor` may not make `action` on this plan's company.
    """
    rule = PLAN_TRANSITIONS[action]
    if not may_act(rule, actor, plan):
        if rule.decision is Decision.APPROVE_PLAN:
            raise DomainError.on(None, _("Only ECPAT staff may approve an implementation plan."))
        if rule.decision is not None and is_party(rule.party, actor, plan.company):
            raise DomainError.on(None, _("Only ECPAT staff may take this decision."))
        raise DomainError.on(None, _("Only %(party)s may do this.", party=rule.party.label))
    return rule


def transition(plan: Plan, action: AuditAction, actor: User, **details) -> AuditEntry:
    """Make `action` on `plan` for `actor`, and record it with `details`.

    :raises DomainError: if `actor` may not make it, or not from the plan's current state.
    """
    rule = require(action, plan, actor)
    source = plan.state
    if source not in rule.sources:
        raise DomainError.on(None, _("This is not possible now (%(state)s).", state=source.label))
    plan.state = rule.target
    plan.updated_at = utcnow()
    db.session.flush()  # the version check fails here if someone else changed the plan
    return audit.record(
        action,
        actor=actor,
        company=plan.company,
        from_status=source,
        to_status=rule.target,
        plan_id=plan.id,
        version=plan.version,
        **details,
    )
