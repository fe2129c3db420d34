"""The staff reporting dashboard: figures, charts beside tables, lists and their CSV exports."""

import csv
import io
from datetime import date

import pytest

from tests.reports.helpers import complete_answers, member, ready_report
from tracker.extensions import db
from tracker.reports import dashboard, services
from tracker.reports.models import Section
from tracker.reports.standing import ReportingStanding
from tracker.reports.standing_query import count_by_standing

ON = date(2026, 2, 1)
TODAY = date(2026, 11, 30)


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
    services.save_draft(report, complete_answers(report, trained=2), owner, report.version)
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
    assert (figures[2025].employees, figures[2025].trained) == (10, 8)


def test_the_page_shows_charts_with_their_tables(reporting, client, auth, reviewer):
    auth.login(reviewer.email)
    page = client.get("/review/reports/dashboard").get_data(as_text=True)
    assert page.count('role="img"') == 4
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
    services.save_draft(report, complete_answers(report), owner, report.version)
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
