"""The staff page of a year's Top Members, and the title where the public reads it."""

import pytest
from sqlalchemy import select

from tests.fixtures.state import db_state
from tests.reports.helpers import accepted_report, member, ready_report, top_member
from tracker.audit import AuditAction, AuditEntry
from tracker.extensions import db
from tracker.reports import recognition
from tracker.reports.models import TopMemberAward


@pytest.fixture()
def year_2025(reviewer):
    """Two members with an accepted 2025 report, one already named; one with a draft only."""
    star, owner = member(display_name="Star Tours", countries=("TH",))
    top_member(star, owner, reviewer)
    lotus, owner = member(display_name="Lotus Tours", countries=("TH",))
    accepted_report(lotus, owner, reviewer)
    draft, owner = member(display_name="Draft Hotels", countries=("TH",))
    ready_report(draft, owner)
    return {"star": star, "lotus": lotus, "draft": draft}


def test_the_page_lists_the_accepted_reports_of_the_year(client, auth, reviewer, year_2025):
    auth.login(reviewer.email)
    page = client.get("/review/top-members/?year=2025").get_data(as_text=True)
    assert "Star Tours" in page and "Lotus Tours" in page and "Draft Hotels" not in page
    assert "2 members with an accepted 2025 report" in page
    assert "all five criteria shown implemented" in page
    assert page.count("Name Top Member 2025</button>") == 1  # Lotus; Star is named
    assert page.count("Withdraw the title</button>") == 1
    # The default year is the last ended one.
    assert "Top Members of 2025" in client.get("/review/top-members/").get_data(as_text=True)


@pytest.mark.parametrize("year", ["1999", "2026", "3000"])
def test_a_year_not_ended_is_not_found(client, auth, reviewer, year):
    auth.login(reviewer.email)
    assert client.get(f"/review/top-members/?year={year}").status_code == 404


def test_naming_through_the_page(client, auth, admin, year_2025):
    lotus = year_2025["lotus"]
    auth.login(admin.email)
    response = client.submit(
        f"/review/top-members/2025/{lotus.id}", {f"c{lotus.id}-citation": "Every guide trained."}
    )
    assert response.location == "/review/top-members/?year=2025"
    page = client.get(response.location).get_data(as_text=True)
    assert "Lotus Tours is named Top Member 2025." in page
    assert "Every guide trained." in page
    award = db.session.scalar(select(TopMemberAward).where(TopMemberAward.company_id == lotus.id))
    assert (award.year, award.named_by_id, award.citation) == (
        2025,
        admin.id,
        "Every guide trained.",
    )
    entry = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.company_id == lotus.id,
            AuditEntry.action == AuditAction.TOP_MEMBER_RECOGNISED.value,
        )
    ).one()
    assert entry.actor_id == admin.id


def test_a_refused_naming_changes_nothing(client, auth, reviewer, year_2025):
    draft = year_2025["draft"]
    auth.login(reviewer.email)
    before = db_state()
    response = client.submit(f"/review/top-members/2025/{draft.id}")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Its report for 2025 is not accepted." in page
    assert db_state() == before


def test_withdrawing_needs_a_reason_beside_the_field(client, auth, reviewer, year_2025):
    star = year_2025["star"]
    auth.login(reviewer.email)
    before = db_state()
    response = client.submit(
        f"/review/top-members/2025/{star.id}/withdraw", {f"c{star.id}-reason": ""}
    )
    assert response.status_code == 400
    assert f'id="c{star.id}-reason-error"' in response.get_data(as_text=True)
    response = client.submit(
        f"/review/top-members/2025/{star.id}/withdraw", {f"c{star.id}-reason": "   "}
    )
    assert response.status_code == 400
    assert "Say why the title is withdrawn." in response.get_data(as_text=True)
    assert db_state() == before
    response = client.submit(
        f"/review/top-members/2025/{star.id}/withdraw", {f"c{star.id}-reason": "Complaint"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert recognition.latest_title(star) is None
    page = client.get(response.location).get_data(as_text=True)
    assert "Title withdrawn on" in page and "Complaint" in page


def test_representatives_may_not_open_or_name(client, auth, rep_th, year_2025):
    lotus = year_2025["lotus"]
    auth.login(rep_th.email)
    assert client.get("/review/top-members/").status_code == 403
    before = db_state()
    assert client.submit(f"/review/top-members/2025/{lotus.id}").status_code == 403
    assert db_state() == before


def test_the_company_page_lists_its_titles(client, auth, reviewer, year_2025):
    star = year_2025["star"]
    auth.login(reviewer.email)
    page = client.get(f"/review/companies/{star.id}").get_data(as_text=True)
    assert '<strong class="badge badge-success">Top Member 2025</strong>' in page
    assert 'href="/review/top-members/?year=2025">Top Member 2025</a>' in page


def test_the_public_sees_the_title_with_its_year(client, year_2025):
    star, lotus = year_2025["star"], year_2025["lotus"]
    listed = client.get("/signatories?standing=top_member").get_data(as_text=True)
    assert "Star Tours" in listed and "Lotus Tours" not in listed
    assert '<span class="badge badge-success">Top Member 2025</span>' in listed
    profile = client.get(f"/signatories/{star.slug}").get_data(as_text=True)
    assert "Top Member 2025</span>" in profile
    assert "Top Member" not in client.get(f"/signatories/{lotus.slug}").get_data(as_text=True)
    verify = client.get(f"/verify/{star.membership_number}").get_data(as_text=True)
    assert "Top Member 2025</span>" in verify
    (item,) = [
        i for i in client.get("/api/v1/signatories").get_json()["data"] if i["slug"] == star.slug
    ]
    assert (item["standing"], item["top_member_year"]) == ("top_member", 2025)


def test_the_public_sees_it_in_spanish(client, year_2025):
    star = year_2025["star"]
    headers = {"Accept-Language": "es"}
    page = client.get(f"/signatories/{star.slug}", headers=headers).get_data(as_text=True)
    assert 'lang="es"' in page and "Top Member 2025</span>" in page
