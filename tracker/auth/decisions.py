"""Which decisions a user may take: ECPAT staff all, representatives what the table allows."""

from sqlalchemy import select

from tracker.auth.models import DEFAULT_PERMISSIONS, Decision, RepresentativePermission, Role, User
from tracker.extensions import db


def may_decide(user: User, decision: Decision) -> bool:
    """Whether `user` may take `decision` at all (which companies they may see is separate).

    Reviewers and administrators may take every decision (admin-only moves are checked by
    the lifecycle table); representatives the editable ones the permission table allows;
    company users none.
    """
    if user.role in (Role.REVIEWER, Role.ADMIN):
        return True
    if user.role is not Role.REPRESENTATIVE or not decision.is_editable:
        return False
    return permission_table()[decision]


def permission_table() -> dict[Decision, bool]:
    """Every editable decision with whether representatives may take it (defaults filled in)."""
    rows = db.session.execute(
        select(RepresentativePermission.decision, RepresentativePermission.allowed)
    )
    return DEFAULT_PERMISSIONS | {decision: allowed for decision, allowed in rows}
