"""Staff pages of billing: open and overdue invoices, recording payment, a waiver or a
cancellation (then a new joining invoice), and the fee table that administrators keep."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tracker.auth.permissions import admin_required, staff_required
from tracker.billing import emails, services
from tracker.billing import fees as fee_table
from tracker.billing.forms import (
    ApplyDiscountForm,
    CancelForm,
    DiscountForm,
    FeeForm,
    PaymentForm,
    ReissueForm,
    WaiveForm,
)
from tracker.billing.models import (
    Discount,
    DiscountKind,
    FeeBand,
    Invoice,
    InvoiceKind,
    PaymentMethod,
)
from tracker.companies import queries
from tracker.companies.models import Company
from tracker.domain import DomainError, populate_errors
from tracker.extensions import db
from tracker.models_base import MAX_ID

bp = Blueprint("billing_staff", __name__, url_prefix="/review")


def get_invoice_or_404(invoice_id: int) -> Invoice:
    """An invoice of a company the staff user may see.

    :raises NotFound: if it does not exist or its company lies outside a representative's
        countries.
    """
    if not 0 < invoice_id <= MAX_ID:
        abort(404)
    query = (
        select(Invoice)
        .join(Company, Invoice.company_id == Company.id)
        .where(Invoice.id == invoice_id, queries.visible_to(current_user))
    )
    invoice = db.session.scalar(query)
    if invoice is None:
        abort(404)
    return invoice


@bp.get("/invoices")
@staff_required
def index():
    overdue = request.args.get("show") == "overdue"
    today = services.today()
    invoices = db.paginate(
        services.list_invoices(current_user, overdue, today), per_page=50, error_out=False
    )
    return render_template(
        "billing/staff_index.html", invoices=invoices, overdue=overdue, today=today
    )


def render_invoice(invoice: Invoice, status: int = 200, **forms):
    # Unbound: after a failed POST only the form sent shows what was typed (the waiver's and
    # the cancellation's fields are both called "reason").
    forms.setdefault("discount_form", ApplyDiscountForm(fee_table.discounts(), formdata=None))
    for name, form_class in (
        ("payment_form", PaymentForm),
        ("waive_form", WaiveForm),
        ("cancel_form", CancelForm),
    ):
        forms.setdefault(name, form_class(formdata=None))
    for form in forms.values():
        if not form.version.data:
            form.version.data = str(invoice.version)
    distinct_ids(forms["cancel_form"], "cancel")  # its reason beside the waiver's
    page = render_template(
        "billing/staff_detail.html",
        invoice=invoice,
        issuer=services.issuer(),
        today=services.today(),
        may_settle=services.may_settle(current_user, invoice),
        may_cancel=services.may_cancel(current_user, invoice),
        may_reissue=invoice.kind is InvoiceKind.JOINING
        and services.may_reissue_joining(current_user, invoice.company),
        reissue_form=ReissueForm(),
        **forms,
    )
    return page, status


@bp.get("/invoices/<int:invoice_id>")
@staff_required
def detail(invoice_id: int):
    return render_invoice(get_invoice_or_404(invoice_id))


def settle(invoice_id: int, form, form_key: str, action, message: str):
    """Shared flow of recording a payment or a waiver: validate, act, commit, redirect."""
    invoice = get_invoice_or_404(invoice_id)
    if current_user.role not in services.SETTLING_ROLES:
        abort(403)  # representatives see invoices; ECPAT staff settle them
    if not form.validate_on_submit():
        return render_invoice(invoice, 400, **{form_key: form})
    try:
        action(invoice, form)
    except services.InvoiceConflict as error:
        db.session.rollback()
        flash(str(error), "error")
        return render_invoice(db.session.get(Invoice, invoice_id), 409)
    except DomainError as error:
        db.session.rollback()
        populate_errors(form, error)
        return render_invoice(db.session.get(Invoice, invoice_id), 400, **{form_key: form})
    if invoice.is_settled:
        emails.queue_settled(invoice)  # in the same transaction: sent once it is committed
    db.session.commit()
    flash(message.format(number=invoice.number), "success")
    return redirect(url_for("billing_staff.detail", invoice_id=invoice.id))


@bp.post("/invoices/<int:invoice_id>/pay")
@staff_required
def pay(invoice_id: int):
    def record(invoice, form):
        payment = services.PaymentInput(
            form.paid_on.data, PaymentMethod(form.method.data), form.reference.data
        )
        services.record_payment(invoice, current_user, payment, form.seen_version, services.today())

    return settle(
        invoice_id, PaymentForm(), "payment_form", record, _("Payment of {number} recorded.")
    )


@bp.post("/invoices/<int:invoice_id>/discount")
@staff_required
def discount(invoice_id: int):
    def record(invoice, form):
        chosen = db.session.get(Discount, int(form.discount.data))  # one of the choices
        services.apply_discount(invoice, current_user, chosen, form.seen_version)

    form = ApplyDiscountForm(fee_table.discounts())
    return settle(invoice_id, form, "discount_form", record, _("Discount applied to {number}."))


@bp.post("/invoices/<int:invoice_id>/waive")
@staff_required
def waive(invoice_id: int):
    def record(invoice, form):
        services.waive_invoice(invoice, current_user, form.reason.data, form.seen_version)

    return settle(invoice_id, WaiveForm(), "waive_form", record, _("Invoice {number} waived."))


@bp.post("/invoices/<int:invoice_id>/cancel")
@staff_required
def cancel(invoice_id: int):
    def record(invoice, form):
        services.cancel_invoice(invoice, current_user, form.reason.data, form.seen_version)

    return settle(invoice_id, CancelForm(), "cancel_form", record, _("Invoice {number} cancelled."))


@bp.post("/invoices/<int:invoice_id>/reissue")
@staff_required
def reissue(invoice_id: int):
    """Issue a new joining invoice, on the band on record, after this one was cancelled."""
    cancelled = get_invoice_or_404(invoice_id)
    if current_user.role not in services.SETTLING_ROLES:
        abort(403)
    if not ReissueForm().validate_on_submit():
        abort(400)  # only a missing or stale CSRF token fails a form without fields
    try:
        invoice = services.reissue_joining_invoice(cancelled.company, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("billing_staff.detail", invoice_id=invoice_id))
    db.session.commit()
    flash(_("Joining invoice %(number)s issued.", number=invoice.number), "success")
    return redirect(url_for("billing_staff.detail", invoice_id=invoice.id))


def render_fees(status: int = 200, fee_forms: dict | None = None, discount_form=None):
    rows = fee_table.fee_table()
    fee_forms = fee_forms or {}
    for row in rows:
        if row.id not in fee_forms:
            fee_forms[row.id] = FeeForm(formdata=None, obj=row)
            fee_forms[row.id].version.data = str(row.version)
        distinct_ids(fee_forms[row.id], f"fee-{row.id}")
    page = render_template(
        "billing/fees.html",
        rows=rows,
        fee_forms=fee_forms,
        discount_form=discount_form or DiscountForm(formdata=None),
        discounts=fee_table.discounts(),
    )
    return page, status


def distinct_ids(form, prefix: str) -> None:
    """Give one band's fields ids of their own: the page shows a form per band."""
    for field in form:
        field.id = field.label.field_id = f"{prefix}-{field.name}"


