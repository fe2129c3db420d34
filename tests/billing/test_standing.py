"""A member's fee standing per membership year: paid for it, or payment overdue; each predicate
against its SQL twin, and where staff, the member and the public see them."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.factories import CompanyFactory, joining_invoice, owner_of
from tracker.billing import services
from tracker.billing.models import InvoiceKind, InvoiceState, PaymentMethod
from tracker.billing.standing import (
    membership_current_clause,
    membership_paid_for_clause,
    payment_overdue_clause,
)
from tracker.companies.enums import Stage
from tracker.companies.models import Company
from tracker.extensions import db

ON = date(2026, 6, 15)
YEAR = ON.year


def invoice(company, year, kind="joining", state="issued", due=ON + timedelta(days=10)):
    state = InvoiceState(state)
    return joining_invoice(
        company,
        paid=state is InvoiceState.PAID,
        year=year,
        kind=InvoiceKind(kind),
        state=state,
        due_on=due,
        waiver_reason="Hardship" if state is InvoiceState.WAIVED else None,
    )


PAST_DUE = ON - timedelta(days=1)

# (invoices as (year, kind, state, due), paid for YEAR, payment overdue on ON)
CASES = {
    "no invoice": ([], False, False),
    "joining paid": ([(YEAR, "joining", "paid", PAST_DUE)], True, False),
    "joining waived": ([(YEAR, "joining", "waived", PAST_DUE)], True, False),
    "joining awaiting, not due": ([(YEAR, "joining", "issued", ON)], False, False),
    "joining past due": ([(YEAR, "joining", "issued", PAST_DUE)], False, True),
    "renewal past due": ([(YEAR, "renewal", "issued", PAST_DUE)], False, True),
    "renewal paid": ([(YEAR, "renewal", "paid", PAST_DUE)], True, False),
    "cancelled past due": ([(YEAR, "renewal", "cancelled", PAST_DUE)], False, False),
    "last year paid only": ([(YEAR - 1, "joining", "paid", PAST_DUE)], False, False),
    "last year past due only": ([(YEAR - 1, "renewal", "issued", PAST_DUE)], False, False),
    "joining past due, renewal paid": (
        [(YEAR, "joining", "issued", PAST_DUE), (YEAR, "renewal", "paid", PAST_DUE)],
        True,
        False,
    ),
}


def twin(clause) -> set[int]:
    return set(db.session.scalars(select(Company.id).where(clause)))


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("stage", [Stage.ACTIVE, Stage.SUSPENDED])
def test_each_predicate_agrees_with_its_sql_twin(case, stage):
    invoices, paid, overdue = CASES[case]
    company = CompanyFactory(stage=stage, paid__none=True)
    for year, kind, state, due in invoices:
        invoice(company, year, kind, state, due)
    overdue = overdue and stage is Stage.ACTIVE  # a standing of members only
    assert services.membership_paid_for(company, YEAR) is paid
    assert (company.id in twin(membership_paid_for_clause(YEAR))) is paid
    assert services.payment_overdue(company, ON) is overdue
    assert (company.id in twin(payment_overdue_clause(ON))) is overdue
    assert (services.overdue_among([company.id], ON) == {company.id}) is overdue
    assert services.membership_current(company, ON) is (paid and stage is Stage.ACTIVE)


def test_a_year_is_paid_for_only_by_its_own_invoice():
    company = CompanyFactory(stage=Stage.ACTIVE, paid__none=True)
    invoice(company, YEAR - 1, state="paid")
    assert services.membership_paid_for(company, YEAR - 1)
    assert not services.membership_paid_for(company, YEAR)
    assert services.year_ends(YEAR) == date(YEAR, 12, 31)


# Where it shows --------------------------------------------------------------------------------

THIS_YEAR = services.today().year


def unpaid_member(past_due: bool = True, **kwargs):
    """A member whose invoice for this membership year awaits payment (past its due date)."""
    company = CompanyFactory(stage=Stage.ACTIVE, paid__none=True, **kwargs)
    due = services.today() + timedelta(days=-1 if past_due else 5)
    invoice(company, THIS_YEAR, "joining", "issued", due)
    return company


def test_the_certificate_names_the_membership_year_and_its_end(client, auth):
    company = CompanyFactory(stage=Stage.ACTIVE)  # its joining invoice of this year is paid
    auth.login(owner_of(company).email)
    html = client.get("/company/certificate").get_data(as_text=True)
    assert (
        f"Member of The Code, membership year {THIS_YEAR}, valid until December 31, {THIS_YEAR}"
    ) in html
    french = client.get("/company/certificate", headers={"Accept-Language": "fr"})
    assert f"année d’adhésion {THIS_YEAR}, valable jusqu’au 31 décembre {THIS_YEAR}" in (
        french.get_data(as_text=True)
    )


@pytest.mark.parametrize("past_due", [True, False])
def test_no_certificate_until_this_years_fee_is_recorded(client, auth, past_due):
    company = unpaid_member(past_due)
    auth.login(owner_of(company).email)
    page = client.get("/company/certificate")
    html = page.get_data(as_text=True)
    assert page.status_code == 403
    assert f"membership fee for {THIS_YEAR} is not recorded yet" in html
    assert "qr-code" not in html and "Certificate of membership" not in html
    dashboard = client.get("/company/").get_data(as_text=True)
    assert 'href="/company/certificate"' not in dashboard
    assert f"Your membership fee for {THIS_YEAR} is not recorded yet" in dashboard


def test_last_years_payment_gives_no_certificate_this_year(client, auth):
    company = CompanyFactory(stage=Stage.ACTIVE, paid__none=True)
    invoice(company, THIS_YEAR - 1, state="paid")
    auth.login(owner_of(company).email)
    assert client.get("/company/certificate").status_code == 403


def test_verify_says_whether_the_membership_is_current_never_an_amount(client):
    paid = CompanyFactory(stage=Stage.ACTIVE, display_name="Paid Tours")
    unpaid = unpaid_member(display_name="Unpaid Tours")
    text = client.get(f"/verify/{paid.membership_number}").get_data(as_text=True)
    assert f"Membership current for {THIS_YEAR}" in text
    assert f"Valid until December 31, {THIS_YEAR}." in text
    text = client.get(f"/verify/{unpaid.membership_number}").get_data(as_text=True)
    assert "Unpaid Tours is a member of The Code" in text
    assert f"Membership fee for {THIS_YEAR} not yet recorded" in text
    assert "Membership current" not in text
    assert "EUR" not in text and "€" not in text and "TC-INV" not in text
    spanish = client.get(f"/verify/{unpaid.membership_number}", headers={"Accept-Language": "es"})
    assert f"Cuota de membresía de {THIS_YEAR} aún no registrada" in spanish.get_data(as_text=True)


def test_a_payment_recorded_shows_on_verify_at_once(client, reviewer):
    company = unpaid_member()
    url = f"/verify/{company.membership_number}"
    assert "not yet recorded" in client.get(url).get_data(as_text=True)  # now a kept page
    [due] = services.open_invoices_of(company)
    payment = services.PaymentInput(services.today(), PaymentMethod.CARD, "R1")
    services.record_payment(due, reviewer, payment, due.version, services.today())
    db.session.commit()
    assert f"Membership current for {THIS_YEAR}" in client.get(url).get_data(as_text=True)


def test_staff_see_payment_overdue_and_the_suggested_suspension_reason(client, auth, reviewer):
    overdue = unpaid_member(display_name="Late Payers")
    auth.login(reviewer.email)
    page = client.get(f"/review/companies/{overdue.id}").get_data(as_text=True)
    assert '<strong class="badge badge-danger">Payment overdue</strong>' in page
    assert f"Membership year {THIS_YEAR}: <strong>payment overdue</strong>" in page
    assert f"\nMembership fee for {THIS_YEAR} unpaid</textarea>" in page
    assert overdue.is_member  # suggested, never done by itself
    queue = client.get("/review/?status=active").get_data(as_text=True)
    row = queue.split("Late Payers", 1)[1].split("</tr>", 1)[0]
    assert "Payment overdue" in row


@pytest.mark.parametrize("paid", [True, False])
def test_no_overdue_badge_nor_suggestion_otherwise(client, auth, reviewer, paid):
    company = CompanyFactory(stage=Stage.ACTIVE) if paid else unpaid_member(past_due=False)
    auth.login(reviewer.email)
    page = client.get(f"/review/companies/{company.id}").get_data(as_text=True)
    assert "Payment overdue" not in page and "unpaid</textarea>" not in page
    said = "fee paid or waived" if paid else "fee not recorded yet"
    assert f"Membership year {THIS_YEAR}: {said}." in page


# The grace days of January ------------------------------------------------------------------

PAID_2026 = [(2026, "joining", "paid", date(2026, 3, 1))]
UNPAID_2026 = [(2026, "joining", "issued", date(2026, 3, 1))]
PAID_2025 = [(2025, "joining", "paid", date(2025, 3, 1))]
RENEWAL_DUE_20_JAN = (2027, "renewal", "issued", date(2027, 1, 20))
RENEWAL_DUE_14_FEB = (2027, "renewal", "issued", date(2027, 2, 14))  # issued on 15 January

# (invoices, day, current, the year that makes it current, the renewal due by)
GRACE = {
    "31 December, 2026 paid": (PAID_2026, date(2026, 12, 31), True, 2026, None),
    "1 January, 2026 paid": (PAID_2026, date(2027, 1, 1), True, 2026, date(2027, 1, 31)),
    "last grace day": (PAID_2026, date(2027, 1, 31), True, 2026, date(2027, 1, 31)),
    "the day after": (PAID_2026, date(2027, 2, 1), False, None, None),
    "renewal open, not due": (
        [*PAID_2026, RENEWAL_DUE_20_JAN],
        date(2027, 1, 20),
        True,
        2026,
        date(2027, 1, 20),
    ),
    "renewal overdue in the grace": (
        [*PAID_2026, RENEWAL_DUE_20_JAN],
        date(2027, 1, 21),
        False,
        None,
        None,
    ),
    "renewal paid": (
        [*PAID_2026, (2027, "renewal", "paid", date(2027, 1, 20))],
        date(2027, 1, 10),
        True,
        2027,
        None,
    ),
    "issued 15 January, due in February": (
        [*PAID_2026, RENEWAL_DUE_14_FEB],
        date(2027, 2, 14),
        True,
        2026,
        date(2027, 2, 14),
    ),
    "issued 15 January, overdue": (
        [*PAID_2026, RENEWAL_DUE_14_FEB],
        date(2027, 2, 15),
        False,
        None,
        None,
    ),
    "after the grace, renewal cancelled": (
        [*PAID_2026, (2027, "renewal", "cancelled", date(2027, 2, 14))],
        date(2027, 2, 1),
        False,
        None,
        None,
    ),
    "2026 unpaid": (UNPAID_2026, date(2027, 1, 5), False, None, None),
    "2025 paid only": (PAID_2025, date(2027, 1, 5), False, None, None),
}


@pytest.mark.parametrize("case", GRACE)
@pytest.mark.parametrize("stage", [Stage.ACTIVE, Stage.SUSPENDED])
def test_membership_current_in_the_grace_days_agrees_with_its_sql_twin(case, stage):
    invoices, on, current, year, due_by = GRACE[case]
    company = CompanyFactory(stage=stage, paid__none=True)
    for invoice_year, kind, state, due in invoices:
        invoice(company, invoice_year, kind, state, due)
    current = current and stage is Stage.ACTIVE  # suspended members are never current
    assert services.membership_current(company, on) is current
    assert (company.id in twin(membership_current_clause(on))) is current
    assert services.current_year(company, on) == (year if current else None)
    assert services.renewal_due_by(company, on) == (due_by if current else None)


def test_no_grace_days_when_configured_so(app, monkeypatch):
    monkeypatch.setitem(app.config, "MEMBERSHIP_GRACE_DAYS", 0)
    company = CompanyFactory(stage=Stage.ACTIVE, paid__none=True)
    invoice(company, 2026, state="paid")
    assert services.membership_current(company, date(2026, 12, 31))
    assert not services.membership_current(company, date(2027, 1, 1))
    assert company.id not in twin(membership_current_clause(date(2027, 1, 1)))


@pytest.fixture()
def in_january(monkeypatch):
    """Pages see 10 January 2027: a grace day."""
    from tracker.reports import services as report_services

    day = date(2027, 1, 10)
    monkeypatch.setattr(services, "today", lambda: day)
    monkeypatch.setattr(report_services, "today", lambda: day)
    return day


def test_verify_and_the_certificate_during_the_grace_days(client, auth, in_january):
    company = CompanyFactory(stage=Stage.ACTIVE, paid__none=True, display_name="Graceful")
    invoice(company, 2026, state="paid")
    text = client.get(f"/verify/{company.membership_number}").get_data(as_text=True)
    assert "Membership current for 2026" in text
    assert "Renewal for 2027 due by January 31, 2027." in text
    assert "Valid until" not in text and "not yet recorded" not in text
    auth.login(owner_of(company).email)
    html = client.get("/company/certificate").get_data(as_text=True)
    assert "Member of The Code, membership year 2026, valid until December 31, 2026" in html
