"""E-mail about invoices, queued in the transaction that settles them."""

from flask_babel import lazy_gettext as _l

from tracker.billing.models import Invoice, InvoiceKind
from tracker.outbox import queue_email
from tracker.urls import public_url


def queue_settled(invoice: Invoice) -> None:
    """Tell the owner, in their language, that ECPAT recorded the payment (or waived the fee);
    after the joining invoice that is the signal to sign The Code."""
    owner = invoice.company.owner
    if owner is None:
        return
    joining = invoice.kind is InvoiceKind.JOINING and not invoice.company.has_membership
    queue_email(
        owner.email,
        _l("Payment recorded: you can sign The Code") if joining else _l("Payment recorded"),
        "invoice_settled",
        locale=owner.locale,
        invoice=invoice,
        joining=joining,
        link=public_url("companies.sign" if joining else "billing.index"),
    )
