"""Plans and invoices decided by two staff at the same instant, through the served app:
one decision wins, one invoice is issued, one payment recorded, never a 500."""

from datetime import date

import httpx
import pytest
from sqlalchemy import func, select

from tests.factories import CompanyFactory, joining_invoice, owner_of, staff
from tests.plans.helpers import submitted_plan
from tests.served.conftest import csrf_token
from tests.served.test_races import in_parallel, signed_in_client, statuses
from tracker.audit import AuditAction, AuditEntry
from tracker.auth.models import Role
from tracker.billing.models import Invoice, InvoiceState
from tracker.companies.enums import Stage
from tracker.extensions import db


@pytest.fixture()
def served(served_app):
    served_app.restart_workers()  # fresh rate-limit counters
    return served_app


def audited(action: AuditAction) -> int:
    db.session.expire_all()
    query = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
    return db.session.scalar(query)


@pytest.fixture()
def reviewers(served):
    """Sign in `count` reviewers (each with its own client), closed after the test."""
    opened: list[httpx.Client] = []

    def sign_in(count: int) -> list[httpx.Client]:
        people = [staff(Role.REVIEWER, email=f"reviewer{i}@example.com") for i in range(count)]
        db.session.commit()
        opened.extend(signed_in_client(served.url, person.email) for person in people)
        return opened

    yield sign_in
    for client in opened:
        client.close()


def applicant(index: int = 0):
    """An approved applicant with an owner and no invoice yet."""
    company = CompanyFactory(stage=Stage.APPROVED, paid__none=True)
    owner_of(company, email=f"owner{index}@example.com")
    return company


def test_two_reviewers_approving_one_plan_issue_one_invoice(reviewers):
    company = applicant()
    plan = submitted_plan(company, company.owner)
    db.session.commit()
    plan_id, version = plan.id, plan.version
    clients = reviewers(2)
    tokens = [csrf_token(client, f"/review/plans/{plan_id}") for client in clients]

    def approve(i: int) -> httpx.Response:
        data = {"csrf_token": tokens[i], "version": str(version), "approve_comment": ""}
        return clients[i].post(f"/review/plans/{plan_id}/approve", data=data)

    responses = in_parallel(2, approve)
    assert statuses(responses) == [302, 302], [r.text[:300] for r in responses]
    assert audited(AuditAction.PLAN_APPROVED) == 1
    invoices = db.session.scalars(select(Invoice).where(Invoice.company_id == company.id)).all()
    assert len(invoices) == 1 and invoices[0].state is InvoiceState.ISSUED
    assert audited(AuditAction.INVOICE_ISSUED) == 1


def test_plans_approved_at_once_get_numbers_of_their_own(reviewers):
    companies = [applicant(i) for i in range(4)]
    plans = [submitted_plan(company, company.owner) for company in companies]
    db.session.commit()
    ids = [(plan.id, plan.version) for plan in plans]
    clients = reviewers(4)
    tokens = [csrf_token(client, f"/review/plans/{ids[i][0]}") for i, client in enumerate(clients)]

    def approve(i: int) -> httpx.Response:
        plan_id, version = ids[i]
        data = {"csrf_token": tokens[i], "version": str(version)}
        return clients[i].post(f"/review/plans/{plan_id}/approve", data=data)

    responses = in_parallel(4, approve)
    assert statuses(responses) == [302] * 4, [r.text[:300] for r in responses]
    db.session.expire_all()
    numbers = sorted(db.session.scalars(select(Invoice.number)))
    year = date.today().year
    assert numbers == [f"TC-INV-{year}-{n:05d}" for n in range(1, 5)]


def test_two_reviewers_recording_one_payment_record_it_once(reviewers):
    company = applicant()
    invoice = joining_invoice(company, paid=False)
    db.session.commit()
    invoice_id, version = invoice.id, invoice.version
    clients = reviewers(2)
    tokens = [csrf_token(client, f"/review/invoices/{invoice_id}") for client in clients]

    def pay(i: int) -> httpx.Response:
        data = {
            "csrf_token": tokens[i],
            "version": str(version),
            "paid_on": date.today().isoformat(),
            "method": "bank_transfer",
            "reference": f"Transfer {i}",
        }
        return clients[i].post(f"/review/invoices/{invoice_id}/pay", data=data)

    responses = in_parallel(2, pay)
    assert statuses(responses) == [302, 409], [r.text[:300] for r in responses]
    assert audited(AuditAction.INVOICE_PAID) == 1
    db.session.expire_all()
    paid = db.session.get(Invoice, invoice_id)
    assert paid.is_paid and paid.payment_reference in {"Transfer 0", "Transfer 1"}
