"""The company's invoices: the list and each printable invoice (owner and colleagues)."""

import re

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker.auth.permissions import company_user_required, own_company_or_404
from tracker.billing import services
from tracker.billing.forms import RenewalForm
from tracker.billing.models import Invoice
from tracker.domain import DomainError
from tracker.extensions import db

bp = Blueprint("billing", __name__, url_prefix="/company/invoices")

NUMBER = re.compile(r"TC-INV-\d{4}-\d{5,8}")


@bp.get("/")
@company_user_required
def index():
    company = own_company_or_404()
    today = services.today()
    return render_template(
        "billing/index.html",
        company=company,
        invoices=services.invoices_of(company),
        today=today,
        renewal_year=services.renewal_year(company, today),
        form=RenewalForm(),
    )


@bp.post("/renew")
@company_user_required
def renew():
    company = own_company_or_404()
    if not current_user.is_owner:
        abort(403)
    form = RenewalForm()
    if not form.validate_on_submit():
        flash(_("Confirm the revenue band to receive the renewal invoice."), "error")
        return redirect(url_for("billing.index"))
    try:
        invoice = services.confirm_band_and_renew(
            company, current_user, form.year.data, services.today()
        )
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("billing.index"))
    except IntegrityError:  # a colleague's click issued it at the same moment (one per year)
        db.session.rollback()
        flash(_("Your renewal invoice is already issued."), "error")
        return redirect(url_for("billing.index"))
    db.session.commit()
    flash(_("Thank you. Your renewal invoice %(number)s is issued.", number=invoice.number))
    return redirect(url_for("billing.detail", number=invoice.number))


@bp.get("/<number>")
@company_user_required
def detail(number: str):
    company = own_company_or_404()
    invoice = None
    if NUMBER.fullmatch(number):
        query = select(Invoice).where(Invoice.number == number, Invoice.company_id == company.id)
        invoice = db.session.scalar(query)
    if invoice is None:
        abort(404)  # another company's invoice is not found either
    return render_template(
        "billing/detail.html",
        invoice=invoice,
        issuer=services.issuer(),
        today=services.today(),
        back_url=None,
    )
