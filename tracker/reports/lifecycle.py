"""The table of a report's allowed moves, and the one function that makes them.

Like the company's lifecycle (and with its parties): `transition` checks the table, moves the
state, flushes (so the optimistic version check catches a concurrent change) and writes the
audit entry, all in the caller's transaction.
"""

from dataclasses import dataclass

from flask_babel import gettext as _

from tracker import audit
from tracker.audit import AuditAction, AuditEntry
from tracker.auth.models import User
from tracker.companies.lifecycle import Party, check_may_act, may_act
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.reports.models import Report, ReportState


@dataclass(frozen=True)
class ReportTransition:
    action: AuditAction
    sources: frozenset[ReportState]
    target: ReportState
    party: Party


A, S = AuditAction, ReportState
REPORT_TRANSITIONS: dict[AuditAction, ReportTransition] = {
    t.action: t
    for t in (
        ReportTransition(A.REPORT_SUBMITTED, frozenset({S.DRAFT}), S.SUBMITTED, Party.COLLEAGUE),
        ReportTransition(
            A.REPORT_RESUBMITTED, frozenset({S.RETURNED}), S.SUBMITTED, Party.COLLEAGUE
        ),
        ReportTransition(A.REPORT_RETURNED, frozenset({S.SUBMITTED}), S.RETURNED, Party.STAFF),
        ReportTransition(A.REPORT_ACCEPTED, frozenset({S.SUBMITTED}), S.ACCEPTED, Party.STAFF),
    )
}
del A, S


def allowed(action: AuditAction, report: Report, user: User) -> bool:
    """Whether `user` may make `action` on `report` now; for showing or hiding a button."""
    rule = REPORT_TRANSITIONS[action]
    return report.state in rule.sources and may_act(action, rule.party, user, report.company)


def transition(report: Report, action: AuditAction, actor: User, **details) -> AuditEntry:
    """Make `action` on `report` for `actor`, and record it with `details`.

    :raises DomainError: if `actor` may not make it, or not from the report's current state.
    """
    rule = REPORT_TRANSITIONS[action]
    check_may_act(action, rule.party, actor, report.company)
    source = report.state
    if source not in rule.sources:
        raise DomainError.on(None, _("This is not possible now (%(state)s).", state=source.label))
    report.state = rule.target
    report.updated_at = utcnow()
    db.session.flush()  # the version check fails here if someone else changed the report
    return audit.record(
        action,
        actor=actor,
        company=report.company,
        from_status=source,
        to_status=rule.target,
        year=report.year,
        report_id=report.id,
        version=report.version,
        **details,
    )
