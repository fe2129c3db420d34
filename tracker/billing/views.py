"""The company's invoices: the list and each printable invoice (owner and colleagues)."""

import re

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from tracker.billing import services
from tracker.billing.models import Invoice
from tracker.extensions import db
from tracker.permissions import company_user_required, own_company_or_404

bp = Blueprint("billing", __name__, url_prefix="/company/invoices")

NUMBER = re.compile(r"TC-INV-\d{4}-\d{5,8}")


@bp.get("/")
@company_user_required
def index():
    company = own_company_or_404()
    return render_template(
        "billing/index.html",
        company=company,
        invoices=services.invoices_of(company),
        today=services.today(),
    )


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
