"""The one table of allowed lifecycle transitions, and the one function that makes them.

A company moves through its application (submitted, returned, rejected, approved) and then its
membership (active, suspended, withdrawn, expelled). Every move, whoever makes it, goes through
`transition`: it checks the table, changes the state, flushes (so that the optimistic version
check catches a concurrent change) and writes the audit entry, all in the caller's transaction.
"""

import enum
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from tracker import audit
from tracker.audit import AuditAction, AuditEntry
from tracker.auth.decisions import may_decide
from tracker.auth.models import Decision, Role, User
from tracker.companies import queries
from tracker.companies.enums import ApplicationStatus, Stage, Standing
from tracker.companies.models import Company, Membership
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow


class Party(enum.Enum):
    """Who may make a transition."""

    APPLICANT = "applicant"
    COLLEAGUE = "colleague"
    OWNER = "owner"
    STAFF = "staff"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            Party.APPLICANT: _("a confirmed business account without a company"),
            Party.COLLEAGUE: _("an account of the company"),
            Party.OWNER: _("the company's owner"),
            Party.STAFF: _("staff who may see the company"),
            Party.ADMIN: _("an administrator"),
        }[self]


@dataclass(frozen=True)
class Transition:
    action: AuditAction
    sources: frozenset[Stage | None]  # None: the company is being created
    target: Stage
    party: Party


def _t(action: AuditAction, sources, target: Stage, party: Party) -> Transition:
    return Transition(action, frozenset(sources), target, party)


A = AuditAction
TRANSITIONS: dict[AuditAction, Transition] = {
    t.action: t
    for t in (
        _t(A.APPLICATION_SUBMITTED, {None}, Stage.SUBMITTED, Party.APPLICANT),
        _t(A.APPLICATION_RESUBMITTED, {Stage.RETURNED}, Stage.SUBMITTED, Party.COLLEAGUE),
        _t(A.APPLICATION_RESTARTED, {Stage.REJECTED}, Stage.SUBMITTED, Party.COLLEAGUE),
        _t(A.APPLICATION_RETURNED, {Stage.SUBMITTED}, Stage.RETURNED, Party.STAFF),
        _t(A.APPLICATION_REJECTED, {Stage.SUBMITTED}, Stage.REJECTED, Party.STAFF),
        _t(A.APPLICATION_APPROVED, {Stage.SUBMITTED}, Stage.APPROVED, Party.STAFF),
        _t(A.COMPANY_SIGNED, {Stage.APPROVED}, Stage.ACTIVE, Party.OWNER),
        _t(A.MEMBERSHIP_SUSPENDED, {Stage.ACTIVE}, Stage.SUSPENDED, Party.STAFF),
        _t(A.MEMBERSHIP_REINSTATED, {Stage.SUSPENDED}, Stage.ACTIVE, Party.STAFF),
        _t(A.MEMBERSHIP_EXPELLED, {Stage.ACTIVE, Stage.SUSPENDED}, Stage.EXPELLED, Party.ADMIN),
        _t(A.MEMBERSHIP_WITHDRAWN, {Stage.ACTIVE, Stage.SUSPENDED}, Stage.WITHDRAWN, Party.OWNER),
    )
}
# The staff moves that are decisions in the representatives' permission table.
DECISIONS: dict[AuditAction, Decision] = {
    A.APPLICATION_RETURNED: Decision.RETURN_APPLICATION,
    A.APPLICATION_REJECTED: Decision.REJECT_APPLICATION,
    A.APPLICATION_APPROVED: Decision.APPROVE_APPLICATION,
    A.MEMBERSHIP_SUSPENDED: Decision.SUSPEND,
    A.MEMBERSHIP_REINSTATED: Decision.REINSTATE,
    A.MEMBERSHIP_EXPELLED: Decision.EXPEL,
    A.REPORT_RETURNED: Decision.RETURN_REPORT,
    A.REPORT_ACCEPTED: Decision.ACCEPT_REPORT,
}
del A


def is_party(party: Party, user: User, company: Company) -> bool:
    """Whether `user` acts as `party` towards `company`."""
    if party is Party.APPLICANT:
        return user.role is Role.COMPANY and user.company_id is None and user.email_confirmed
    if party is Party.COLLEAGUE:
        return user.company_id is not None and user.company_id == company.id
    if party is Party.OWNER:
        return user.company_id == company.id and user.is_owner
    if party is Party.ADMIN and user.role is not Role.ADMIN:
        return False
    # Staff and admins: the same SQL rule as the queue, so a representative acts in their countries.
    visible = select(Company.id).where(Company.id == company.id, queries.visible_to(user))
    return db.session.scalar(visible) is not None


def allowed(action: AuditAction, company: Company, user: User) -> bool:
    """Whether `user` may make `action` now; for showing or hiding a button."""
    rule = TRANSITIONS[action]
    return company.stage in rule.sources and may_act(action, rule.party, user, company)


def may_act(action: AuditAction, party: Party, user: User, company: Company) -> bool:
    """Whether `user` acts as `party` towards `company` and may take the decision `action` is."""
    decision = DECISIONS.get(action)
    if decision is not None and not may_decide(user, decision):
        return False
    return is_party(party, user, company)


def check_may_act(action: AuditAction, party: Party, user: User, company: Company) -> None:
    """:raises DomainError: unless `user` may act (may_act), saying why."""
    if not is_party(party, user, company):
        raise DomainError.on(None, _("Only %(party)s may do this.", party=party.label))
    decision = DECISIONS.get(action)
    if decision is not None and not may_decide(user, decision):
        raise DomainError.on(None, _("Only ECPAT staff may take this decision."))


def transition(company: Company, action: AuditAction, actor: User, **details) -> AuditEntry:
    """Make `action` on `company` for `actor`, and record it with `details`.

    :raises DomainError: if `actor` may not make it, or not from the company's current stage.
    """
    rule = TRANSITIONS[action]
    check_may_act(action, rule.party, actor, company)
    source = company.stage
    if source not in rule.sources:
        stage = source.label if source else _("New application")
        raise DomainError.on(None, _("This is not possible now (%(stage)s).", stage=stage))
    _enter(company, rule.target)
    db.session.add(company)
    db.session.flush()  # the version check fails here if someone else changed the company meanwhile
    return audit.record(
        action,
        actor=actor,
        company=company,
        from_status=source,
        to_status=rule.target,
        version=company.version,
        **details,
    )


def _enter(company: Company, target: Stage) -> None:
    now = utcnow()
    # Every move touches the company row, so its version changes and concurrent moves conflict.
    company.updated_at = now
    if target in (Stage.SUBMITTED, Stage.RETURNED, Stage.REJECTED, Stage.APPROVED):
        company.status = ApplicationStatus(target.value)
        if target is Stage.SUBMITTED:
            company.submitted_at = now
        return
    if company.membership is None:
        company.membership = Membership(
            number=membership_number(company.id), joined_at=now, standing_since=now
        )
    company.membership.standing = Standing(target.value)
    company.membership.standing_since = now


def membership_number(company_id: int) -> str:
    # Derived from the primary key: unique without a counter that concurrent signings could race on.
    return f"TC-{company_id:06d}"
