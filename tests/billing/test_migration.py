"""The billing migration carries existing members and approved companies across."""

from datetime import UTC, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from tests.factories import CompanyFactory
from tracker.billing.models import FeeBand, Invoice, InvoiceCounter
from tracker.companies.enums import ApplicationStatus, RevenueBand, Stage
from tracker.extensions import db
from tracker.plans.models import Plan, PlanState

BEFORE = "c4f1a9e27b5d"  # the revision before billing
PAID_BEFORE = "Paid before the tracker kept invoices"


def member(stage: Stage, joined: datetime, **kwargs):
    company = CompanyFactory(stage=stage, paid__none=True, **kwargs)
    company.membership.joined_at = joined
    db.session.commit()
    return company


def test_members_are_paid_up_and_approved_plans_owe_their_joining_fee():
    year = datetime.now(UTC).year
    veteran = member(
        Stage.ACTIVE, datetime(2024, 5, 2, tzinfo=UTC), revenue_band=RevenueBand.UP_TO_50M
    )
    newcomer = member(Stage.SUSPENDED, datetime(year, 1, 3, tzinfo=UTC))
    former = member(Stage.WITHDRAWN, datetime(2023, 7, 1, tzinfo=UTC))
    waiting = CompanyFactory(status=ApplicationStatus.APPROVED, paid__none=True)
    db.session.add(Plan(company=waiting, year=year, state=PlanState.APPROVED))
    planning = CompanyFactory(status=ApplicationStatus.APPROVED, paid__none=True)
    db.session.add(Plan(company=planning, year=year, state=PlanState.SUBMITTED))
    db.session.commit()
    CompanyFactory(stage=Stage.SUBMITTED)
    db.session.commit()  # end the read transaction: on PostgreSQL the DDL waits for its locks
    try:
        downgrade(revision=BEFORE)
    finally:
        upgrade()
    db.session.expire_all()
    rows = db.session.execute(
        select(
            Invoice.number,
            Invoice.company_id,
            Invoice.kind,
            Invoice.year,
            Invoice.amount,
            Invoice.state,
            Invoice.payment_reference,
        ).order_by(Invoice.number)
    ).all()
    this_year = [f"TC-INV-{year}-{n:05d}" for n in (1, 2, 3)]
    assert sorted(tuple(row) for row in rows) == sorted(
        [
            ("TC-INV-2023-00001", former.id, "joining", 2023, 50, "paid", PAID_BEFORE),
            ("TC-INV-2024-00001", veteran.id, "joining", 2024, 800, "paid", PAID_BEFORE),
            (this_year[0], newcomer.id, "joining", year, 50, "paid", PAID_BEFORE),
            (this_year[1], veteran.id, "renewal", year, 800, "paid", PAID_BEFORE),
            (this_year[2], waiting.id, "joining", year, 50, "issued", None),
        ]
    )
    assert planning.id not in {row.company_id for row in rows}  # invoiced once its plan is
    counters = db.session.execute(select(InvoiceCounter.year, InvoiceCounter.last)).all()
    assert sorted(tuple(row) for row in counters) == [(2023, 1), (2024, 1), (year, 3)]
    assert len(db.session.scalars(select(FeeBand)).all()) == 4
