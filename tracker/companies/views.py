"""The company's own pages: application, profile, signing, colleagues."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth import invitations as auth_invitations
from tracker.auth.emails import queue_invitation
from tracker.auth.forms import EmptyForm, InviteForm
from tracker.auth.permissions import company_user_required, own_company_or_404
from tracker.billing import services as billing
from tracker.companies import change_requests, drafts, properties, services
from tracker.companies import colleagues as colleague_services
from tracker.companies.criteria import criteria, current_version
from tracker.companies.enums import CompanyType, RevenueBand
from tracker.companies.forms import (
    FULL_OPERATIONS,
    MAX_OPERATIONS,
    CompanyForm,
    ProfileForm,
    sign_form_for,
)
from tracker.companies.properties import INLINE_OPERATIONS
from tracker.domain import DomainError, populate_errors
from tracker.extensions import db
from tracker.mail_limits import limit_mail_per_address, recipient_allowed
from tracker.outbox import queue_email
from tracker.urls import public_url
from tracker.write_limits import limit_company_writes

bp = Blueprint("companies", __name__, url_prefix="/company")


def details_from(form: CompanyForm, operations=()) -> services.CompanyDetails:
    """The details the form holds; a form without operations (ProfileForm) keeps `operations`."""
    if form.operations is not None:
        operations = tuple(
            services.OperationInput(
                country_code=row.country_code.data,
                property_name=(row.property_name.data or "").strip() or None,
                city=(row.city.data or "").strip() or None,
            )
            for row in (entry.form for entry in form.operations.entries)
        )
    return services.CompanyDetails(
        legal_name=form.legal_name.data.strip(),
        display_name=form.display_name.data.strip(),
        type=CompanyType(form.type.data),
        hq_country=form.hq_country.data,
        website=(form.website.data or "").strip() or None,
        revenue_band=RevenueBand(form.revenue_band.data),
        contact_name=form.contact_name.data.strip(),
        contact_email=form.contact_email.data.strip(),
        contact_phone=(form.contact_phone.data or "").strip() or None,
        operations=operations,
    )


def edit_rows(form: CompanyForm) -> bool:
    """Handle the add/remove-row buttons; True if one was pressed (then nothing is saved)."""
    if form.operations is None:
        return False
    if "add_operation" in request.form:
        if len(form.operations.entries) < MAX_OPERATIONS:
            form.operations.append_entry()
            form.new_row = len(form.operations.entries) - 1
        else:  # say why nothing was added, next to the list and in the error summary
            form.operations.errors = [FULL_OPERATIONS]
        return True
    if "remove_operation" in request.form:
        # Any value counts as the button: a tampered one removes nothing but must not save.
        remove = request.form["remove_operation"]
        index = int(remove) if remove.isascii() and remove.isdigit() else -1
        if 0 <= index < len(form.operations.entries) and len(form.operations.entries) > 1:
            del form.operations.entries[index]
        return True
    return False


@bp.route("/apply", methods=["GET", "POST"])
@company_user_required
@limit_company_writes
def apply():
    if current_user.company is not None:
        return redirect(url_for("dashboard.index"))
    if not current_user.email_confirmed:
        flash(_("Confirm your e-mail address first: follow the link we sent you."), "error")
        return redirect(url_for("dashboard.index"))
    draft = drafts.draft_of(current_user) if request.method == "GET" else None
    form = CompanyForm() if request.method == "POST" else CompanyForm(data=start_values(draft))
    if "save_draft" in request.form:
        keep_draft(form)
    elif not edit_rows(form) and form.validate_on_submit():
        try:
            services.submit_application(current_user, details_from(form))
        except DomainError as error:
            db.session.rollback()  # drop the company this request made
            if current_user.company is not None:  # a parallel request applied first
                flash(str(error), "info")
                return redirect(url_for("dashboard.index"))
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Thank you. Your application is submitted; we will review it soon."), "success")
            return redirect(url_for("dashboard.index"))
    return render_template(
        "companies/form.html", form=form, title=_("Apply to sign The Code"), draft=draft
    )


def start_values(draft) -> dict:
    """What the application form shows first: the saved draft, else the applicant's name and
    e-mail address as the contact."""
    if draft is not None:
        return draft.data
    return {"contact_name": current_user.name, "contact_email": current_user.email}


def keep_draft(form: CompanyForm) -> None:
    """Save the form as the user's draft if what is typed is valid (else its errors show)."""
    if not form.validate_draft():
        return
    try:
        saved_at = drafts.save_draft(current_user, form.draft_data())
    except DomainError as error:
        db.session.rollback()
        populate_errors(form, error)
        return
    db.session.commit()
    when = format_datetime(saved_at, "medium")
    flash(_("Draft saved on %(when)s.", when=when), "success")


