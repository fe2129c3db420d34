"""A member's new property text is public only once staff have seen it (issue 14, item 15)."""

import json

import pytest
from sqlalchemy import select

from tests.factories import CompanyFactory, owner_of
from tracker.audit import AuditAction, AuditEntry
from tracker.companies.enums import CompanyType, Stage
from tracker.companies.operations import Operation
from tracker.extensions import db

HOSTILE = "Call 555-0100 for girls"  # text no reviewer would let through


@pytest.fixture()
def hotel(client, auth):
    """A member chain with one reviewed property in Thailand; its owner signed in."""
    company = CompanyFactory(
        display_name="Lotus Hotels", type=CompanyType.HOTEL_CHAIN, stage=Stage.ACTIVE
    )
    company.operations = [
        Operation(country_code="TH", property_name="Lotus Bangkok", city="Bangkok")
    ]
    db.session.commit()
    auth.login(owner_of(company, email="ana@lotus.example").email)
    added = client.submit(
        "/company/properties", {"country_code": "TH", "property_name": HOSTILE, "city": "Pattaya"}
    )
    assert added.status_code == 302
    client.submit("/account/logout")
    return company


def public_pages(client, company) -> dict[str, str]:
    return {
        "profile": client.get(f"/signatories/{company.slug}").get_data(as_text=True),
        "country": client.get("/countries/TH").get_data(as_text=True),
        "directory": client.get("/signatories").get_data(as_text=True),
        "api": json.dumps(client.get(f"/api/v1/signatories/{company.slug}").get_json()),
    }


def city_filter(client) -> tuple[int, str]:
    answer = client.get("/countries/TH?city=Pattaya")
    return answer.status_code, answer.get_data(as_text=True)


def test_text_added_after_approval_is_not_public_until_published(client, auth, hotel, reviewer):
    row = db.session.scalar(select(Operation).filter_by(property_name=HOSTILE))
    assert row.reviewed is False
    for name, text in public_pages(client, hotel).items():
        assert HOSTILE not in text and "Pattaya" not in text, name
    assert "Lotus Bangkok" in public_pages(client, hotel)["profile"]
    status, text = city_filter(client)  # not a city the public knows of
    assert status == 400 and "Lotus Hotels" not in text

    auth.login(reviewer.email)
    page = client.get(f"/review/companies/{hotel.id}").get_data(as_text=True)
    assert "New properties waiting for review (1)" in page and HOSTILE in page
    published = client.submit(
        f"/review/companies/{hotel.id}/properties/publish", {"version": str(hotel.version)}
    )
    assert published.status_code == 302
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.PROPERTIES_PUBLISHED)
    ).one()
    assert entry.actor_id == reviewer.id and entry.details["rows"] == [f"TH / {HOSTILE} / Pattaya"]
    client.submit("/account/logout")
    pages = public_pages(client, hotel)
    assert HOSTILE in pages["profile"] and HOSTILE in pages["api"]
    status, text = city_filter(client)
    assert status == 200 and "Lotus Hotels" in text


def test_publishing_a_list_changed_since_it_was_read_publishes_nothing(
    client, auth, hotel, reviewer
):
    seen = hotel.version
    owner = owner_of(hotel)
    auth.login(owner.email)
    late = {"country_code": "TH", "property_name": "Late", "city": "X"}
    client.submit("/company/properties", late)
    client.submit("/account/logout")
    auth.login(reviewer.email)
    response = client.submit(
        f"/review/companies/{hotel.id}/properties/publish", {"version": str(seen)}
    )
    assert response.status_code == 302
    assert not db.session.scalars(select(Operation).filter_by(reviewed=True, city="X")).all()
    assert not db.session.scalars(select(Operation).filter_by(reviewed=True, city="Pattaya")).all()


def test_a_representative_elsewhere_cannot_publish(client, auth, hotel, rep_fr):
    auth.login(rep_fr.email)
    response = client.submit(f"/review/companies/{hotel.id}/properties/publish", {"version": "1"})
    assert response.status_code == 404
    assert db.session.scalar(select(Operation).filter_by(city="Pattaya")).reviewed is False
