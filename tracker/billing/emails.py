"""E-mail about invoices, queued in the transaction that issues or settles them, and the
invitation to confirm the revenue band when the renewal season opens."""

from datetime import date

from flask_babel import lazy_gettext as _l

from tracker.billing.models import Invoice, InvoiceKind
from tracker.companies.models import Company
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


def queue_issued(invoice: Invoice) -> None:
    """Tell the owner, in their language, that an invoice is issued: its number, amount and
    due date, and the page that shows it (whichever way it was issued, by staff or the daily
    job)."""
    owner = invoice.company.owner
    if owner is None:
        return
    queue_email(
        owner.email,
        _l("Invoice %(number)s from ECPAT", number=invoice.number),
        "invoice_issued",
        locale=owner.locale,
        invoice=invoice,
        link=public_url("billing.detail", number=invoice.number),
    )


def queue_renewal_open(company: Company, year: int, auto_issue_on: date) -> None:
    """Invite the owner, in their language, to confirm the revenue band for `year` (the
    renewal season is open), saying when the renewal is issued without it."""
    owner = company.owner
    queue_email(
        owner.email,
        _l("Confirm your revenue band for %(year)s", year=year),
        "renewal_open",
        locale=owner.locale,
        company=company,
        year=year,
        auto_issue_on=auto_issue_on,
        link=public_url("billing.index"),
    )
