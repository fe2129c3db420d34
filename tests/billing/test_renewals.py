"""The renewal season: which year a member owes, the daily `billing renewals` job (notices
once, renewals issued from the auto-issue day, never twice) and the invoice-issued e-mail."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests.factories import CompanyFactory, joining_invoice, owner_of
from tracker.audit import AuditEntry
from tracker.billing import renewals, season, services
from tracker.billing.models import Invoice, InvoiceKind, InvoiceState, RenewalNotice
from tracker.companies.enums import RevenueBand, Stage
from tracker.companies.models import Company, Membership
from tracker.extensions import db
from tracker.outbox import OutboxMessage


def member(joined: int = 2025, stage: Stage = Stage.ACTIVE, **kwargs):
    """A member that joined on 1 March of `joined`, its joining invoice of that year paid."""
    company = CompanyFactory(stage=stage, paid__none=True, **kwargs)
    company.membership.joined_at = datetime(joined, 3, 1, tzinfo=UTC)
    joining_invoice(company, year=joined)
    return company


def renewal(company, year: int, state: InvoiceState = InvoiceState.PAID) -> Invoice:
    return joining_invoice(
        company, year=year, kind=InvoiceKind.RENEWAL, paid=state is InvoiceState.PAID, state=state
    )


def renewals_of(company) -> list[tuple[int, InvoiceState]]:
    query = (
        select(Invoice.year, Invoice.state)
        .where(Invoice.company_id == company.id, Invoice.kind == InvoiceKind.RENEWAL)
        .order_by(Invoice.id)
    )
    return [tuple(row) for row in db.session.execute(query)]


def queued(kind: str, to: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    if to is not None:
        query = query.where(OutboxMessage.recipient == to)
    return list(db.session.scalars(query))


# Which year is owed --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "owed"),
    [
        (date(2026, 11, 30), None),  # 2026 renewed; the season of 2027 not open yet
        (date(2026, 12, 1), 2027),  # 30 days before 31 December
        (date(2026, 12, 31), 2027),
        (date(2027, 1, 1), 2027),
        (date(2027, 6, 1), 2027),
    ],
)
def test_the_next_year_is_owed_once_its_season_opens(on, owed):
    company = member(2025)
    renewal(company, 2026)
    assert services.renewal_year(company, on) == owed


def test_a_member_of_this_year_owes_next_year_from_december():
    company = member(2026)
    assert services.renewal_year(company, date(2026, 6, 15)) is None
    assert services.renewal_year(company, date(2026, 12, 1)) == 2027


def test_this_years_renewal_comes_before_next_years():
    company = member(2025)  # nothing for 2026 yet, and December: 2026 is still owed first
    assert services.renewal_year(company, date(2026, 12, 10)) == 2026


def test_the_season_opens_as_configured(app, monkeypatch):
    monkeypatch.setitem(app.config, "RENEWAL_OPENS_DAYS", 10)
    company = member(2026)
    assert season.opens_on(2027) == date(2026, 12, 21)
    assert services.renewal_year(company, date(2026, 12, 20)) is None
    assert services.renewal_year(company, date(2026, 12, 21)) == 2027


@pytest.mark.parametrize(
    ("stage", "owes"),
    [(Stage.ACTIVE, True), (Stage.SUSPENDED, True), (Stage.WITHDRAWN, False)],
)
def test_members_active_or_suspended_owe_renewals(stage, owes):
    company = member(2025, stage=stage)
    assert (services.renewal_year(company, date(2026, 3, 1)) == 2026) is owes


def test_a_cancelled_renewal_is_owed_again(reviewer):
    company = member(2025)
    invoice = renewal(company, 2026, InvoiceState.ISSUED)
    assert services.renewal_year(company, date(2026, 3, 1)) is None
    services.cancel_invoice(invoice, reviewer, "Band corrected", invoice.version)
    db.session.commit()
    assert services.renewal_year(company, date(2026, 3, 1)) == 2026
    again = services.issue_invoice(company, InvoiceKind.RENEWAL, 2026, reviewer)
    db.session.commit()
    assert renewals_of(company) == [(2026, InvoiceState.CANCELLED), (2026, InvoiceState.ISSUED)]
    assert again.is_open and services.renewal_year(company, date(2026, 3, 1)) is None


# The daily job -------------------------------------------------------------------------------


def run(runner, day: str):
    result = runner.invoke(args=["billing", "renewals", "--date", day, "--queue-only"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_season_opening_asks_each_owner_once(runner):
    company = member(2026)
    owner = owner_of(company, email="owner.fr@example.com", locale="fr")
    no_owner = member(2026)
    db.session.commit()
    assert "Asked to confirm the band: 0;" in run(runner, "2026-11-30")
    output = run(runner, "2026-12-01")
    assert "Asked to confirm the band: 1; renewal invoices issued: 0" in output
    [message] = queued("renewal_open")
    assert message.recipient == owner.email
    assert message.subject == "Confirmez votre tranche de chiffre d’affaires pour 2027"
    assert "15 janvier 2027" in message.body and "https://tracker.test/company/invoices/" in (
        message.body
    )
    assert "Asked to confirm the band: 0;" in run(runner, "2026-12-02")  # never twice
    assert len(queued("renewal_open")) == 1
    notices = select(RenewalNotice.company_id, RenewalNotice.year)
    assert db.session.execute(notices).all() == [(company.id, 2027)]  # asked once it has one
    assert no_owner.id not in {row.company_id for row in db.session.execute(notices)}
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "invoice.renewal_notice_sent")
    ).one()
    assert (entry.company_id, entry.actor_id, entry.details) == (company.id, None, {"year": 2027})


def test_unconfirmed_renewals_are_issued_from_the_auto_issue_day_once(runner):
    waiting = member(2026, revenue_band=RevenueBand.UP_TO_50M)
    owner = owner_of(waiting)
    confirmed = member(2026)
    renewal(confirmed, 2027, InvoiceState.ISSUED)  # the owner confirmed in December
    db.session.commit()
    assert "renewal invoices issued: 0" in run(runner, "2027-01-14")
    assert renewals_of(waiting) == []
    assert "renewal invoices issued: 1;" in run(runner, "2027-01-15")
    assert "renewal invoices issued: 0;" in run(runner, "2027-01-15")  # the same day again
    assert "renewal invoices issued: 0;" in run(runner, "2027-01-16")
    assert renewals_of(waiting) == [(2027, InvoiceState.ISSUED)]
    assert renewals_of(confirmed) == [(2027, InvoiceState.ISSUED)]
    invoice = db.session.scalars(
        select(Invoice).where(Invoice.company_id == waiting.id, Invoice.year == 2027)
    ).one()
    assert (invoice.band, invoice.amount) == (RevenueBand.UP_TO_50M, 800)  # the band on record
    entry = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "invoice.issued", AuditEntry.company_id == waiting.id
        )
    ).one()
    assert (entry.actor_id, entry.details["number"]) == (None, invoice.number)
    [message] = queued("invoice_issued", owner.email)
    assert invoice.number in message.body


def test_a_parallel_run_that_issued_first_is_skipped(monkeypatch):
    """Both runs saw no renewal: the unique index refuses the second's invoice, and the job
    goes on with the next company instead of failing."""
    company = member(2026)
    later = member(2026)
    renewal(company, 2027, InvoiceState.ISSUED)  # as the other run just did
    monkeypatch.setattr(season, "renewal_year", lambda company, on: 2027)
    counts = renewals.run(date(2027, 1, 20))
    assert (counts.issued, counts.failed) == (1, 0)
    assert renewals_of(company) == [(2027, InvoiceState.ISSUED)]
    assert renewals_of(later) == [(2027, InvoiceState.ISSUED)]


# The invoice-issued e-mail -------------------------------------------------------------------


def test_an_issued_invoice_is_e_mailed_to_the_owner_in_their_language(reviewer):
    company = member(2025, revenue_band=RevenueBand.UP_TO_2_5M)
    owner = owner_of(company, email="duena@example.com", locale="es")
    invoice = services.issue_invoice(company, InvoiceKind.RENEWAL, 2026, reviewer)
    db.session.commit()
    [message] = queued("invoice_issued", owner.email)
    assert message.subject == f"Factura {invoice.number} de ECPAT"
    body = message.body
    assert invoice.number in body and "300" in body and "€" in body
    assert f"{invoice.due_on.day} de " in body and str(invoice.due_on.year) in body
    assert f"https://tracker.test/company/invoices/{invoice.number}" in body


def test_demo_data_has_a_cancelled_invoice_and_a_renewal_awaiting_confirmation(runner):
    result = runner.invoke(args=["demo-data", "--companies", "200", "--seed", "3"])
    assert result.exit_code == 0, result.output
    cancelled = db.session.scalars(
        select(Invoice).where(Invoice.state == InvoiceState.CANCELLED)
    ).one()
    assert cancelled.cancel_reason and services.joining_invoice(cancelled.company).is_open
    today = services.today()
    awaiting = [
        company
        for company in db.session.scalars(select(Company).join(Membership))
        if services.renewal_year(company, today) == today.year
    ]
    assert awaiting
    # Made-up owners get no e-mail; the demo owner's plan approval went through the services.
    recipients = db.session.scalars(select(OutboxMessage.recipient)).all()
    assert recipients == ["owner@demo.thecode.example"]


# Due dates of renewals and the grace days ---------------------------------------------------


def issued_on(monkeypatch, day: date) -> None:
    monkeypatch.setattr(
        services, "utcnow", lambda: datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    )


def test_a_renewal_confirmed_in_december_is_due_at_the_end_of_the_grace_days(monkeypatch):
    """Renewing early is never punished: 30 days after 5 December would be 4 January, when a
    member whose renewal is issued on 15 January still has until February."""
    company = member(2025)
    renewal(company, 2026)
    issued_on(monkeypatch, date(2026, 12, 5))
    invoice = services.confirm_band_and_renew(company, owner_of(company), 2027, date(2026, 12, 5))
    assert invoice.due_on == date(2027, 1, 31)
    assert services.membership_current(company, date(2027, 1, 31))
    assert not services.membership_current(company, date(2027, 2, 1))


def test_a_renewal_issued_on_15_january_keeps_the_membership_current_until_due(monkeypatch):
    company = member(2025)
    renewal(company, 2026)
    issued_on(monkeypatch, date(2027, 1, 15))
    renewals.run(date(2027, 1, 15))
    invoice = db.session.scalar(select(Invoice).where(Invoice.year == 2027))
    assert (invoice.kind, invoice.due_on) == (InvoiceKind.RENEWAL, date(2027, 2, 14))
    assert services.membership_current(company, date(2027, 2, 14))
    assert services.renewal_due_by(company, date(2027, 2, 1)) == date(2027, 2, 14)
    assert not services.membership_current(company, date(2027, 2, 15))
    assert services.payment_overdue(company, date(2027, 2, 15))