@bp.route("/edit", methods=["GET", "POST"])
@company_user_required
@limit_company_writes
def update():
    company = own_company_or_404()
    if not company.may_edit:
        abort(403)  # withdrawn or expelled: the record stays as it was when the company left
    # An open change request is what the company last asked for: it edits that further.
    requested = change_requests.as_requested(company)
    many = len(requested.operations) > INLINE_OPERATIONS
    form = (ProfileForm if many else CompanyForm)(obj=requested)
    if not edit_rows(form) and form.validate_on_submit():
        was_sent_back = company.is_sent_back
        operations = properties.working_operations(company) if many else ()
        try:
            services.update_company(company, details_from(form, operations), current_user)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(saved_message(company, was_sent_back), "success")
            return redirect(url_for("dashboard.index"))
    request_ = change_requests.open_request(company)
    return render_template(
        "companies/form.html",
        form=form,
        title=edit_title(company),
        company=company,
        return_comment=sent_back_reason(company),
        change_request=request_,
        operation_count=len(requested.operations),
    )


def saved_message(company, was_sent_back: bool) -> str:
    if was_sent_back:
        return _("Your application is submitted for review again.")
    request_ = change_requests.open_request(company)
    if request_ is not None and request_.awaits_review:
        return _(
            "Your contact details are saved. The changes ECPAT reviews (names, type, "
            "headquarters, website, revenue and countries) wait for its approval; until then "
            "your listing shows the approved details."
        )
    return _("Your company profile is saved.")


def edit_title(company) -> str:
    if company.is_rejected:
        return _("Start a new application")
    if company.is_sent_back:
        return _("Change and resubmit your application")
    return _("Edit your company profile")


def sent_back_reason(company) -> str | None:
    """While returned or rejected, the reviewer's latest comment, shown above the form."""
    decision = services.latest_decision(company) if company.is_sent_back else None
    return decision.comment if decision else None


@bp.route("/sign", methods=["GET", "POST"])
@company_user_required
def sign():
    company = own_company_or_404()
    again = company.must_sign_again
    if not (company.may_sign or again) or not current_user.is_owner:
        abort(403)
    version = current_version()
    form = sign_form_for(version)
    if form.validate_on_submit():
        accepted = tuple(
            c.number for c in criteria(version) if getattr(form, f"criterion_{c.number}").data
        )
        signature = services.SignatureInput(
            signatory_name=form.signatory_name.data,
            signatory_title=form.signatory_title.data,
            accepted_criteria=accepted,
            authority_confirmed=form.authority.data,
            criteria_version=request.form.get("criteria_version", ""),
        )
        try:
            services.sign_code(company, current_user, signature)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(signed_message(company, again, version), "success")
            return redirect(url_for("dashboard.index"))
    return render_template(
        "companies/sign.html",
        form=form,
        company=company,
        criteria=criteria(version),
        version=version,
        again=again,
        invoice=billing.joining_invoice(company),
        settled=billing.joining_settled(company),
        today=billing.today(),
    )


def signed_message(company, again: bool, version: str) -> str:
    if again:
        return _("Thank you: you signed version %(version)s of the criteria.", version=version)
    return _(
        "Welcome to The Code! Your membership number is %(number)s.",
        number=company.membership_number,
    )


