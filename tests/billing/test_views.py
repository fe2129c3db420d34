"""Billing pages: the company's invoices, the sign gate, staff recording and the fee table."""

import html
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import CompanyFactory, UserFactory, joining_invoice, owner_of
from tracker.audit import AuditEntry
from tracker.billing.models import (
    Discount,
    DiscountKind,
    FeeBand,
    Invoice,
    InvoiceKind,
    InvoiceState,
)
from tracker.billing.services import renewal_year, today
from tracker.companies.enums import ApplicationStatus, RevenueBand, Stage
from tracker.extensions import db
from tracker.plans.models import Plan, PlanState


def unpaid_company(**kwargs):
    """An approved company whose plan is approved and whose joining invoice awaits payment."""
    company = CompanyFactory(status=ApplicationStatus.APPROVED, paid=False, **kwargs)
    db.session.add(Plan(company=company, year=company.created_at.year, state=PlanState.APPROVED))
    db.session.commit()
    return company, db.session.scalars(select(Invoice).filter_by(company_id=company.id)).one()


def test_owner_and_colleagues_see_their_invoices(client, auth):
    company, invoice = unpaid_company(legal_name="Lotus Travel Co., Ltd.")
    colleague = UserFactory(company=company)
    for person in (owner_of(company), colleague):
        auth.login(person.email)
        page = client.get("/company/invoices/").get_data(as_text=True)
        assert invoice.number in page and "Awaiting payment" in page
        page = client.get(f"/company/invoices/{invoice.number}").get_data(as_text=True)
        assert "Lotus Travel Co., Ltd." in page  # the buyer
        assert "ECPAT International" in page  # the issuer, from the configuration
        assert "€50" in page and "Print this invoice" in page
        auth.logout()


def test_companies_never_see_another_companys_invoice(client, auth):
    _, invoice = unpaid_company()
    other = CompanyFactory(status=ApplicationStatus.APPROVED)
    auth.login(owner_of(other).email)
    assert client.get(f"/company/invoices/{invoice.number}").status_code == 404
    assert invoice.number not in client.get("/company/invoices/").get_data(as_text=True)
    assert client.get("/company/invoices/not-a-number").status_code == 404


