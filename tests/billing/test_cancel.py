"""Staff cancel an open invoice (ECPAT staff, with a reason, version-checked, audited); a new
joining invoice may follow, a cancelled renewal is due again, and the owner sees it."""

import pytest
from sqlalchemy import func, select

from tests.billing.test_views import unpaid_company
from tests.factories import owner_of
from tracker.audit import AuditEntry
from tracker.billing import services
from tracker.billing.models import Invoice, InvoiceKind, InvoiceState
from tracker.companies.enums import RevenueBand
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.outbox import OutboxMessage


def test_staff_cancel_an_open_invoice_with_a_reason(reviewer):
    company, invoice = unpaid_company()
    with pytest.raises(DomainError, match="reason for cancelling"):
        services.cancel_invoice(invoice, reviewer, "  ", invoice.version)
    services.cancel_invoice(invoice, reviewer, "Wrong revenue band", invoice.version)
    db.session.commit()
    assert (invoice.state, invoice.cancel_reason, invoice.cancelled_by) == (
        InvoiceState.CANCELLED,
        "Wrong revenue band",
        reviewer,
    )
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.actor_id, entry.company_id) == (
        "invoice.cancelled",
        reviewer.id,
        company.id,
    )
    assert entry.details == {"number": invoice.number, "comment": "Wrong revenue band"}
    with pytest.raises(DomainError, match="is cancelled"):
        services.cancel_invoice(invoice, reviewer, "Again", invoice.version)


def test_representatives_do_not_cancel(rep_th):
    _company, invoice = unpaid_company()
    assert not services.may_cancel(rep_th, invoice)
    with pytest.raises(DomainError, match="Only ECPAT staff"):
        services.cancel_invoice(invoice, rep_th, "No", invoice.version)


def test_a_settled_invoice_is_not_cancelled(reviewer):
    _company, invoice = unpaid_company()
    services.waive_invoice(invoice, reviewer, "Hardship", invoice.version)
    assert not services.may_cancel(reviewer, invoice)
    with pytest.raises(DomainError, match="is waived"):
        services.cancel_invoice(invoice, reviewer, "No", invoice.version)


def test_cancel_refused_for_a_version_not_read(reviewer):
    _company, invoice = unpaid_company()
    with pytest.raises(services.InvoiceConflict, match="changed meanwhile"):
        services.cancel_invoice(invoice, reviewer, "Wrong band", invoice.version + 1)


def joining_invoices(company) -> list[tuple[str, InvoiceState]]:
    query = (
        select(Invoice.band, Invoice.state)
        .where(Invoice.company_id == company.id, Invoice.kind == InvoiceKind.JOINING)
        .order_by(Invoice.id)
    )
    return [tuple(row) for row in db.session.execute(query)]


def test_staff_cancel_then_issue_a_new_joining_invoice(client, auth, reviewer):
    company, invoice = unpaid_company(revenue_band=RevenueBand.UP_TO_50M)
    owner = owner_of(company)
    auth.login(reviewer.email)
    page = client.get(f"/review/invoices/{invoice.id}").get_data(as_text=True)
    assert "Cancel the invoice" in page and "Issue a new joining invoice" not in page
    refused = client.submit(f"/review/invoices/{invoice.id}/cancel", {"version": "1"})
    assert refused.status_code == 400
    assert "Give the reason for cancelling the invoice." in refused.get_data(as_text=True)
    data = {"reason": "The band is wrong: corrected", "version": "1"}
    response = client.submit(f"/review/invoices/{invoice.id}/cancel", data)
    assert response.location == f"/review/invoices/{invoice.id}"
    stale = client.submit(f"/review/invoices/{invoice.id}/cancel", data)
    assert stale.status_code == 409
    company.revenue_band = RevenueBand.UP_TO_2_5M  # the band corrected meanwhile
    db.session.commit()
    page = client.get(f"/review/invoices/{invoice.id}").get_data(as_text=True)
    assert "Cancelled by" in page and "The band is wrong: corrected" in page
    assert "Issue a new joining invoice" in page and "Record the payment" not in page
    response = client.submit(f"/review/invoices/{invoice.id}/reissue", {})
    standing = (Invoice.company_id == company.id, Invoice.state == InvoiceState.ISSUED)
    new = db.session.scalars(select(Invoice).where(*standing)).one()
    assert response.location == f"/review/invoices/{new.id}"
    assert joining_invoices(company) == [
        (RevenueBand.UP_TO_50M, InvoiceState.CANCELLED),
        (RevenueBand.UP_TO_2_5M, InvoiceState.ISSUED),
    ]
    assert services.joining_invoice(company) == new
    issued = select(func.count(OutboxMessage.id)).where(
        OutboxMessage.kind == "invoice_issued", OutboxMessage.recipient == owner.email
    )
    assert db.session.scalar(issued) == 1
    again = client.submit(f"/review/invoices/{invoice.id}/reissue", {})
    assert again.status_code == 302 and len(joining_invoices(company)) == 2


def test_owner_sees_the_cancelled_invoice(client, auth, reviewer):
    company, invoice = unpaid_company()
    owner = owner_of(company)
    services.cancel_invoice(invoice, reviewer, "Internal reason", invoice.version)
    db.session.commit()
    auth.login(owner.email)
    page = client.get(f"/company/invoices/{invoice.number}").get_data(as_text=True)
    assert "Cancelled by ECPAT on" in page and "nothing is owed on this invoice" in page
    assert "Internal reason" not in page and "Please pay by bank transfer" not in page
    listing = client.get("/company/invoices/").get_data(as_text=True)
    assert '<span class="badge badge-neutral">Cancelled</span>' in listing


@pytest.mark.parametrize("role", ["rep_th", "business"])
def test_only_ecpat_staff_cancel_or_reissue(client, auth, request, role):
    company, invoice = unpaid_company()
    user = request.getfixturevalue("rep_th") if role == "rep_th" else owner_of(company)
    auth.login(user.email)
    data = {"reason": "Mine", "version": "1"}
    assert client.submit(f"/review/invoices/{invoice.id}/cancel", data).status_code == 403
    assert client.submit(f"/review/invoices/{invoice.id}/reissue", {}).status_code == 403
    assert db.session.get(Invoice, invoice.id).is_open