@bp.route("/colleagues", methods=["GET", "POST"])
@company_user_required
@limit_mail_per_address
def colleagues():
    company = own_company_or_404()
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invite(form.email.data)
        except DomainError as error:
            db.session.rollback()
            populate_errors(form, error)
        else:
            # The same answer whether or not the address has an account somewhere.
            flash(_("We sent an invitation to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("companies.colleagues"))
    return render_template(
        "companies/colleagues.html",
        form=form,
        company=company,
        users=services.colleagues(company),
        invitations=services.pending_invitations(company),
        offers=colleague_services.open_offers(company) if current_user.is_owner else [],
        valid_days=current_app.config["INVITATION_MAX_AGE"] // 86400,
        button_form=EmptyForm(),
    )


def invite(email: str) -> None:
    """Record the invitation and queue its e-mail, unless the address has had enough mail."""
    invitation = auth_invitations.invite_colleague(current_user, email)
    if recipient_allowed(invitation.email):
        queue_invitation(invitation)
    db.session.commit()


def owner_action(load, user_or_invitation_id: int):
    """The owner's own invitation or colleague for a button; 403 for colleagues, else 404."""
    own_company_or_404()
    if not current_user.is_owner:
        abort(403)
    target = load(current_user, user_or_invitation_id)
    if target is None or not EmptyForm().validate_on_submit():
        abort(404 if target is None else 400)
    return target


@bp.post("/colleagues/invitations/<int:invitation_id>/resend")
@company_user_required
@limit_mail_per_address
def resend_invitation(invitation_id: int):
    invitation = owner_action(colleague_services.own_invitation, invitation_id)
    if recipient_allowed(invitation.email):
        auth_invitations.renew_invitation(invitation)  # the earlier link stops working
        queue_invitation(invitation)
        db.session.commit()
    flash(_("We sent the invitation to %(email)s again.", email=invitation.email), "success")
    return redirect(url_for("companies.colleagues"))


@bp.post("/colleagues/invitations/<int:invitation_id>/cancel")
@company_user_required
def cancel_invitation(invitation_id: int):
    invitation = owner_action(colleague_services.own_invitation, invitation_id)
    email = invitation.email  # the row is gone after the commit
    colleague_services.cancel_invitation(current_user, invitation)
    db.session.commit()
    flash(
        _("The invitation to %(email)s is cancelled; its link no longer works.", email=email),
        "info",
    )
    return redirect(url_for("companies.colleagues"))


@bp.post("/colleagues/<int:user_id>/remove")
@company_user_required
def remove_colleague(user_id: int):
    colleague = owner_action(colleague_services.own_colleague, user_id)
    colleague_services.remove_colleague(current_user, colleague)
    db.session.commit()
    flash(_("%(name)s no longer has access to your company.", name=colleague.name), "info")
    return redirect(url_for("companies.colleagues"))


@bp.post("/colleagues/<int:user_id>/transfer")
@company_user_required
@limit_mail_per_address
def offer_ownership(user_id: int):
    colleague = owner_action(colleague_services.own_colleague, user_id)
    offer = colleague_services.offer_ownership(current_user, colleague)
    queue_email(
        colleague.email,
        _("Become the owner of %(company)s on The Code", company=colleague.company.display_name),
        "ownership_offer",
        owner=current_user,
        company=colleague.company,
        link=public_url("companies.accept_ownership", token=offer.token),
    )
    db.session.commit()
    flash(
        _(
            "We asked %(name)s to accept ownership; you stay the owner until then.",
            name=colleague.name,
        ),
        "info",
    )
    return redirect(url_for("companies.colleagues"))


@bp.post("/colleagues/ownership-offers/<int:offer_id>/withdraw")
@company_user_required
def withdraw_offer(offer_id: int):
    offer = owner_action(colleague_services.own_offer, offer_id)
    colleague_services.withdraw_offer(current_user, offer)
    db.session.commit()
    flash(_("The ownership offer is withdrawn; its link no longer works."), "info")
    return redirect(url_for("companies.colleagues"))


@bp.route("/ownership/<token>", methods=["GET", "POST"])
@company_user_required
def accept_ownership(token: str):
    offer = colleague_services.pending_offer(current_user, token)
    if offer is None:
        flash(
            _(
                "This link is invalid, expired, withdrawn or for another account. Sign in as the "
                "colleague it was sent to, or ask your company's owner for another."
            ),
            "error",
        )
        return redirect(url_for("dashboard.index"))
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            company = colleague_services.accept_ownership(current_user, offer)
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for("dashboard.index"))
        db.session.commit()
        flash(_("You are now the owner of %(company)s.", company=company.display_name), "success")
        return redirect(url_for("companies.colleagues"))
    company = current_user.company
    return render_template("companies/accept_ownership.html", form=form, company=company)
