"""Billing services: the fee table, numbering, issuing, payment, waiver and the sign gate."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm.exc import StaleDataError

from tests.factories import CompanyFactory, joining_invoice, owner_of, staff
from tests.plans.helpers import approved_plan
from tracker.audit import AuditEntry
from tracker.auth.models import Role
from tracker.billing import fees, services
from tracker.billing.models import (
    Discount,
    DiscountKind,
    FeeBand,
    Invoice,
    InvoiceKind,
    InvoiceState,
    PaymentMethod,
)
from tracker.companies.criteria import criteria
from tracker.companies.enums import ApplicationStatus, RevenueBand
from tracker.companies.services import SignatureInput, sign_code
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.outbox import OutboxMessage
from tracker.review.services import approve_application

TODAY = date(2026, 12, 6)
PAYMENT = services.PaymentInput(date(2026, 12, 1), PaymentMethod.BANK_TRANSFER, " SWIFT 42 ")


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def approved(**kwargs):
    return CompanyFactory(status=ApplicationStatus.APPROVED, paid__none=True, **kwargs)


@pytest.mark.parametrize(
    ("band", "amount"),
    [
        (RevenueBand.UP_TO_500K, 50),
        (RevenueBand.UP_TO_2_5M, 300),
        (RevenueBand.UP_TO_50M, 800),
        (RevenueBand.ABOVE_50M, 2000),
    ],
)
def test_the_migration_seeds_the_fee_scale(band, amount):
    row = fees.fee_for(band)
    assert (row.amount, row.currency) == (amount, "EUR")


@pytest.mark.parametrize(
    ("kind", "value", "band", "reduction", "due"),
    [
        (DiscountKind.PERCENTAGE, 15, RevenueBand.UP_TO_50M, 120, 680),
        (DiscountKind.PERCENTAGE, 100, RevenueBand.ABOVE_50M, 2000, 0),
        (DiscountKind.AMOUNT, 100, RevenueBand.UP_TO_2_5M, 100, 200),
        (DiscountKind.AMOUNT, 100, RevenueBand.UP_TO_500K, 50, 0),  # never below nothing
    ],
)
def test_quote_takes_the_discount_off_the_fee(kind, value, band, reduction, due):
    discount = Discount(name="Partner", kind=kind, value=value, reason="Partner association")
    price = fees.quote(band, discount)
    assert (price.discount_amount, price.amount, price.discount_reason) == (
        reduction,
        due,
        "Partner association",
    )


def test_numbers_run_per_year():
    numbers = [services.next_number(2026) for _ in range(3)] + [services.next_number(2027)]
    assert numbers == [
        "TC-INV-2026-00001",
        "TC-INV-2026-00002",
        "TC-INV-2026-00003",
        "TC-INV-2027-00001",
    ]


def test_numbers_given_in_parallel_transactions_never_repeat(app):
    def take(_):
        with app.app_context():
            taken = []
            for _ in range(5):
                taken.append(services.next_number(2030))
                db.session.commit()
            return taken

    with ThreadPoolExecutor(max_workers=2) as pool:
        numbers = [n for batch in pool.map(take, range(2)) for n in batch]
    assert sorted(numbers) == [f"TC-INV-2030-{n:05d}" for n in range(1, 11)]


def test_plan_approval_issues_the_joining_invoice_from_the_fee_table(reviewer, restore_fees):
    company = CompanyFactory(revenue_band=RevenueBand.UP_TO_50M)
    owner = owner_of(company)
    fee = db.session.scalar(select(FeeBand).where(FeeBand.band == RevenueBand.UP_TO_50M))
    fee.amount = 750  # an administrator's change applies to invoices issued after it
    approve_application(company, reviewer)
    db.session.commit()
    assert services.joining_invoice(company) is None  # not before the plan is approved
    approved_plan(company, reviewer)
    invoice = services.joining_invoice(company)
    assert (invoice.kind, invoice.amount, invoice.fee, invoice.state) == (
        InvoiceKind.JOINING,
        750,
        750,
        InvoiceState.ISSUED,
    )
    assert invoice.due_on == invoice.issued_at.date() + timedelta(days=30)
    assert invoice.year == services.today().year
    assert actions()[-1] == "invoice.issued"
    # The owner is told in the same transaction: number, amount, due date and its page.
    [message] = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.kind == "invoice_issued", OutboxMessage.recipient == owner.email
        )
    )
    assert message.subject == f"Invoice {invoice.number} from ECPAT"
    assert "Amount due: €750, by " in message.body
    assert invoice.due_on.strftime("%B %-d, %Y") in message.body
    assert f"https://tracker.test/company/invoices/{invoice.number}" in message.body


def test_joining_invoice_is_issued_once(reviewer):
    company = approved()
    first = services.issue_joining_invoice(company, reviewer)
    second = services.issue_joining_invoice(company, reviewer)
    assert first is second
    assert db.session.scalar(select(func.count()).select_from(Invoice)) == 1
    assert actions() == ["invoice.issued"]


def test_discount_is_recorded_on_the_invoice(reviewer):
    company = approved(revenue_band=RevenueBand.UP_TO_2_5M)
    discount = Discount(
        name="Partner association", kind=DiscountKind.PERCENTAGE, value=50, reason="Member of PATA"
    )
    invoice = services.issue_joining_invoice(company, reviewer, discount)
    assert (invoice.fee, invoice.discount_amount, invoice.amount) == (300, 150, 150)
    assert (invoice.discount_name, invoice.discount_reason) == (
        "Partner association",
        "Member of PATA",
    )


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMIN])
def test_ecpat_staff_record_a_payment(role):
    person = staff(role)
    invoice = joining_invoice(approved(), paid=False)
    services.record_payment(invoice, person, PAYMENT, invoice.version, TODAY)
    db.session.commit()
    assert invoice.state is InvoiceState.PAID
    assert (invoice.paid_on, invoice.payment_method, invoice.payment_reference) == (
        date(2026, 12, 1),
        PaymentMethod.BANK_TRANSFER,
        "SWIFT 42",
    )
    assert invoice.recorded_by == person and invoice.recorded_at is not None
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.actor_id, entry.details["reference"]) == (
        "invoice.paid",
        person.id,
        "SWIFT 42",
    )


@pytest.mark.parametrize("action", ["pay", "waive"])
def test_representatives_neither_record_nor_waive(rep_th, action):
    invoice = joining_invoice(approved(), paid=False)
    with pytest.raises(DomainError, match="Only ECPAT staff"):
        if action == "pay":
            services.record_payment(invoice, rep_th, PAYMENT, invoice.version, TODAY)
        else:
            services.waive_invoice(invoice, rep_th, "Hardship", invoice.version)
    assert invoice.state is InvoiceState.ISSUED and actions() == []


def test_payment_needs_a_past_date_and_a_reference(reviewer):
    invoice = joining_invoice(approved(), paid=False)
    tomorrow = services.PaymentInput(TODAY + timedelta(days=1), PaymentMethod.CARD, "X")
    with pytest.raises(DomainError, match="future"):
        services.record_payment(invoice, reviewer, tomorrow, invoice.version, TODAY)
    blank = services.PaymentInput(TODAY, PaymentMethod.CARD, "  ")
    with pytest.raises(DomainError, match="reference"):
        services.record_payment(invoice, reviewer, blank, invoice.version, TODAY)
    assert invoice.state is InvoiceState.ISSUED


def test_a_settled_invoice_is_not_settled_again(reviewer):
    invoice = joining_invoice(approved(), paid=True)
    with pytest.raises(DomainError, match="is paid"):
        services.waive_invoice(invoice, reviewer, "Hardship", invoice.version)
    assert invoice.state is InvoiceState.PAID


def test_payment_refused_for_a_version_not_read(reviewer):
    invoice = joining_invoice(approved(), paid=False)
    with pytest.raises(services.InvoiceConflict, match="changed meanwhile"):
        services.record_payment(invoice, reviewer, PAYMENT, invoice.version + 1, TODAY)
    assert invoice.state is InvoiceState.ISSUED


def test_two_staff_recording_at_once_cannot_both_win(reviewer, admin):
    invoice = joining_invoice(approved(), paid=False)
    seen = invoice.version
    # Another transaction records a waiver after this one read the invoice.
    db.session.execute(
        update(Invoice)
        .where(Invoice.id == invoice.id)
        .values(version=seen + 1, state=InvoiceState.WAIVED, waiver_reason="Hardship")
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(StaleDataError, match="on table 'invoices' expected to update 1 row"):
        services.record_payment(invoice, reviewer, PAYMENT, seen, TODAY)


def test_waiver_needs_a_reason_and_is_audited(admin):
    invoice = joining_invoice(approved(), paid=False)
    with pytest.raises(DomainError, match="reason"):
        services.waive_invoice(invoice, admin, "  ", invoice.version)
    services.waive_invoice(invoice, admin, " First-year hardship ", invoice.version)
    db.session.commit()
    assert (invoice.state, invoice.waiver_reason, invoice.waived_by) == (
        InvoiceState.WAIVED,
        "First-year hardship",
        admin,
    )
    assert actions() == ["invoice.waived"]


@pytest.mark.parametrize(
    ("invoice", "settled"),
    [(None, False), ("issued", False), ("paid", True), ("waived", True), ("cancelled", False)],
)
def test_joining_settled(invoice, settled):
    company = approved()
    if invoice is not None:
        state = InvoiceState(invoice)
        joining_invoice(
            company,
            paid=state is InvoiceState.PAID,
            state=state,
            waiver_reason="Hardship" if state is InvoiceState.WAIVED else None,
        )
    assert services.joining_settled(company) is settled


def signature() -> SignatureInput:
    return SignatureInput("Ana Lee", "CEO", tuple(c.number for c in criteria()), True)


def test_the_owner_signs_only_once_the_joining_invoice_is_settled(reviewer):
    company = approved()
    owner = owner_of(company)
    invoice = joining_invoice(company, paid=False)
    with pytest.raises(DomainError, match="Sign once the invoice is paid"):
        sign_code(company, owner, signature())
    assert not company.has_membership
    services.record_payment(invoice, reviewer, PAYMENT, invoice.version, TODAY)
    sign_code(company, owner, signature())
    assert company.is_member


def test_overdue_is_open_and_past_its_due_date():
    invoice = Invoice(state=InvoiceState.ISSUED, due_on=TODAY)
    assert not invoice.is_overdue(TODAY)
    assert invoice.is_overdue(TODAY + timedelta(days=1))
    invoice.state = InvoiceState.PAID
    assert not invoice.is_overdue(TODAY + timedelta(days=1))


def test_open_invoice_list_is_scoped_and_filters_overdue(rep_th, reviewer):
    thai = approved(countries=("TH",))
    french = approved(countries=("FR",))
    overdue = joining_invoice(thai, paid=False, due_on=TODAY - timedelta(days=1))
    current = joining_invoice(french, paid=False, due_on=TODAY + timedelta(days=5))
    joining_invoice(approved(countries=("TH",)), paid=True)

    def listed(person, overdue_only):
        return list(db.session.scalars(services.list_invoices(person, overdue_only, TODAY)))

    assert listed(reviewer, False) == [overdue, current]
    assert listed(reviewer, True) == [overdue]
    assert listed(rep_th, False) == [overdue]


def test_only_admins_change_fees(reviewer, admin, restore_fees):
    row = fees.fee_for(RevenueBand.UP_TO_500K)
    with pytest.raises(DomainError, match="administrator"):
        fees.update_fee(row, 60, "EUR", reviewer, row.version)
    with pytest.raises(DomainError, match="currency"):
        fees.update_fee(row, 60, "E1", admin, row.version)
    fees.update_fee(row, 60, "chf", admin, row.version)
    db.session.commit()
    assert (row.amount, row.currency) == (60, "CHF")
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.details["before"], entry.details["after"]) == (
        "billing.fee_changed",
        [50, "EUR"],
        [60, "CHF"],
    )


def test_fee_change_refused_for_a_version_not_read(admin, restore_fees):
    row = fees.fee_for(RevenueBand.UP_TO_500K)
    with pytest.raises(fees.InvoiceConflict, match="changed this fee"):
        fees.update_fee(row, 70, "EUR", admin, row.version + 1)


def test_discounts_need_a_reason_and_a_sensible_value(admin, reviewer):
    values = fees.DiscountInput("Partner", DiscountKind.PERCENTAGE, 20, "PATA members")
    with pytest.raises(DomainError, match="administrator"):
        fees.add_discount(reviewer, values)
    with pytest.raises(DomainError, match="from 1 to 100"):
        fees.add_discount(admin, values.__class__("P", DiscountKind.PERCENTAGE, 120, "x"))
    with pytest.raises(DomainError, match="reason"):
        fees.add_discount(admin, values.__class__("P", DiscountKind.AMOUNT, 20, " "))
    discount = fees.add_discount(admin, values)
    assert fees.discounts() == [discount]
    with pytest.raises(DomainError, match="exists already"):
        fees.add_discount(admin, values)
    assert actions() == ["billing.discount_added"]
