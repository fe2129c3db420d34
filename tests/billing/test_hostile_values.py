"""Hostile values in the billing forms (issue 15): fee table, discounts, payments and
waivers, and invoice addresses. Each is refused beside its field with a 4xx, never a 500, and
changes nothing."""

import pytest
from sqlalchemy import func, select

from tests.factories import CompanyFactory, joining_invoice, owner_of
from tests.test_bad_input import assert_field_error
from tracker.audit import AuditEntry
from tracker.billing.models import Discount, FeeBand
from tracker.companies.enums import RevenueBand, Stage
from tracker.extensions import db

CONTROL = "Remove the invisible control characters from this text."
HUGE = "9" * 30  # past every integer column; PostgreSQL would refuse it with a 500
LIMIT = 2**63  # past BIGINT: an id the database cannot hold


def audit_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def text_of(response, status: int = 400) -> str:
    assert response.status_code == status, response.status_code
    return response.get_data(as_text=True)


@pytest.fixture()
def fee_row(admin, restore_fees):
    return db.session.scalar(select(FeeBand).where(FeeBand.band == RevenueBand.UP_TO_500K))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "-1"}, "amount", "from 0 to"),
        ({"amount": HUGE}, "amount", "from 0 to"),
        ({"amount": "1e3"}, "amount", "whole number"),
        ({"amount": ""}, "amount", "whole number"),
        ({"currency": "ZZZ"}, "currency", "currency code"),
        ({"currency": "€€€"}, "currency", "currency code"),
        ({"currency": "<b>"}, "currency", "currency code"),
        ({"currency": "E\x00R"}, "currency", CONTROL),
    ],
)
def test_a_hostile_fee_changes_nothing(client, auth, admin, fee_row, changes, field, message):
    auth.login(admin.email)
    before, audited = (fee_row.amount, fee_row.currency, fee_row.version), audit_count()
    data = {"amount": "60", "currency": "EUR", "version": str(fee_row.version)} | changes
    page = text_of(client.submit(f"/review/fees/{fee_row.id}", data))
    assert_field_error(page, f"fee-{fee_row.id}-{field}", message)
    db.session.refresh(fee_row)
    assert (fee_row.amount, fee_row.currency, fee_row.version) == before
    assert audit_count() == audited


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"value": "0"}, "value", "at least 1"),
        ({"value": HUGE}, "value", "at least 1"),
        ({"value": "ten"}, "value", "whole number"),
        ({"value": "101"}, "value", "100"),
        ({"kind": "bogus"}, "kind", "Not a valid choice"),
        ({"name": "PATA\x00"}, "name", CONTROL),
        ({"reason": "   "}, "reason", "reason"),
        ({"name": "x" * 121}, "name", "120"),
    ],
)
def test_a_hostile_discount_is_not_added(client, auth, admin, changes, field, message):
    auth.login(admin.email)
    data = {"name": "PATA", "kind": "percentage", "value": "20", "reason": "Partner"} | changes
    page = text_of(client.submit("/review/fees/discounts", data))
    assert message in page
    assert f'id="{field}"' in page and 'aria-invalid="true"' in page
    assert db.session.scalar(select(func.count()).select_from(Discount)) == 0


@pytest.fixture()
def open_invoice():
    company = CompanyFactory(stage=Stage.APPROVED, paid__none=True)
    invoice = joining_invoice(company, paid=False)
    db.session.commit()
    return invoice


PAYMENT = {"paid_on": "2026-03-02", "method": "bank_transfer", "reference": "TRX-1"}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"paid_on": "2026-02-30"}, "paid_on", "date"),
        ({"paid_on": "not a date"}, "paid_on", "date"),
        ({"paid_on": "9999999-01-01"}, "paid_on", "date"),
        ({"method": "cash"}, "method", "Not a valid choice"),
        ({"reference": ""}, "reference", "reference"),
        ({"reference": "TRX\x00"}, "reference", CONTROL),
        ({"reference": "x" * 201}, "reference", "200"),
    ],
)
def test_a_hostile_payment_is_not_recorded(
    client, auth, reviewer, open_invoice, changes, field, message
):
    auth.login(reviewer.email)
    audited = audit_count()
    data = PAYMENT | {"version": str(open_invoice.version)} | changes
    page = text_of(client.submit(f"/review/invoices/{open_invoice.id}/pay", data))
    assert message in page and f'id="{field}"' in page
    db.session.refresh(open_invoice)
    assert open_invoice.is_open and open_invoice.paid_on is None
    assert audit_count() == audited


@pytest.mark.parametrize("version", ["", "abc", "-1", HUGE])
def test_a_payment_with_a_forged_version_is_refused(client, auth, reviewer, open_invoice, version):
    auth.login(reviewer.email)
    data = PAYMENT | {"version": version}
    response = client.submit(f"/review/invoices/{open_invoice.id}/pay", data)
    assert response.status_code in (400, 409)
    db.session.refresh(open_invoice)
    assert open_invoice.is_open


@pytest.mark.parametrize("reason", ["", "   ", "Hardship\x00", "x" * 4001])
def test_a_hostile_waiver_is_refused(client, auth, reviewer, open_invoice, reason):
    auth.login(reviewer.email)
    data = {"reason": reason, "version": str(open_invoice.version)}
    response = client.submit(f"/review/invoices/{open_invoice.id}/waive", data)
    assert response.status_code == 400
    db.session.refresh(open_invoice)
    assert open_invoice.is_open and open_invoice.waiver_reason is None


@pytest.mark.parametrize(
    "path",
    [
        f"/review/invoices/{LIMIT}",
        f"/review/invoices/{LIMIT}/pay",
        f"/review/plans/{LIMIT}",
        f"/review/representatives/{LIMIT}",
    ],
)
def test_ids_past_what_the_database_holds_are_not_found(client, auth, admin, path):
    auth.login(admin.email)
    assert client.get(path).status_code in (404, 405)


@pytest.mark.parametrize(
    "number", ["TC-INV-2026-%00", "9" * 300, "TC-INV-2026-00001%27%20OR%201=1", "%F0%9F%92%A9"]
)
def test_an_owner_asking_for_a_strange_invoice_number_finds_nothing(client, auth, number):
    company = CompanyFactory(stage=Stage.APPROVED, paid__none=True)
    owner = owner_of(company, email="owner.numbers@example.com")
    db.session.commit()
    auth.login(owner.email)
    assert client.get(f"/company/invoices/{number}").status_code == 404
