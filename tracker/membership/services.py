"""Membership sanctions and leaving: suspend, reinstate, expel, withdraw. They flush; views commit.

Each is one row of the transition table in `lifecycle`; these functions add what a person must
give with it (a reason) and nothing else, so who may do what from where stays in that table.
"""

from flask_babel import gettext as _

from tracker.audit import AuditAction
from tracker.auth.models import User
from tracker.companies.lifecycle import transition
from tracker.companies.models import Company
from tracker.domain import DomainError


def _required(text: str, field: str, message: str) -> str:
    if not (text or "").strip():
        raise DomainError.on(field, message)
    return text.strip()


def suspend_membership(company: Company, staff: User, reason: str) -> None:
    """:raises DomainError: without a reason, for a company that is not an active member, or
    for staff who may not see it."""
    reason = _required(reason, "reason", _("Give the reason for suspending."))
    transition(company, AuditAction.MEMBERSHIP_SUSPENDED, staff, comment=reason)


def reinstate_membership(company: Company, staff: User, comment: str = "") -> None:
    """:raises DomainError: for a company that is not suspended, or staff who may not see it."""
    details = {"comment": comment.strip()} if comment and comment.strip() else {}
    transition(company, AuditAction.MEMBERSHIP_REINSTATED, staff, **details)


def expel_membership(company: Company, admin: User, reason: str) -> None:
    """:raises DomainError: without a reason, for a company that is not a member, or for
    anyone but an administrator."""
    reason = _required(reason, "reason", _("Give the reason for expelling."))
    transition(company, AuditAction.MEMBERSHIP_EXPELLED, admin, comment=reason)


def withdraw_membership(company: Company, owner: User, reason: str) -> None:
    """:raises DomainError: without a reason, for a company that is not a member, or for anyone
    but its owner."""
    reason = _required(reason, "reason", _("Tell ECPAT why the company withdraws."))
    transition(company, AuditAction.MEMBERSHIP_WITHDRAWN, owner, comment=reason)
