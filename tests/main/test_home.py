"""The home page: what The Code is, a search box, live figures and the way to each country."""

import re
from datetime import UTC, datetime

import pytest

from tests.factories import CompanyFactory, owner_of
from tests.fixtures.sql import sql_statements
from tracker.companies.enums import Stage
from tracker.companies.operations import Operation
from tracker.extensions import db
from tracker.main.figures import home_figures
from tracker.reports.models import Report, ReportState, TrainingRow

LAST_YEAR = datetime.now(UTC).year - 1  # the last ended reporting year (calendar years in tests)


def home(client, language: str = "en") -> str:
    response = client.get("/", headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def figure(html: str, label: str) -> str:
    """The number shown before `label` in the figures."""
    pattern = r'<span class="figure-number">([^<]+)</span> <span class="figure-label">'
    match = re.search(pattern + re.escape(label), html)
    assert match, f"no figure {label!r}"
    return match.group(1)


def report(company, year: int, state: ReportState, *trained: int, current: int | None = None):
    """A report with one training row per number in `trained` (of 1,000 employees each), each
    `current` currently trained if given."""
    rows = [
        TrainingRow(country_code="TH", employees=1000, trained=n, current=current) for n in trained
    ]
    made = Report(company=company, year=year, state=state, training=rows)
    db.session.add(made)
    db.session.commit()
    return made


def test_members_are_current_members_only_and_countries_count_once():
    CompanyFactory(stage=Stage.ACTIVE, countries=("TH", "KH"))
    chain = CompanyFactory(stage=Stage.ACTIVE, countries=("TH",))
    chain.operations.append(Operation(country_code="TH", property_name="Second", city="Krabi"))
    for stage in (Stage.SUSPENDED, Stage.WITHDRAWN, Stage.EXPELLED, Stage.APPROVED):
        CompanyFactory(stage=stage, countries=("FR",))  # not members: neither they nor FR count
    db.session.commit()
    figures = home_figures()
    assert (figures.members, figures.countries) == (2, 2)
    assert figures.top_countries == (("TH", 2), ("KH", 1))


def test_trained_staff_come_from_accepted_reports_of_the_last_ended_year():
    first = CompanyFactory(stage=Stage.ACTIVE)
    second = CompanyFactory(stage=Stage.ACTIVE)
    left = CompanyFactory(stage=Stage.WITHDRAWN)
    report(first, LAST_YEAR, ReportState.ACCEPTED, 40, 2)
    report(left, LAST_YEAR, ReportState.ACCEPTED, 5)  # trained before it left: they count
    report(second, LAST_YEAR, ReportState.SUBMITTED, 1000)  # not checked yet
    report(second, LAST_YEAR - 1, ReportState.ACCEPTED, 300)  # an earlier year
    report(first, LAST_YEAR + 1, ReportState.DRAFT, 700)  # this year's, not over
    figures = home_figures()
    assert (figures.year, figures.trained) == (LAST_YEAR, 47)
    assert figures.current == 47  # rows without a currently trained count those trained


def test_currently_trained_staff_come_from_the_same_reports(client):
    company = CompanyFactory(stage=Stage.ACTIVE)
    report(company, LAST_YEAR, ReportState.ACCEPTED, 40, 2, current=600)
    report(company, LAST_YEAR - 1, ReportState.ACCEPTED, 300, current=900)  # an earlier year
    report(CompanyFactory(stage=Stage.ACTIVE), LAST_YEAR, ReportState.SUBMITTED, 1, current=999)
    figures = home_figures()
    assert (figures.trained, figures.current) == (42, 1200)
    html = home(client)
    assert figure(html, f"employees trained in {LAST_YEAR}") == "42"
    assert figure(html, f"employees currently trained at the end of {LAST_YEAR}") == "1,200"
    french = home(client, "fr")
    assert figure(french, f"employés avec une formation valide à la fin de {LAST_YEAR}") == (
        "1\u202f200"
    )


def test_the_page_shows_the_figures_in_the_readers_language(client):
    company = CompanyFactory(stage=Stage.ACTIVE, countries=("DE",))
    report(company, LAST_YEAR, ReportState.ACCEPTED, 100, 100, 100, 100, 100, 100)
    report(CompanyFactory(stage=Stage.ACTIVE), LAST_YEAR, ReportState.ACCEPTED, *[100] * 12, 34)
    html = home(client)
    assert figure(html, "members") == "2"
    assert figure(html, "countries where members work") == "2"
    assert figure(html, f"employees trained in {LAST_YEAR}") == "1,834"
    french = home(client, "fr")
    assert figure(french, f"employés formés en {LAST_YEAR}") == "1\u202f834"  # fr spacing
    assert '<a href="/countries/DE">Allemagne</a>' in french


def test_one_member_and_one_country_are_singular(client):
    CompanyFactory(stage=Stage.ACTIVE)
    html = home(client)
    assert figure(html, "member<") == "1"
    assert figure(html, "country where members work") == "1"


def test_the_eight_countries_with_most_members_link_to_their_pages(client):
    for countries in [("TH", "KH", "VN")] * 3 + [("KH",), ("FR", "DE", "ES", "JP", "LA", "MM")]:
        CompanyFactory(stage=Stage.ACTIVE, countries=countries)
    CompanyFactory(stage=Stage.SUSPENDED, countries=("PE",))
    html = home(client)
    links = re.findall(r'<li><a href="/countries/([A-Z]{2})">', html)
    # Most members first, then by code: 9 countries, MM left out.
    assert links == ["KH", "TH", "VN", "DE", "ES", "FR", "JP", "LA"]
    assert "4 members" in html and "1 member<" in html
    assert '<a href="/countries">All countries</a>' in html


def test_the_search_form_sends_q_to_the_list_of_signatories(client):
    html = home(client)
    form = re.search(
        r'<form method="get" action="([^"]+)" role="search"[^>]*>(.*?)</form>', html, re.S
    )
    assert form.group(1) == "/signatories"
    assert '<label for="home-search-q">Company name</label>' in form.group(2)
    assert re.search(r'<input type="search" id="home-search-q" name="q"', form.group(2))


def test_the_figures_follow_a_change_in_the_data(client):
    CompanyFactory(stage=Stage.ACTIVE)
    assert figure(home(client), "member") == "1"
    CompanyFactory(stage=Stage.ACTIVE, countries=("KH",))  # moves the data version
    html = home(client)
    assert figure(html, "members") == "2" and figure(html, "countries where members work") == "2"


def test_a_kept_value_is_used_until_the_data_changes():
    CompanyFactory(stage=Stage.ACTIVE)
    assert home_figures().members == 1
    # The kept figures answer without counting again...
    with sql_statements() as statements:
        assert home_figures().members == 1
    assert len(statements) == 1 and "data_versions" in statements[0]
    # ...until a change moves the data version.
    CompanyFactory(stage=Stage.ACTIVE)
    assert home_figures().members == 2


def test_anonymous_visitors_get_an_etag_and_a_304(client):
    first = client.get("/")
    assert first.status_code == 200 and first.headers["Cache-Control"].startswith("public")
    assert "Set-Cookie" not in first.headers  # the session was not touched
    again = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    CompanyFactory(stage=Stage.ACTIVE)
    changed = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]


def test_signed_in_people_get_their_own_page(client, auth):
    owner = owner_of(CompanyFactory(stage=Stage.ACTIVE), email="owner@example.com")
    auth.login(owner.email)
    response = client.get("/")
    assert response.headers["Cache-Control"] == "private, no-cache"
    html = response.get_data(as_text=True)
    assert 'href="/company/">Continue</a>' in html and "owner@example.com" in html


@pytest.mark.parametrize("members", [1, 20])
def test_the_query_count_does_not_grow_with_the_members(client, members):
    for n in range(members):
        CompanyFactory(stage=Stage.ACTIVE, countries=("TH", "KH", "FR")[: n % 3 + 1])
    with sql_statements() as statements:
        home(client)
    # The data version (the page's key, the figures' key) and one query per figure.
    assert len(statements) == 5, statements
    with sql_statements() as statements:
        home(client)
    assert len(statements) == 1  # the page itself is kept: only the data version is read
