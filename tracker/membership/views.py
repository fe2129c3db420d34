"""The owner's side of membership: withdrawing from The Code, with a confirmation step."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.permissions import company_user_required, own_company_or_404
from tracker.domain import DomainError, populate_errors
from tracker.extensions import db
from tracker.membership import services
from tracker.membership.forms import WithdrawForm
from tracker.outbox import queue_email
from tracker.urls import public_url

bp = Blueprint("membership", __name__, url_prefix="/company")


@bp.route("/withdraw", methods=["GET", "POST"])
@company_user_required
def withdraw():
    company = own_company_or_404()
    if not company.may_withdraw or not current_user.is_owner:
        abort(403)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return render_template("membership/withdraw.html", form=form, company=company)
    if not form.is_confirmed:
        return render_template("membership/confirm_withdraw.html", form=form, company=company)
    try:
        services.withdraw_membership(company, current_user, form.reason.data)
    except DomainError as error:
        populate_errors(form, error)
        return render_template("membership/withdraw.html", form=form, company=company)
    queue_email(
        current_user.email,
        _("Your company has withdrawn from The Code"),
        "membership_withdrawn",
        company=company,
        comment=form.reason.data.strip(),
        link=public_url("dashboard.index"),
    )
    db.session.commit()
    flash(_("%(company)s has withdrawn from The Code.", company=company.display_name), "success")
    return redirect(url_for("dashboard.index"))