@bp.get("/fees")
@admin_required
def fees():
    return render_fees()


@bp.post("/fees/<int:fee_id>")
@admin_required
def update_fee(fee_id: int):
    row = db.session.get(FeeBand, fee_id) if 0 < fee_id <= MAX_ID else None
    if row is None:
        abort(404)
    form = FeeForm()
    if form.validate_on_submit():
        try:
            fee_table.update_fee(
                row, form.amount.data, form.currency.data, current_user, form.seen_version
            )
        except DomainError as error:
            db.session.rollback()
            populate_errors(form, error)
            status = 409 if isinstance(error, fee_table.InvoiceConflict) else 400
            return render_fees(status, {fee_id: form})
        db.session.commit()
        flash(_("The fee of the band %(band)s is saved.", band=row.band.label), "success")
        return redirect(url_for("billing_staff.fees"))
    return render_fees(400, {fee_id: form})


@bp.post("/fees/discounts")
@admin_required
def add_discount():
    form = DiscountForm()
    if form.validate_on_submit():
        values = fee_table.DiscountInput(
            form.name.data, DiscountKind(form.kind.data), form.value.data, form.reason.data
        )
        try:
            fee_table.add_discount(current_user, values)
        except DomainError as error:
            db.session.rollback()
            populate_errors(form, error)
            return render_fees(400, discount_form=form)
        db.session.commit()
        flash(_("The discount %(name)s is added.", name=values.name.strip()), "success")
        return redirect(url_for("billing_staff.fees"))
    return render_fees(400, discount_form=form)
