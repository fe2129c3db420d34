"""The audit trail: who did what, when, and the status before and after."""

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models_base import LabelledEnum, UTCDateTime, utcnow


class AuditAction(LabelledEnum):
    """Everything the trail records, with the title a person reads in a history."""

    USER_REGISTERED = "user.registered"
    USER_EMAIL_CONFIRMED = "user.email_confirmed"
    USER_PASSWORD_CHANGED = "user.password_changed"
    USER_PASSWORD_RESET = "user.password_reset"
    STAFF_CREATED = "staff.created"
    APPLICATION_SUBMITTED = "application.submitted"
    APPLICATION_RESUBMITTED = "application.resubmitted"
    APPLICATION_RESTARTED = "application.restarted"
    APPLICATION_RETURNED = "application.returned"
    APPLICATION_REJECTED = "application.rejected"
    APPLICATION_APPROVED = "application.approved"
    COMPANY_UPDATED = "company.updated"
    COMPANY_SIGNED = "company.signed"
    CRITERIA_SIGNED_AGAIN = "company.criteria_signed_again"
    CRITERIA_NOTICE_SENT = "company.criteria_notice_sent"
    CRITERIA_REMINDER_SENT = "company.criteria_reminder_sent"
    PUBLICATION_CHOICES_CHANGED = "company.publication_choices_changed"
    PROPERTIES_PUBLISHED = "company.properties_published"
    CHANGE_REQUESTED = "change.requested"
    CHANGE_RETURNED = "change.returned"
    CHANGE_APPROVED = "change.approved"
    CHANGE_WITHDRAWN = "change.withdrawn"
    MEMBERSHIP_SUSPENDED = "membership.suspended"
    MEMBERSHIP_REINSTATED = "membership.reinstated"
    MEMBERSHIP_EXPELLED = "membership.expelled"
    MEMBERSHIP_WITHDRAWN = "membership.withdrawn"
    COLLEAGUE_INVITED = "company.colleague_invited"
    COLLEAGUE_JOINED = "company.colleague_joined"
    COLLEAGUE_INVITATION_CANCELLED = "company.invitation_cancelled"
    COLLEAGUE_REMOVED = "company.colleague_removed"
    OWNERSHIP_OFFERED = "company.ownership_offered"
    OWNERSHIP_TRANSFERRED = "company.ownership_transferred"
    OWNERSHIP_OFFER_WITHDRAWN = "company.ownership_offer_withdrawn"
    STAFF_INVITED = "staff.invited"
    STAFF_INVITATION_WITHDRAWN = "staff.invitation_withdrawn"
    STAFF_JOINED = "staff.joined"
    STAFF_COUNTRIES_CHANGED = "staff.countries_changed"
    STAFF_DEACTIVATED = "staff.deactivated"
    STAFF_REACTIVATED = "staff.reactivated"
    TWO_FACTOR_ENABLED = "user.two_factor_enabled"
    TWO_FACTOR_DISABLED = "user.two_factor_disabled"
    RECOVERY_CODE_USED = "user.recovery_code_used"
    RECOVERY_CODES_RENEWED = "user.recovery_codes_renewed"
    STAFF_TWO_FACTOR_RESET = "staff.two_factor_reset"
    REPORT_SUBMITTED = "report.submitted"
    REPORT_RESUBMITTED = "report.resubmitted"
    REPORT_RETURNED = "report.returned"
    REPORT_ACCEPTED = "report.accepted"
    REPORT_EXTENSION_GRANTED = "report.extension_granted"
    TOP_MEMBER_RECOGNISED = "membership.top_member_recognised"
    TOP_MEMBER_ENDED = "membership.top_member_ended"
    PLAN_SUBMITTED = "plan.submitted"
    PLAN_RESUBMITTED = "plan.resubmitted"
    PLAN_RETURNED = "plan.returned"
    PLAN_APPROVED = "plan.approved"
    FEE_CHANGED = "billing.fee_changed"
    DISCOUNT_ADDED = "billing.discount_added"
    INVOICE_ISSUED = "invoice.issued"
    INVOICE_PAID = "invoice.paid"
    INVOICE_WAIVED = "invoice.waived"
    INVOICE_DISCOUNTED = "invoice.discounted"
    INVOICE_CANCELLED = "invoice.cancelled"
    RENEWAL_NOTICE_SENT = "invoice.renewal_notice_sent"
    REPRESENTATIVE_CREATED = "representative.created"
    REPRESENTATIVE_UPDATED = "representative.updated"
    REPRESENTATIVE_ASSIGNED = "company.representative_assigned"
    REPRESENTATIVE_PERMISSION_CHANGED = "representative.permission_changed"
    APPROVAL_RECOMMENDED = "application.approval_recommended"
    REPORT_APPROVAL_RECOMMENDED = "report.approval_recommended"

    @property
    def label(self) -> str:
        return ACTION_TITLES[self]


