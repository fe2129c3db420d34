"""The staff reporting dashboard: figures, charts beside tables, lists and their CSV exports."""

import csv
import io
import re
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import joining_invoice
from tests.reports.helpers import accepted_report, complete_answers, member, ready_report
from tracker.billing.models import Invoice, InvoiceKind, InvoiceState
from tracker.extensions import db
from tracker.plans.models import Plan, PlanState
from tracker.reports import drafting, services
from tracker.reports.models import Section
from tracker.reports.standing import ReportingStanding
from tracker.reports.standing_query import count_by_standing
from tracker.reports.training import StaffGroup
from tracker.review.reports import dashboard

ON = date(2026, 2, 1)
TODAY = date(2026, 11, 30)


def row_cells(page: str, heading: str) -> list[str]:
    """The texts of the cells after the row heading `heading` (tags inside a cell dropped)."""
    row = re.search(rf'<th scope="row"[^>]*>(?:<a [^>]*>)?{re.escape(heading)}.*?</tr>', page, re.S)
    assert row, f"no row headed {heading!r}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    return [re.sub(r"<[^>]+>", "", cell) for cell in cells]


@pytest.fixture()
def reporting(reviewer, monkeypatch):
    """Four members on 30 November 2026: one accepted, one overdue for long (joined 2023 and
    never reported), one overdue shortly (returned), one with an extension."""
    monkeypatch.setattr(services, "today", lambda: TODAY)
    good, owner = member(countries=("TH",), display_name="Good Tours", joined=date(2024, 5, 1))
    report = ready_report(good, owner)
    services.submit_report(report, owner, report.version, ON)
    services.accept_report(report, reviewer, "", report.version)
    late, _ = member(countries=("FR",), display_name="=Late Hotels", joined=date(2023, 5, 1))
    returned, owner = member(countries=("TH",), display_name="Returned Co", joined=date(2024, 5, 1))
    report = ready_report(returned, owner)
    drafting.save_draft(report, complete_answers(report, trained=2), owner, report.version)
    services.submit_report(report, owner, report.version, ON)
    services.return_report(report, reviewer, {Section.TRAINING: "More"}, "", report.version)
    extended, _ = member(countries=("TH",), display_name="Extended Ltd", joined=date(2024, 5, 1))
    services.grant_extension(extended, 2025, date(2026, 12, 31), "Storm", reviewer, TODAY)
    db.session.commit()
    return good, late, returned, extended


def test_counts_and_lists(reporting, reviewer, app, monkeypatch):
    counts = count_by_standing(reviewer, TODAY)
    assert counts[ReportingStanding.GOOD] == 1
    assert counts[ReportingStanding.OVERDUE] == 2
    assert counts[ReportingStanding.EXTENDED] == 1
    names = [row.name for row in dashboard.listed(reviewer, TODAY, "overdue")]
    assert names == ["=Late Hotels", "Returned Co"]  # the longest overdue first
    suspension = dashboard.listed(reviewer, TODAY, "suspension")  # over 180 days
    assert [(row.name, row.year, row.days_overdue) for row in suspension] == [
        ("=Late Hotels", 2024, 609),  # due 31 March 2025
        ("Returned Co", 2025, 244),  # due 31 March 2026
    ]
    monkeypatch.setitem(app.config, "OVERDUE_SUSPENSION_DAYS", 300)
    assert [row.name for row in dashboard.listed(reviewer, TODAY, "suspension")] == ["=Late Hotels"]


def test_years_count_who_owed_and_who_handed_in(reporting, reviewer):
    figures = {y.year: y for y in dashboard.years(reviewer, TODAY)}
    assert (figures[2025].owed, figures[2025].handed_in) == (4, 1)
    assert (figures[2024].owed, figures[2024].handed_in) == (1, 0)
    assert (figures[2025].employees, figures[2025].trained, figures[2025].current) == (10, 8, 8)


