"""The rendered queue is kept between requests, and never shows what has changed since."""

import re

import pytest

from tests.conftest import AuthActions
from tests.factories import CompanyFactory, owner_of, staff
from tests.fixtures.applications import return_for_changes
from tests.fixtures.sql import sql_statements
from tracker.auth.models import RepresentativeCountry, Role
from tracker.companies import services
from tracker.companies.enums import Stage, Standing
from tracker.extensions import db
from tracker.page_cache import data_version


@pytest.fixture()
def reviewer(auth):
    person = staff(Role.REVIEWER, email="reviewer@example.com", name="Rosa Reviewer")
    auth.login(person.email)
    return person


def queue(client, path: str = "/review/?status=") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_second_look_reads_no_companies(client, reviewer):
    CompanyFactory(display_name="Alpha Tours")
    first = queue(client)
    with sql_statements() as statements:
        again = queue(client)
    assert again == first
    assert not [s for s in statements if "FROM companies" in s and "max(" not in s.lower()]


def test_an_edit_shows_at_once(client, reviewer):
    company = CompanyFactory(display_name="Alpha Tours")
    owner = owner_of(company)
    assert "Alpha Tours" in queue(client)
    details = services.details_of(company)
    services.update_company(
        company, details.__class__(**{**details.__dict__, "display_name": "Alpha Voyages"}), owner
    )
    db.session.commit()
    page = queue(client)
    assert "Alpha Voyages" in page and "Alpha Tours" not in page


def test_a_decision_shows_at_once(client, reviewer):
    company = CompanyFactory(display_name="Alpha Tours")
    assert "Alpha Tours" in queue(client, "/review/")  # awaiting review
    return_for_changes(company, reviewer, "Add Laos.")
    assert "Alpha Tours" not in queue(client, "/review/")
    assert "Alpha Tours" in queue(client, "/review/?status=returned")


def test_a_new_company_shows_at_once(client, reviewer):
    CompanyFactory(display_name="Alpha Tours")
    assert "Beta Hotels" not in queue(client)
    CompanyFactory(display_name="Beta Hotels")
    assert "Beta Hotels" in queue(client)


def test_a_representatives_new_countries_show_at_once(client, auth):
    CompanyFactory(display_name="Paris Tours", countries=("FR",))
    rep = staff(Role.REPRESENTATIVE, ("TH",), email="rep@example.com")
    auth.login(rep.email)
    assert "Paris Tours" not in queue(client)
    db.session.add(RepresentativeCountry(representative=rep.representative, country_code="FR"))
    db.session.commit()
    assert "Paris Tours" in queue(client)


def test_people_never_share_a_page(app, client, reviewer):
    CompanyFactory(display_name="Alpha Tours")
    token = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
    first = token.findall(queue(client))
    other_browser = app.test_client()
    AuthActions(other_browser).login(staff(Role.REVIEWER, email="other@example.com").email)
    second = token.findall(queue(other_browser))
    assert first and second
    assert set(first).isdisjoint(second)  # each page carries its own session's token


def test_counts_are_shared_only_by_the_same_countries(client, auth, reviewer):
    CompanyFactory(display_name="Paris Tours", countries=("FR",))
    assert "Application under review</a>: 1" in queue(client)
    auth.logout()
    for countries in ((), ("TH",)):
        rep = staff(Role.REPRESENTATIVE, countries, email=f"rep{len(countries)}@example.com")
        auth.login(rep.email)
        assert "Application under review</a>: 0" in queue(client)
        auth.logout()


def test_every_company_change_moves_the_data_version(reviewer):
    company = CompanyFactory(display_name="Alpha Tours", stage=Stage.ACTIVE)
    before = data_version()
    company.contact_name = "New Contact"
    db.session.commit()
    after_edit = data_version()
    company.membership.standing = Standing.SUSPENDED
    db.session.commit()
    after_standing = data_version()
    reviewer.name = "Renamed Reviewer"  # not a company: nothing staff see in the queue moves
    db.session.commit()
    assert int(before) < int(after_edit) < int(after_standing) == int(data_version())