ACTION_TITLES = {
    AuditAction.USER_REGISTERED: _l("Account created"),
    AuditAction.USER_EMAIL_CONFIRMED: _l("E-mail address confirmed"),
    AuditAction.USER_PASSWORD_CHANGED: _l("Password changed"),
    AuditAction.USER_PASSWORD_RESET: _l("Password reset by e-mail"),
    AuditAction.STAFF_CREATED: _l("Staff account created"),
    AuditAction.APPLICATION_SUBMITTED: _l("Application submitted"),
    AuditAction.APPLICATION_RESUBMITTED: _l("Application changed and resubmitted"),
    AuditAction.APPLICATION_RESTARTED: _l("New application after a rejection"),
    AuditAction.APPLICATION_RETURNED: _l("Application returned for changes"),
    AuditAction.APPLICATION_REJECTED: _l("Application rejected"),
    AuditAction.APPLICATION_APPROVED: _l("Application approved"),
    AuditAction.COMPANY_UPDATED: _l("Company details changed"),
    AuditAction.COMPANY_SIGNED: _l("The Code signed"),
    AuditAction.CRITERIA_SIGNED_AGAIN: _l("New version of the criteria signed"),
    AuditAction.CRITERIA_NOTICE_SENT: _l("Asked by e-mail to sign the new version of the criteria"),
    AuditAction.CRITERIA_REMINDER_SENT: _l(
        "Reminded by e-mail to sign the new version of the criteria"
    ),
    AuditAction.PUBLICATION_CHOICES_CHANGED: _l("Publication choices changed"),
    AuditAction.PROPERTIES_PUBLISHED: _l("New properties published after review"),
    AuditAction.CHANGE_REQUESTED: _l("Change of details asked for review"),
    AuditAction.CHANGE_RETURNED: _l("Change of details returned for corrections"),
    AuditAction.CHANGE_APPROVED: _l("Change of details approved"),
    AuditAction.CHANGE_WITHDRAWN: _l("Change of details withdrawn"),
    AuditAction.MEMBERSHIP_SUSPENDED: _l("Membership suspended"),
    AuditAction.MEMBERSHIP_REINSTATED: _l("Membership reinstated"),
    AuditAction.MEMBERSHIP_EXPELLED: _l("Expelled from The Code"),
    AuditAction.MEMBERSHIP_WITHDRAWN: _l("Withdrew from The Code"),
    AuditAction.COLLEAGUE_INVITED: _l("Colleague invited"),
    AuditAction.COLLEAGUE_JOINED: _l("Colleague joined"),
    AuditAction.COLLEAGUE_INVITATION_CANCELLED: _l("Invitation cancelled"),
    AuditAction.COLLEAGUE_REMOVED: _l("Colleague removed"),
    AuditAction.OWNERSHIP_OFFERED: _l("Ownership offered to a colleague"),
    AuditAction.OWNERSHIP_TRANSFERRED: _l("Ownership handed over"),
    AuditAction.OWNERSHIP_OFFER_WITHDRAWN: _l("Ownership offer withdrawn"),
    AuditAction.STAFF_INVITED: _l("Staff member invited"),
    AuditAction.STAFF_INVITATION_WITHDRAWN: _l("Staff invitation withdrawn"),
    AuditAction.STAFF_JOINED: _l("Staff member joined"),
    AuditAction.STAFF_COUNTRIES_CHANGED: _l("Representative's countries changed"),
    AuditAction.STAFF_DEACTIVATED: _l("Staff account deactivated"),
    AuditAction.STAFF_REACTIVATED: _l("Staff account reactivated"),
    AuditAction.REPRESENTATIVE_CREATED: _l("Local Code Representative added"),
    AuditAction.REPRESENTATIVE_UPDATED: _l("Local Code Representative changed"),
    AuditAction.REPRESENTATIVE_ASSIGNED: _l("Local Code Representative assigned"),
    AuditAction.REPRESENTATIVE_PERMISSION_CHANGED: _l("Representatives' permission changed"),
    AuditAction.APPROVAL_RECOMMENDED: _l("Approval recommended by the representative"),
    AuditAction.REPORT_APPROVAL_RECOMMENDED: _l(
        "Report approval recommended by the representative"
    ),
    AuditAction.TWO_FACTOR_ENABLED: _l("Two-step sign-in turned on"),
    AuditAction.TWO_FACTOR_DISABLED: _l("Two-step sign-in turned off"),
    AuditAction.RECOVERY_CODE_USED: _l("Signed in with a recovery code"),
    AuditAction.RECOVERY_CODES_RENEWED: _l("New recovery codes made"),
    AuditAction.STAFF_TWO_FACTOR_RESET: _l("Staff member's second factor reset"),
    AuditAction.REPORT_SUBMITTED: _l("Annual report submitted"),
    AuditAction.REPORT_RESUBMITTED: _l("Annual report changed and resubmitted"),
    AuditAction.REPORT_RETURNED: _l("Annual report returned for changes"),
    AuditAction.REPORT_ACCEPTED: _l("Annual report accepted"),
    AuditAction.REPORT_EXTENSION_GRANTED: _l("Later due date granted for an annual report"),
    AuditAction.TOP_MEMBER_RECOGNISED: _l("Recognised as a Top Member"),
    AuditAction.TOP_MEMBER_ENDED: _l("Top Member recognition ended"),
    AuditAction.PLAN_SUBMITTED: _l("Implementation plan submitted"),
    AuditAction.PLAN_RESUBMITTED: _l("Implementation plan changed and resubmitted"),
    AuditAction.PLAN_RETURNED: _l("Implementation plan returned for changes"),
    AuditAction.PLAN_APPROVED: _l("Implementation plan approved"),
    AuditAction.FEE_CHANGED: _l("Fee table changed"),
    AuditAction.DISCOUNT_ADDED: _l("Discount added"),
    AuditAction.INVOICE_ISSUED: _l("Invoice issued"),
    AuditAction.INVOICE_PAID: _l("Invoice payment recorded"),
    AuditAction.INVOICE_WAIVED: _l("Invoice waived"),
    AuditAction.INVOICE_DISCOUNTED: _l("Discount applied to an invoice"),
    AuditAction.INVOICE_CANCELLED: _l("Invoice cancelled"),
    AuditAction.RENEWAL_NOTICE_SENT: _l("Asked to confirm the revenue band for the renewal"),
}


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    # The account an entry is about when that is not the actor (a staff account changed by an
    # administrator, say): entries point at a company, a user, or both.
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped["User | None"] = relationship(foreign_keys=[actor_id])  # noqa: F821
    subject_user: Mapped["User | None"] = relationship(foreign_keys=[subject_user_id])  # noqa: F821
    company: Mapped["Company | None"] = relationship()  # noqa: F821

    @property
    def comment(self) -> str | None:
        return self.details.get("comment")

    @property
    def title(self) -> str:
        """The action as a person reads it; an action no longer known reads as its key."""
        try:
            return AuditAction(self.action).label
        except ValueError:
            return self.action


def record(
    action: AuditAction | str,
    *,
    actor=None,
    company=None,
    subject_user=None,
    from_status=None,
    to_status=None,
    **details: Any,
) -> AuditEntry:
    """Add an audit entry to the current transaction (the caller commits with its change).

    :raises ValueError: for an action that is not an AuditAction.
    """
    entry = AuditEntry(
        action=AuditAction(action).value,
        actor=actor,
        company=company,
        subject_user=subject_user,
        from_status=str(from_status) if from_status is not None else None,
        to_status=str(to_status) if to_status is not None else None,
        details=details,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def company_history(company_id: int):
    """A select of one company's audit entries, newest first."""
    return (
        select(AuditEntry)
        .where(AuditEntry.company_id == company_id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