def test_training_counts_the_currently_trained_per_year_country_and_group(
    reviewer, client, auth, monkeypatch
):
    monkeypatch.setattr(services, "today", lambda: TODAY)
    grouped, owner = member(countries=("TH", "KH"), display_name="Grouped Tours")
    report = ready_report(grouped, owner)
    for row in report.training:  # per country: 25 employees, 3 trained in 2025, 20 current
        row.groups.clear()
        db.session.flush()  # the helper's groups gone before these are added
        for staff_group, (employees, trained, current) in {
            StaffGroup.FRONT_LINE: (20, 2, 15),
            StaffGroup.MANAGEMENT: (5, 1, 5),
        }.items():
            group = row.group(staff_group)
            group.employees, group.refresher_in_person, group.current = employees, trained, current
        row.add_up()
    services.submit_report(report, owner, report.version, ON)
    legacy, owner = member(countries=("TH",), display_name="Legacy Hotels")
    report = ready_report(legacy, owner)  # 10 employees, 8 trained (and current)
    services.submit_report(report, owner, report.version, ON)
    for row in report.training:  # as a report from before staff groups: totals only
        row.groups.clear()
    db.session.commit()
    year = {y.year: y for y in dashboard.years(reviewer, TODAY)}[2025]
    assert (year.employees, year.trained, year.current) == (60, 14, 48)
    assert year.coverage == 0.8  # 48 of 60 currently trained, though 14 trained in 2025
    assert dashboard.coverage_by_country(reviewer, 2025) == [
        ("TH", 35, 11, 28),
        ("KH", 25, 3, 20),
    ]
    groups = dashboard.training_by_group(reviewer, 2025)
    assert [(g.staff_group, g.employees, g.current, g.coverage) for g in groups] == [
        (StaffGroup.FRONT_LINE, 40, 30, 0.75),
        (StaffGroup.MANAGEMENT, 10, 10, 1.0),
    ]
    auth.login(reviewer.email)
    page = client.get("/review/reports/dashboard").get_data(as_text=True)
    assert row_cells(page, "2025")[3:] == ["60", "14", "48", "80%"]
    assert row_cells(page, "Thailand") == ["35", "11", "28", "80%"]
    assert row_cells(page, "Front-line staff") == ["40", "30", "75%"]


def test_the_page_shows_charts_with_their_tables(reporting, client, auth, reviewer):
    auth.login(reviewer.email)
    page = client.get("/review/reports/dashboard").get_data(as_text=True)
    assert page.count('role="img"') == 5  # and criteria implemented
    assert "Reporting rate per year" in page and "Members to consider for suspension" in page
    assert "Returned Co" in page and "Extended Ltd" in page


def test_a_representative_sees_their_countries_only(reporting, client, auth, rep_fr):
    auth.login(rep_fr.email)
    page = client.get("/review/reports/dashboard").get_data(as_text=True)
    assert "=Late Hotels" in page
    assert "Returned Co" not in page and "Good Tours" not in page


