"""Administrators manage staff accounts; invited staff join through an e-mailed link."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from tracker.auth import two_factor
from tracker.auth.forms import AcceptInvitationForm, EmptyForm
from tracker.auth.models import Role, StaffInvitation, User
from tracker.auth.permissions import admin_required
from tracker.auth.views import sign_in
from tracker.domain import DomainError, populate_errors
from tracker.extensions import db
from tracker.mail_limits import limit_mail_per_address
from tracker.models_base import MAX_ID
from tracker.outbox import queue_email
from tracker.representatives.services import get_representative, list_representatives
from tracker.staff import services
from tracker.staff.forms import StaffInviteForm
from tracker.urls import public_url

bp = Blueprint("staff", __name__)


def render_index(invite_form: StaffInviteForm | None = None, status: int = 200):
    page = render_template(
        "staff/index.html",
        people=services.list_staff(),
        invitations=services.pending_staff_invitations(),
        invite_form=invite_form or invite_form_with_choices(),
        button_form=EmptyForm(),
    )
    return page, status


def invite_form_with_choices() -> StaffInviteForm:
    return StaffInviteForm().set_organisations(list_representatives())


@bp.get("/review/staff")
@admin_required
def index():
    return render_index()


@bp.post("/review/staff/invite")
@admin_required
@limit_mail_per_address
def invite():
    form = invite_form_with_choices()
    if not form.validate_on_submit():
        return render_index(form)
    representative = get_representative(int(form.representative.data or 0))
    try:
        invitation = services.invite_staff(
            current_admin(), form.email.data, Role(form.role.data), representative
        )
    except DomainError as error:
        db.session.rollback()
        populate_errors(form, error)
        return render_index(form)
    queue_invitation(invitation)
    db.session.commit()
    flash(_("We sent an invitation to %(email)s.", email=invitation.email), "success")
    return redirect(url_for("staff.index"))


def queue_invitation(invitation: StaffInvitation) -> None:
    queue_email(
        invitation.email,
        "You are invited to The Code Signatory Tracker",
        "staff_invitation",
        invitation=invitation,
        link=public_url("staff.join", token=invitation.token),
    )


def current_admin() -> User:
    return current_user._get_current_object()


def staff_member_or_404(user_id: int) -> User:
    """A staff account by id; company accounts and unknown ids are not found here."""
    person = db.session.get(User, user_id) if 0 < user_id <= MAX_ID else None
    if person is None or not person.is_staff:
        abort(404)
    return person


def switch(user_id: int, change, message: str):
    """Shared flow of deactivate and reactivate: check the button's CSRF, change, commit."""
    person = staff_member_or_404(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        change(current_admin(), person)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(message.format(name=person.name), "success")
    return redirect(url_for("staff.index"))


@bp.post("/review/staff/<int:user_id>/deactivate")
@admin_required
def deactivate(user_id: int):
    return switch(user_id, services.deactivate, _("{name} is deactivated and signed out."))


@bp.post("/review/staff/<int:user_id>/reactivate")
@admin_required
def reactivate(user_id: int):
    return switch(user_id, services.reactivate, _("{name} can sign in again."))


@bp.post("/review/staff/invitations/<int:invitation_id>/withdraw")
@admin_required
def withdraw_invitation(invitation_id: int):
    invitation = services.own_pending_invitation(invitation_id)
    if invitation is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.withdraw_staff_invitation(current_admin(), invitation)
    db.session.commit()
    flash(
        _(
            "The invitation to %(email)s is withdrawn; its link no longer works.",
            email=invitation.email,
        ),
        "info",
    )
    return redirect(url_for("staff.index"))


@bp.post("/review/staff/<int:user_id>/two-factor-reset")
@admin_required
def reset_two_factor(user_id: int):
    # Ends their sessions: they set up a new second factor at their next sign-in.
    message = _("{name}'s second factor is reset: they set up a new one at their next sign-in.")
    return switch(user_id, two_factor.reset, message)


@bp.route("/account/staff-invitation/<token>", methods=["GET", "POST"])
def join(token: str):
    invitation = services.pending_staff_invitation(token)
    if invitation is None:
        flash(_("This invitation is invalid, used or expired. Ask ECPAT for a new one."), "error")
        return redirect(url_for("auth.login"))
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = services.accept_staff_invitation(invitation, form.name.data, form.password.data)
            sign_in(user)
            db.session.commit()
        except (DomainError, IntegrityError) as error:
            db.session.rollback()  # used meanwhile, perhaps by a parallel request
            message = (
                str(error) if isinstance(error, DomainError) else _("This invitation was used.")
            )
            flash(message, "error")
            return redirect(url_for("auth.login"))
        flash(_("Welcome to The Code Signatory Tracker."), "success")
        return redirect(url_for("review.queue"))
    return render_template("staff/join.html", form=form, invitation=invitation)
