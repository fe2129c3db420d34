"""One due date everywhere: once staff extend a report, every page a member reads shows the
new date and the one it replaced, never the old date alone."""

from datetime import date

import pytest

from tests.reports.helpers import member
from tracker.extensions import db
from tracker.reports import drafting, services

GRANTED_ON = date(2026, 2, 1)
TODAY = date(2026, 12, 7)  # the 2025 report was due on March 31, 2026


@pytest.fixture()
def today(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: TODAY)


@pytest.fixture()
def extended(auth, reviewer, today):
    """A signed-in member whose 2025 report is extended to January 20, 2027, started."""
    company, owner = member()
    services.grant_extension(company, 2025, date(2027, 1, 20), "Flood", reviewer, GRANTED_ON)
    drafting.start_report(company, 2025, owner, GRANTED_ON)
    db.session.commit()
    auth.login(owner.email)
    return company


@pytest.fixture()
def not_extended(auth, today):
    company, owner = member(joined=date(2025, 5, 1))  # first report, 2026, due March 31, 2027
    drafting.start_report(company, 2026, owner, TODAY)
    db.session.commit()
    auth.login(owner.email)
    return company


PAGES = ["/company/", "/company/reports/", "/company/reports/2025"]


@pytest.mark.parametrize("url", PAGES)
def test_an_extended_report_shows_the_new_date_and_the_old(client, extended, url):
    page = client.get(url).get_data(as_text=True)
    assert "due January 20, 2027, extended from March 31, 2026" in page.replace("Due", "due")


def test_the_report_list_shows_the_extension_beside_the_year(client, extended):
    page = client.get("/company/reports/").get_data(as_text=True)
    assert (
        "Covers January 1, 2025 to December 31, 2025; due January 20, 2027, extended from" in page
    )


def test_the_form_header_shows_the_new_date(client, extended):
    page = client.get("/company/reports/2025").get_data(as_text=True)
    assert "Due January 20, 2027, extended from March 31, 2026." in page
    assert "Due on March 31, 2026" not in page


@pytest.mark.parametrize("url", ["/company/", "/company/reports/", "/company/reports/2026"])
def test_without_an_extension_only_the_normal_date(client, not_extended, url):
    page = client.get(url).get_data(as_text=True)
    assert "March 31, 2027" in page
    assert "extended from" not in page


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "à remettre le 20 janvier 2027, au lieu du 31 mars 2026"),
        ("es", "debe presentarse el 20 de enero de 2027, en lugar del 31 de marzo de 2026"),
    ],
)
@pytest.mark.parametrize("url", PAGES)
def test_translated(client, extended, language, text, url):
    page = client.get(url, headers={"Accept-Language": language}).get_data(as_text=True)
    assert text in page.replace("À", "à").replace("Debe", "debe")


def test_the_standing_and_the_pages_use_one_rule(extended):
    (year,) = [y for y in services.open_years(extended, TODAY) if y.year == 2025]
    due = services.due_dates(extended, [year])[2025]
    standing = services.standing_for(extended, TODAY)
    assert (due.on, due.extended_from) == (standing.due, standing.extended_from)
    assert (due.on, due.extended_from) == (date(2027, 1, 20), date(2026, 3, 31))