def test_csv_export_is_the_whole_list_and_escapes_formulas(reporting, client, auth, reviewer):
    auth.login(reviewer.email)
    response = client.get("/review/reports/dashboard/overdue.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["membership_number", "company"]
    assert [row[1] for row in rows[1:]] == ["'=Late Hotels", "Returned Co"]
    assert client.get("/review/reports/dashboard/everyone.csv").status_code == 404


def test_no_reports_at_all(client, auth, reviewer):
    auth.login(reviewer.email)
    response = client.get("/review/reports/dashboard")
    assert response.status_code == 200
    assert "None." in response.get_data(as_text=True)


def test_the_page_is_kept_until_a_report_changes(reporting, client, auth, reviewer):
    """The figures are counted once per day and data version: a decision shows at once."""
    _good, _late, returned, _extended = reporting
    auth.login(reviewer.email)
    before = client.get("/review/reports/dashboard").get_data(as_text=True)
    assert "Returned Co" in before
    report = services.report_for(returned, 2025)
    owner = returned.owner
    drafting.save_draft(report, complete_answers(report), owner, report.version)
    services.submit_report(report, owner, report.version, ON)
    db.session.commit()
    after = client.get("/review/reports/dashboard").get_data(as_text=True)
    overdue_list = after.split("Members with an overdue report")[1].split("</section>")[0]
    assert "Returned Co" not in overdue_list


def test_an_extension_shows_at_once(reporting, client, auth, reviewer):
    # (Not "=Late Hotels": its 2024 report can be extended only until 2025's due date, which
    # has passed, so no extension can take it out of the overdue list.)
    _good, _late, returned, _extended = reporting
    auth.login(reviewer.email)
    client.get("/review/reports/dashboard")
    services.grant_extension(returned, 2025, date(2026, 12, 24), "Fire", reviewer, TODAY)
    db.session.commit()
    page = client.get("/review/reports/dashboard").get_data(as_text=True)
    extended_list = page.split("Members with a later due date")[1].split("</section>")[0]
    assert "Returned Co" in extended_list


# -- Fees, plans pending and criteria implemented ----------------------------------------------


def renewal(company, year: int, state: InvoiceState, **values):
    """A renewal invoice of 100 in `state` (paid, waived and cancelled with what they need)."""
    settled = {
        InvoiceState.PAID: {"paid_on": date(year, 1, 15)},
        InvoiceState.WAIVED: {"waiver_reason": "Hardship"},
    }.get(state, {})
    values = {"fee": 100, "amount": 100, "due_on": date(year, 1, 31)} | settled | values
    paid = state is InvoiceState.PAID
    return joining_invoice(
        company, paid=paid, kind=InvoiceKind.RENEWAL, year=year, state=state, **values
    )


@pytest.fixture()
def billed(reporting, reviewer):
    """On top of `reporting` (each member's joining invoice of 2026 paid, 500 EUR):
    renewals of 2026 awaiting payment past due (Late, in France), waived (Returned), cancelled
    (Extended), one of 2027 not yet due (Good) and one of 2025 paid in USD (Good); a submitted
    plan (Good, Thailand) and a returned one (Late); a second accepted 2025 report, from France,
    with too few contracts with the clause."""
    good, late, returned, extended = reporting
    renewal(late, 2026, InvoiceState.ISSUED, due_on=date(2026, 10, 1))
    renewal(returned, 2026, InvoiceState.WAIVED)
    renewal(extended, 2026, InvoiceState.CANCELLED)
    renewal(good, 2027, InvoiceState.ISSUED, due_on=date(2027, 1, 31))
    renewal(good, 2025, InvoiceState.PAID, currency="USD", amount=80)
    db.session.add(Plan(company=good, year=2026, state=PlanState.SUBMITTED))
    db.session.add(Plan(company=late, year=2026, state=PlanState.RETURNED))
    partial, owner = member(countries=("FR",), display_name="Partial Inns")
    accepted_report(
        partial,
        owner,
        reviewer,
        answers=lambda r: replace(complete_answers(r), contracts_with_clause=9),
    )
    for invoice in db.session.scalars(select(Invoice).where(Invoice.kind == InvoiceKind.JOINING)):
        invoice.year, invoice.amount = 2026, 500  # the factory's: a known amount and year
    db.session.commit()
    return reporting


def test_fees_per_membership_year_and_currency(billed, reviewer):
    fees = {(row.year, row.currency): row for row in dashboard.fees(reviewer, TODAY)}
    assert sorted(fees) == [(2025, "USD"), (2026, "EUR"), (2027, "EUR")]
    this_year = fees[2026, "EUR"]
    assert this_year.invoiced == dashboard.Money(7, 5 * 500 + 200)  # the cancelled one not
    assert this_year.paid == dashboard.Money(5, 2500)
    assert this_year.waived == dashboard.Money(1, 100)
    assert this_year.overdue == dashboard.Money(1, 100)
    assert fees[2027, "EUR"].overdue == dashboard.Money(0, 0)  # due in January
    assert fees[2025, "USD"].paid == dashboard.Money(1, 80)
    # The SQL agrees with the invoices' own predicates.
    invoices = db.session.scalars(select(Invoice).where(Invoice.year == 2026)).all()
    assert this_year.overdue.count == sum(i.is_overdue(TODAY) for i in invoices)
    assert this_year.paid.count == sum(i.is_paid for i in invoices)
    assert this_year.waived.count == sum(i.is_waived for i in invoices)


def test_plans_pending(billed, reviewer, rep_fr):
    assert dashboard.plans_pending(reviewer) == {PlanState.SUBMITTED: 1, PlanState.RETURNED: 1}
    assert dashboard.plans_pending(rep_fr) == {PlanState.SUBMITTED: 0, PlanState.RETURNED: 1}


def test_implementation_rates_per_criterion(billed, reviewer, app, monkeypatch):
    rates = dashboard.implementation_rates(reviewer)
    assert (rates.year, rates.accepted) == (2025, 2)
    assert rates.met == {1: 2, 2: 2, 3: 1, 4: 2, 5: 2}
    assert rates.rate(3) == 0.5
    monkeypatch.setitem(
        app.config, "TRAINING_COVERAGE_MIN", 90
    )  # 80% trained: criterion 2 no longer met
    assert dashboard.implementation_rates(reviewer).met[2] == 0


def test_no_implementation_rates_before_any_report_is_accepted(reviewer):
    assert dashboard.implementation_rates(reviewer) is None


def test_a_representative_counts_their_countries_only(billed, rep_fr):
    fees = {(row.year, row.currency): row for row in dashboard.fees(rep_fr, TODAY)}
    assert sorted(fees) == [(2026, "EUR")]  # Late Hotels and Partial Inns, in France
    assert fees[2026, "EUR"].invoiced == dashboard.Money(3, 1000 + 100)
    assert fees[2026, "EUR"].overdue == dashboard.Money(1, 100)
    rates = dashboard.implementation_rates(rep_fr)
    assert (rates.accepted, rates.met[3], rates.met[1]) == (1, 0, 1)


def test_the_page_shows_fees_plans_and_criteria(billed, client, auth, reviewer):
    auth.login(reviewer.email)
    page = client.get("/review/reports/dashboard").get_data(as_text=True)
    fees = page.split('id="fees-heading"')[1].split("</section>")[0]
    assert "2026 (EUR)" in fees and "2025 (USD)" in fees
    plans = page.split('id="plans-heading"')[1].split("</section>")[0]
    assert (
        'href="/review/plans/?state=submitted"' in plans and "Submitted, under review: 1" in plans
    )
    criteria = page.split('id="criteria-heading"')[1].split("</section>")[0]
    assert "Criteria implemented, 2025" in page and "50%" in criteria
    assert "Policy and procedures" in criteria


def test_the_figures_follow_a_payment_and_a_plan_decision(billed, client, auth, reviewer):
    _good, late, _returned, _extended = billed
    auth.login(reviewer.email)
    client.get("/review/reports/dashboard")  # counted and kept
    invoice = db.session.scalar(
        select(Invoice).where(
            Invoice.company == late, Invoice.year == 2026, Invoice.kind == InvoiceKind.RENEWAL
        )
    )
    invoice.state, invoice.paid_on = InvoiceState.PAID, TODAY
    plan = db.session.scalar(select(Plan).where(Plan.company == late))
    plan.state = PlanState.SUBMITTED
    db.session.commit()
    page = client.get("/review/reports/dashboard").get_data(as_text=True)
    assert "Submitted, under review: 2" in page
    fees = dashboard.fees(reviewer, TODAY)
    assert [row.overdue.count for row in fees if row.year == 2026] == [0]
    assert row_cells(page, "2026 (EUR)")[3].startswith("0 (")  # the overdue cell: none left


@pytest.fixture()
def abroad(billed, reviewer, rep_fr):
    """On top of `billed`: Safari Lodge, operating only in Kenya and assigned to the French
    representative (its 2025 report accepted, a plan submitted, a 2026 renewal overdue), and
    Nairobi Tours, in Kenya too but not assigned (overdue since 2024, a plan submitted, a 2026
    renewal overdue)."""
    assigned, owner = member(countries=("KE",), display_name="Safari Lodge")
    assigned.representative = rep_fr.representative
    accepted_report(assigned, owner, reviewer)
    unassigned, _ = member(countries=("KE",), display_name="Nairobi Tours", joined=date(2023, 5, 1))
    for company in (assigned, unassigned):
        renewal(company, 2026, InvoiceState.ISSUED, due_on=date(2026, 10, 1))
        db.session.add(Plan(company=company, year=2026, state=PlanState.SUBMITTED))
        joining = db.session.scalar(
            select(Invoice).where(Invoice.company == company, Invoice.kind == InvoiceKind.JOINING)
        )
        joining.year, joining.amount = 2026, 500  # as `billed` does: a known amount and year
    db.session.commit()
    return assigned, unassigned


def test_a_representative_counts_its_assigned_members_abroad(abroad, rep_fr):
    """Every figure counts what rep_fr may see: Late Hotels and Partial Inns (in France) and
    Safari Lodge (assigned, in Kenya); never Nairobi Tours (Kenya, not assigned)."""
    figures = dashboard.figures(rep_fr, TODAY, None)
    assert figures["by_country"] == [("FR", 2, 1), ("KE", 1, 0)]
    assert sum(figures["counts"].values()) == 3
    assert figures["counts"][ReportingStanding.OVERDUE] == 1  # Late Hotels
    assert [(row[1], row[2]) for row in figures["by_type"]] == [(3, 1)]  # all tour operators
    by_year = {y.year: (y.owed, y.handed_in, y.employees, y.trained) for y in figures["years"]}
    # 2025: all three owed it; Partial Inns and Safari Lodge handed in one row of 10, 8 trained
    assert by_year[2025] == (3, 2, 20, 16)
    assert by_year[2024] == (1, 0, 0, 0)  # Late Hotels, joined in 2023
    assert figures["coverage_year"] == 2025
    assert figures["coverage"] == [("FR", 10, 8, 8), ("KE", 10, 8, 8)]
    assert [row.name for row in figures["lists"]["overdue"]] == ["=Late Hotels"]
    fees = {(row.year, row.currency): row for row in figures["fees"]}
    # Joining invoices of Late, Partial and Safari (500 each, paid), renewals of Late and
    # Safari (100 each, both overdue); none of Nairobi Tours'.
    assert sorted(fees) == [(2026, "EUR")]
    assert fees[2026, "EUR"].invoiced == dashboard.Money(5, 1700)
    assert fees[2026, "EUR"].paid == dashboard.Money(3, 1500)
    assert fees[2026, "EUR"].overdue == dashboard.Money(2, 200)
    assert figures["plans"] == {PlanState.SUBMITTED: 1, PlanState.RETURNED: 1}
    rates = figures["implementation"]
    assert (rates.year, rates.accepted, rates.met[3]) == (2025, 2, 1)


def test_the_reviewer_counts_the_unassigned_member_too(abroad, reviewer):
    figures = dashboard.figures(reviewer, TODAY, None)
    assert dict((code, total) for code, total, _ in figures["by_country"])["KE"] == 2
    assert dashboard.plans_pending(reviewer)[PlanState.SUBMITTED] == 3


def test_a_representatives_page_lists_its_member_abroad(abroad, client, auth, rep_fr):
    auth.login(rep_fr.email)
    page = client.get("/review/reports/dashboard").get_data(as_text=True)
    assert "those assigned to your organisation, wherever they operate" in page
    country = page.split('id="country-heading"')[1].split("</table>")[0]
    assert "Kenya" in country and "France" in country
    assert "Nairobi Tours" not in page
