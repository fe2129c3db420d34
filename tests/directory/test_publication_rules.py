"""What is public: ECPAT's rules as settings (suspended, overdue) and each member's choices
(properties, legal name), on the profile, country pages, directory, API and CSV."""

import csv
import io

import pytest

from tests.directory.test_signatories import members, names_on  # noqa: F401 (a fixture)
from tests.reports.helpers import hotel_chain
from tracker.companies.enums import Stage
from tracker.companies.models import Company
from tracker.companies.operations import Operation
from tracker.directory.search import listing
from tracker.extensions import db


@pytest.fixture
def rules(app, monkeypatch):
    def set_rules(**settings):
        for name, value in settings.items():
            monkeypatch.setitem(app.config, name, value)

    return set_rules


def test_by_default_suspended_members_leave_the_list_and_overdue_is_shown(client, members):  # noqa: F811
    page = client.get("/signatories")
    assert "Suspended Tours" not in names_on(page)
    assert "Report overdue" in page.get_data(as_text=True)
    assert names_on(client.get("/signatories?standing=report_overdue")) == ["Late Tours"]
    assert client.get("/signatories?standing=suspended").status_code == 400


def test_suspended_members_are_listed_as_such_when_the_setting_says_so(client, members, rules):  # noqa: F811
    rules(PUBLISH_SUSPENDED=True)
    suspended = db.session.query(Company).filter_by(display_name="Suspended Tours").one()
    assert suspended.is_listed_publicly
    page = client.get("/signatories")
    assert names_on(page) == [
        "Andes Air",
        "Hotel São Paulo",
        "Late Tours",
        "Lotus Tours",
        "Suspended Tours",
    ]
    assert names_on(client.get("/signatories?standing=suspended")) == ["Suspended Tours"]
    profile = client.get(f"/signatories/{suspended.slug}").get_data(as_text=True)
    assert "Membership suspended" in profile
    good = names_on(client.get("/signatories?standing=good_standing"))
    assert "Suspended Tours" not in good


def test_overdue_reports_are_not_said_when_the_setting_hides_them(client, members, rules):  # noqa: F811
    rules(PUBLISH_OVERDUE=False)
    late = members["late"]
    text = client.get("/signatories").get_data(as_text=True)
    assert "Report overdue" not in text and "In good standing" not in text
    profile = client.get(f"/signatories/{late.slug}").get_data(as_text=True)
    assert "Report overdue" not in profile and ">Member<" in profile
    assert client.get("/signatories?standing=report_overdue").status_code == 400
    api = client.get("/api/v1/signatories").get_json()
    assert {item["standing"] for item in api["data"]} == {"member"}
    verify = client.get(f"/verify/{late.membership_number}").get_data(as_text=True)
    assert "Report overdue" not in verify
    document = client.get("/api/v1/openapi.json").get_json()
    [path] = [path for path in document["paths"] if path.endswith("/signatories")]
    parameters = document["paths"][path]["get"]["parameters"]
    [standing] = [p for p in parameters if p["name"] == "standing"]
    assert standing["schema"]["enum"] == ["member", "top_member"]


def test_standings_in_use_follow_the_rules(app, rules):
    S = listing.PublicStanding
    assert S.in_use() == [S.GOOD, S.OVERDUE, S.TOP_MEMBER]
    rules(PUBLISH_OVERDUE=False, PUBLISH_SUSPENDED=True)
    assert S.in_use() == [S.MEMBER, S.TOP_MEMBER, S.SUSPENDED]


# A member's own choices -------------------------------------------------------------------


@pytest.fixture
def chain():
    company, owner = hotel_chain(
        [("TH", "Lotus Phuket", "Phuket"), ("KH", "Lotus Siem Reap", "Siem Reap")],
        display_name="Lotus Hotels",
        legal_name="Lotus Hospitality Holdings Ltd",
    )
    return company


def public_texts(client, company: Company) -> str:
    pages = [
        f"/signatories/{company.slug}",
        "/signatories",
        "/countries/TH",
        f"/api/v1/signatories/{company.slug}",
        "/api/v1/signatories",
        "/signatories.csv",
        f"/verify/{company.membership_number}",
    ]
    return "\n".join(client.get(url).get_data(as_text=True) for url in pages)


def test_by_default_properties_and_legal_name_are_public(client, chain):
    text = public_texts(client, chain)
    assert "Lotus Phuket" in text and "Phuket" in text
    assert "Lotus Hospitality Holdings Ltd" in text
    assert listing.cities_in("TH") == ["Phuket"]


def test_a_member_keeps_its_properties_private(client, chain):
    chain.publish_properties = False
    db.session.commit()
    text = public_texts(client, chain)
    assert "Lotus Phuket" not in text and "Phuket" not in text and "Siem Reap" not in text
    assert "Thailand" in text  # its countries are always listed
    assert listing.cities_in("TH") == []
    detail = client.get(f"/api/v1/signatories/{chain.slug}").get_json()["data"]
    assert {(op["country"], op["property_name"], op["city"]) for op in detail["operations"]} == {
        ("TH", None, None),
        ("KH", None, None),
    }
    assert names_on(client.get("/countries/TH?city=Phuket")) == []
    assert [op.is_public for op in db.session.query(Operation).all()] == [False, False]


def test_a_member_keeps_its_legal_name_private(client, chain):
    chain.publish_legal_name = False
    db.session.commit()
    assert chain.stage is Stage.ACTIVE
    text = public_texts(client, chain)
    assert "Lotus Hospitality Holdings" not in text
    assert "Lotus Hotels" in text
    detail = client.get(f"/api/v1/signatories/{chain.slug}").get_json()["data"]
    assert detail["legal_name"] is None
    rows = list(csv.DictReader(io.StringIO(client.get("/signatories.csv").get_data(as_text=True))))
    assert [row["legal_name"] for row in rows] == [""]
    assert names_on(client.get("/signatories?q=Hospitality Holdings")) == []
    assert names_on(client.get("/signatories?q=Lotus Hotels")) == ["Lotus Hotels"]
