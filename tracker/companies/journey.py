"""Where a business is on its way to membership, for the step indicator on its pages."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from tracker.companies.enums import Stage
from tracker.plans.services import plan_approved

STEPS = (
    ("register", _l("Register")),
    ("confirm", _l("Confirm e-mail")),
    ("apply", _l("Apply")),
    ("review", _l("Review")),
    ("plan", _l("Plan")),
    ("sign", _l("Sign")),
    ("member", _l("Member")),
)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    state: str  # "done", "current" or "todo"


def current_step(user) -> str | None:
    """The step a company user is at; None for staff, visitors and those who left."""
    if not getattr(user, "is_authenticated", False) or user.is_staff:
        return None
    if not user.email_confirmed:
        return "confirm"
    company = user.company
    if company is None:
        return "apply"
    if company.stage is Stage.APPROVED and not plan_approved(company):
        return "plan"
    return {
        Stage.SUBMITTED: "review",
        Stage.RETURNED: "review",
        Stage.REJECTED: "apply",
        Stage.APPROVED: "sign",
        Stage.ACTIVE: "member",
    }.get(company.stage)


def steps_for(user, at: str | None = None) -> list[Step]:
    """Every step with its state; empty when the indicator does not apply.

    `at` names the step of a page that has no user yet (registration).
    """
    current = current_step(user) or (at if not getattr(user, "is_authenticated", False) else None)
    if current is None:
        return []
    keys = [key for key, _ in STEPS]
    at = keys.index(current)
    # A member has done every step, the last included.
    done_before = len(keys) if current == "member" else at
    return [
        Step(key, label, "done" if i < done_before else "current" if i == at else "todo")
        for i, (key, label) in enumerate(STEPS)
    ]


def where_you_are(company, user, has_approved_plan: bool, invoices_open: bool) -> str:
    """What the dashboard's "Where you are" card says next: "review", "sent_back" (the card
    says nothing: "Needs your attention" does), "plan", "pay", "sign", "owner_signs",
    "member", "suspended" or "left"."""
    if company.awaits_review:
        return "review"
    if company.is_sent_back:
        return "sent_back"
    if company.may_sign:
        return next_for_approved(user, has_approved_plan, invoices_open)
    if company.is_member:
        return "member"
    return "suspended" if company.is_suspended else "left"


def next_for_approved(user, has_approved_plan: bool, invoices_open: bool) -> str:
    """An approved company's next step: its plan, then the joining invoice, then the owner signs."""
    if not has_approved_plan:
        return "plan"
    if invoices_open:
        return "pay"
    return "sign" if user.is_owner else "owner_signs"