def test_sign_page_shows_the_invoice_until_it_is_paid(client, auth):
    company, invoice = unpaid_company()
    auth.login(owner_of(company).email)
    page = client.get("/company/sign").get_data(as_text=True)
    assert "Sign once the invoice is paid" in page and invoice.number in page
    assert 'name="signatory_name"' not in page
    french = client.get("/company/sign", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Signez une fois la facture payée" in french
    invoice = db.session.get(Invoice, invoice.id)
    invoice.state, invoice.paid_on = InvoiceState.PAID, date(2026, 12, 1)
    db.session.commit()
    page = client.get("/company/sign").get_data(as_text=True)
    assert 'name="signatory_name"' in page and "Sign once the invoice is paid" not in page


def test_dashboard_names_the_unpaid_invoice(client, auth):
    company, invoice = unpaid_company()
    auth.login(owner_of(company).email)
    page = client.get("/company/").get_data(as_text=True)
    due = invoice.due_on.strftime("%B %-d, %Y")
    # The number on one line: a reader copies and types it as one word.
    assert f'Invoice <span class="num-id">{invoice.number}</span> €50, due {due}' in page
    assert "pay the joining invoice, then sign" in page


def test_dashboard_says_nothing_of_paid_invoices(client, auth):
    company = CompanyFactory(status=ApplicationStatus.APPROVED)
    db.session.add(Plan(company=company, year=company.created_at.year, state=PlanState.APPROVED))
    db.session.commit()
    auth.login(owner_of(company).email)
    page = client.get("/company/").get_data(as_text=True)
    assert "TC-INV-" not in page and "Sign The Code" in page


def pay(client, invoice, version=1, **values):
    data = {"paid_on": "2026-12-01", "method": "card", "reference": "Card 7781", **values}
    return client.submit(f"/review/invoices/{invoice.id}/pay", {**data, "version": str(version)})


def test_reviewer_records_a_payment(client, auth, reviewer):
    _, invoice = unpaid_company()
    auth.login(reviewer.email)
    response = pay(client, invoice)
    assert (response.status_code, response.location) == (302, f"/review/invoices/{invoice.id}")
    invoice = db.session.get(Invoice, invoice.id)
    assert (invoice.state, invoice.payment_reference, invoice.recorded_by_id) == (
        InvoiceState.PAID,
        "Card 7781",
        reviewer.id,
    )
    page = client.get(f"/review/invoices/{invoice.id}").get_data(as_text=True)
    assert "Payment recorded by" in page and "Record the payment" not in page


def test_second_recording_of_the_same_version_is_a_conflict(client, auth, reviewer, admin):
    _, invoice = unpaid_company()
    auth.login(reviewer.email)
    assert pay(client, invoice).status_code == 302
    auth.logout()
    auth.login(admin.email)
    response = client.submit(
        f"/review/invoices/{invoice.id}/waive", {"reason": "Hardship", "version": "1"}
    )
    assert response.status_code == 409
    assert "changed meanwhile" in response.get_data(as_text=True)
    invoice = db.session.get(Invoice, invoice.id)
    assert invoice.state is InvoiceState.PAID and invoice.waiver_reason is None
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions.count("invoice.paid") == 1 and "invoice.waived" not in actions


def test_refused_payment_keeps_what_was_typed(client, auth, reviewer):
    _, invoice = unpaid_company()
    auth.login(reviewer.email)
    future = (today() + timedelta(days=3)).isoformat()
    response = pay(client, invoice, paid_on=future, reference="Typed ref")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "cannot be in the future" in page and 'value="Typed ref"' in page
    response = pay(client, invoice, reference="")
    assert response.status_code == 400
    assert "Give the payment's reference." in html.unescape(response.get_data(as_text=True))
    assert db.session.get(Invoice, invoice.id).state is InvoiceState.ISSUED


def test_representative_sees_but_cannot_waive(client, auth, rep_th):
    _, invoice = unpaid_company(countries=("TH",))
    auth.login(rep_th.email)
    page = client.get(f"/review/invoices/{invoice.id}").get_data(as_text=True)
    assert invoice.number in page and "Waive the invoice" not in page
    response = client.submit(
        f"/review/invoices/{invoice.id}/waive", {"reason": "Hardship", "version": "1"}
    )
    assert response.status_code == 403
    assert db.session.get(Invoice, invoice.id).state is InvoiceState.ISSUED


def test_staff_list_of_overdue_invoices(client, auth, reviewer):
    _, late = unpaid_company(display_name="Late Tours")
    late.due_on = today() - timedelta(days=2)
    current = CompanyFactory(display_name="Prompt Tours", status=ApplicationStatus.APPROVED)
    joining_invoice(CompanyFactory(display_name="Owing Tours", paid__none=True), paid=False)
    db.session.commit()
    auth.login(reviewer.email)
    page = client.get("/review/invoices?show=overdue").get_data(as_text=True)
    assert "Late Tours" in page and "Payment overdue" in page and "Owing Tours" not in page
    page = client.get("/review/invoices").get_data(as_text=True)
    assert "Late Tours" in page and "Owing Tours" in page and current.display_name not in page
    page = client.get(f"/review/companies/{late.company_id}").get_data(as_text=True)
    assert late.number in page


def test_the_staff_list_of_invoices_pages_both_ways(client, auth, reviewer):
    for number in range(51):  # 50 a page
        joining_invoice(CompanyFactory(display_name=f"Owing {number}", paid__none=True), False)
    db.session.commit()
    auth.login(reviewer.email)
    first = client.get("/review/invoices").get_data(as_text=True)
    assert "Page 1 of 2" in first and 'href="/review/invoices?page=2" rel="next"' in first
    assert 'rel="prev"' not in first
    second = client.get("/review/invoices?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and 'href="/review/invoices?page=1" rel="prev"' in second
    assert 'rel="next"' not in second
    overdue = client.get("/review/invoices?show=overdue").get_data(as_text=True)
    assert 'class="pager"' not in overdue  # none is overdue: one page, no pager


def test_admin_changes_a_fee(client, auth, admin, restore_fees):
    row = db.session.scalar(select(FeeBand).where(FeeBand.band == RevenueBand.ABOVE_50M))
    auth.login(admin.email)
    assert "Above €50 million" in client.get("/review/fees").get_data(as_text=True)
    data = {"amount": "2100", "currency": "EUR", "version": str(row.version)}
    response = client.submit(f"/review/fees/{row.id}", data)
    assert (response.status_code, response.location) == (302, "/review/fees")
    db.session.refresh(row)
    assert row.amount == 2100
    stale = client.submit(f"/review/fees/{row.id}", {**data, "amount": "9"})
    assert stale.status_code == 409
    refused = client.submit(f"/review/fees/{row.id}", {**data, "amount": "-5", "version": "2"})
    assert refused.status_code == 400 and "from 0 to" in refused.get_data(as_text=True)
    db.session.refresh(row)
    assert row.amount == 2100
    assert client.submit("/review/fees/999999", data).status_code == 404


@pytest.mark.parametrize(("language", "typed"), [("fr", "2 100"), ("es", "2.100"), ("en", "2,100")])
def test_a_fee_is_typed_the_readers_way(client, auth, admin, restore_fees, language, typed):
    row = db.session.scalar(select(FeeBand).where(FeeBand.band == RevenueBand.ABOVE_50M))
    auth.login(admin.email)
    client.set_cookie("language", language)
    data = {"amount": typed, "currency": "EUR", "version": str(row.version)}
    assert client.submit(f"/review/fees/{row.id}", data).status_code == 302
    db.session.refresh(row)
    assert row.amount == 2100


def test_admin_adds_a_discount(client, auth, admin):
    auth.login(admin.email)
    data = {"name": "PATA", "kind": "percentage", "value": "20", "reason": "Partner association"}
    response = client.submit("/review/fees/discounts", data)
    assert response.status_code == 302
    assert db.session.scalars(select(Discount.name)).all() == ["PATA"]
    refused = client.submit("/review/fees/discounts", {**data, "reason": ""})
    assert refused.status_code == 400 and 'value="PATA"' in refused.get_data(as_text=True)


def veteran_member():
    company = CompanyFactory(stage=Stage.ACTIVE, revenue_band=RevenueBand.UP_TO_2_5M)
    company.membership.joined_at = datetime(2024, 3, 1, tzinfo=UTC)
    db.session.commit()
    return company


def test_member_confirms_its_band_and_gets_the_renewal_invoice(client, auth):
    company = veteran_member()
    owner = owner_of(company)
    auth.login(owner.email)
    year = today().year
    assert f"Confirm your revenue band for {year}" in client.get("/company/").get_data(as_text=True)
    refused = client.submit("/company/invoices/renew", {"year": str(year)})
    assert refused.status_code == 302 and db.session.scalar(select(func.count(Invoice.id))) == 1
    response = client.submit("/company/invoices/renew", {"year": str(year), "confirmed": "y"})
    renewal = db.session.scalar(select(Invoice).where(Invoice.kind == InvoiceKind.RENEWAL))
    assert (renewal.year, renewal.amount, renewal.state) == (year, 300, InvoiceState.ISSUED)
    assert response.location == f"/company/invoices/{renewal.number}"
    # Once issued, no second renewal for the year.
    again = client.submit("/company/invoices/renew", {"year": str(year), "confirmed": "y"})
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(Invoice.id))) == 2
    page = client.get("/company/invoices/").get_data(as_text=True)
    # (From December the next year's season may be open: that year is asked for instead.)
    assert f"Confirm your revenue band for {year}" not in page and renewal.number in page


