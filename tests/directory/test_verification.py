"""Verifying a membership number, for anyone, without signing in."""

from datetime import UTC, date, datetime

import pytest

from tests.factories import CompanyFactory
from tests.reports.helpers import member, top_member
from tracker.companies.enums import Stage
from tracker.directory.verify.verification import normalised
from tracker.extensions import db


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("TC-000123", "TC-000123"),
        (" tc-000123 ", "TC-000123"),
        ("TC 123", "TC-000123"),
        ("000123", "TC-000123"),
        ("123", "TC-000123"),
        ("TC-1234567", "TC-1234567"),
        ("", None),
        ("TC-", None),
        ("TC-12a", None),
        ("<script>", None),
        ("TC-" + "9" * 11, None),
        ("١٢٣", None),  # digits of another script are not our numbers
    ],
)
def test_numbers_are_read_as_people_type_them(text, number):
    assert normalised(text) == number


def joined_member(**kwargs):
    company, owner = member(joined=date(2024, 5, 1), **kwargs)
    return company, owner


def test_a_member_in_good_standing(client):
    company, _owner = member(joined=date(2026, 2, 1), display_name="Lotus Tours")
    page = client.get(f"/verify/{company.membership_number}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Lotus Tours is a member of The Code" in text
    assert "In good standing" in text and "February 1, 2026" in text


def test_a_member_with_an_overdue_report_says_so(client):
    company, _owner = joined_member(display_name="Late Tours")
    text = client.get(f"/verify/{company.membership_number}").get_data(as_text=True)
    assert "Late Tours is a member of The Code" in text
    assert "Report overdue" in text and "March 31, 2026" in text


def test_a_top_member_shows_it(client, reviewer, monkeypatch):
    company, owner = joined_member(display_name="Star Tours")
    top_member(company, owner, reviewer)
    text = client.get(f"/verify/{company.membership_number}").get_data(as_text=True)
    assert "Top Member 2025" in text and "In good standing" in text


@pytest.mark.parametrize("stage", [Stage.SUSPENDED, Stage.WITHDRAWN, Stage.EXPELLED])
def test_a_former_member_is_plainly_not_a_member_and_not_named(client, stage):
    """Numbers are sequential: naming former members here would let anyone list them all."""
    company = CompanyFactory(display_name="Gone Hotels", legal_name="Gone Hotels Ltd", stage=stage)
    company.membership.standing_since = datetime(2026, 3, 3, 12, tzinfo=UTC)
    db.session.commit()
    text = client.get(f"/verify/{company.membership_number}").get_data(as_text=True)
    assert "This number does not belong to a current member of The Code" in text
    assert "Gone Hotels" not in text
    assert "2026" not in text.split("<main", 1)[1].split("</main>", 1)[0]
    for said in ("suspended", "withdrew", "expelled", "In good standing"):
        assert said not in text


def test_verify_pages_are_limited_per_client_kept_pages_too(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_RATE_LIMIT", "3 per minute")
    here = {"REMOTE_ADDR": "203.0.113.77"}
    company = CompanyFactory(stage=Stage.SUSPENDED)
    url = f"/verify/{company.membership_number}"
    statuses = [client.get(url, environ_base=here).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]  # the second and third came from the page cache
    refused = client.get("/verify/TC-000999", environ_base=here)
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 60
    assert client.get("/verify?number=1", environ_base=here).status_code == 429
    assert client.get(url, environ_base={"REMOTE_ADDR": "203.0.113.78"}).status_code == 200


def test_an_unknown_number_is_404_with_the_form(client):
    response = client.get("/verify/TC-999999")
    assert response.status_code == 404
    assert "No company has ever held this membership number" in response.get_data(as_text=True)


def test_the_form_sends_to_the_number_as_issued(client):
    response = client.get("/verify?number=tc%20123")
    assert response.status_code == 302 and response.location == "/verify/TC-000123"
    assert client.get("/verify/tc-123").location == "/verify/TC-000123"
    assert client.get("/verify").status_code == 200


@pytest.mark.parametrize(
    "given", ["nonsense", "x" * 5000, "<script>alert(1)</script>", "TC-1%00", "' OR 1=1 --"]
)
def test_bad_numbers_are_explained_beside_the_field_and_never_a_500(client, given):
    response = client.get("/verify", query_string={"number": given})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="number-error"' in text and 'aria-invalid="true"' in text
    assert "<script>alert" not in text
    assert client.get(f"/verify/{given[:100]}").status_code in (404, 308)