def test_two_confirmations_at_the_same_moment_issue_one_renewal(client, auth, monkeypatch):
    """Both requests passed the "none issued yet" check: the unique (company, year, kind)
    refuses the second, which the owner reads as a message, not an error page."""
    from tracker.billing import services as billing_services

    company = veteran_member()
    owner = owner_of(company)
    auth.login(owner.email)
    year = today().year
    data = {"year": str(year), "confirmed": "y"}
    assert client.submit("/company/invoices/renew", data).status_code == 302
    monkeypatch.setattr(billing_services, "renewal_year", lambda company, on: year)
    second = client.submit("/company/invoices/renew", data)
    assert (second.status_code, second.location) == (302, "/company/invoices/")
    page = client.get("/company/invoices/").get_data(as_text=True)
    assert "Your renewal invoice is already issued." in page
    renewals = select(func.count(Invoice.id)).where(Invoice.kind == InvoiceKind.RENEWAL)
    assert db.session.scalar(renewals) == 1


def test_only_the_owner_confirms_the_band(client, auth):
    company = veteran_member()
    colleague = UserFactory(company=company)
    auth.login(colleague.email)
    page = client.get("/company/invoices/").get_data(as_text=True)
    assert "owner confirms it." in page and "Confirm and receive" not in page
    data = {"year": str(today().year), "confirmed": "y"}
    assert client.submit("/company/invoices/renew", data).status_code == 403
    assert db.session.scalar(select(func.count(Invoice.id))) == 1


def test_no_renewal_in_the_joining_year():
    company = CompanyFactory(stage=Stage.ACTIVE)
    company.membership.joined_at = datetime(2026, 3, 1, tzinfo=UTC)
    assert renewal_year(company, date(2026, 6, 15)) is None
    assert renewal_year(veteran_member(), date(2026, 6, 15)) == 2026


def test_reviewer_applies_a_discount_to_an_open_invoice(client, auth, reviewer):
    company, invoice = unpaid_company(revenue_band=RevenueBand.UP_TO_50M)
    discount = Discount(name="PATA", kind=DiscountKind.PERCENTAGE, value=25, reason="Partner")
    db.session.add(discount)
    db.session.commit()
    auth.login(reviewer.email)
    assert "Apply the discount" in client.get(f"/review/invoices/{invoice.id}").get_data(
        as_text=True
    )
    data = {"discount": str(discount.id), "version": "1"}
    response = client.submit(f"/review/invoices/{invoice.id}/discount", data)
    assert response.status_code == 302
    invoice = db.session.get(Invoice, invoice.id)
    # The 800 fee of the band less 25%: 200 off, 600 due.
    assert (invoice.fee, invoice.discount_amount, invoice.amount) == (800, 200, 600)
    assert (invoice.discount_name, invoice.discount_reason) == ("PATA", "Partner")
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.details["amount"]) == ("invoice.discounted", 600)
    stale = client.submit(f"/review/invoices/{invoice.id}/discount", data)
    assert stale.status_code == 409
    unknown = client.submit(
        f"/review/invoices/{invoice.id}/discount", {"discount": "999", "version": "2"}
    )
    assert unknown.status_code == 400


def test_settling_the_joining_invoice_tells_the_owner_to_sign(client, auth, reviewer, admin, smtp):
    company, invoice = unpaid_company()
    owner = owner_of(company, email="owner.fr@example.com", locale="fr")
    db.session.commit()
    auth.login(reviewer.email)
    assert pay(client, invoice).status_code == 302
    [message] = smtp.to(owner.email)
    body = message.get_payload(decode=True).decode()
    assert invoice.number in body and "signe The Code" in body
    assert "https://tracker.test/company/sign" in body
    other, unpaid = unpaid_company()
    other_owner = owner_of(other, email="owner.en@example.com")
    db.session.commit()
    auth.logout()
    auth.login(admin.email)
    waived = {"reason": "Partner association, first year", "version": "1"}
    assert client.submit(f"/review/invoices/{unpaid.id}/waive", waived).status_code == 302
    [message] = smtp.to(other_owner.email)
    assert f"ECPAT waived invoice {unpaid.number}." in message.get_payload(decode=True).decode()


def test_a_refused_payment_sends_nothing(client, auth, reviewer, smtp):
    company, invoice = unpaid_company()
    owner = owner_of(company)
    auth.login(reviewer.email)
    assert pay(client, invoice, reference="").status_code == 400
    assert smtp.to(owner.email) == []
