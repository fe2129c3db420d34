"""Criteria versions: the version in force is a setting; members re-sign a new one, and the
profile says which version a member signed."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from config import Config
from tests.companies.test_services import SIGNATURE
from tests.factories import CompanyFactory, UserFactory, staff
from tests.reports.helpers import member
from tracker.audit import AuditEntry
from tracker.auth.models import Role
from tracker.companies import services
from tracker.companies.criteria import CRITERIA_VERSIONS, criteria, current_version
from tracker.companies.enums import Stage, Standing
from tracker.companies.signatures import Signature
from tracker.domain import DomainError
from tracker.extensions import db


def signed(company, owner, version="1", on=datetime(2026, 3, 3, 10, tzinfo=UTC)):
    db.session.add(
        Signature(
            company=company,
            user=owner,
            signatory_name="Ana Lee",
            signatory_title="CEO",
            criteria_version=version,
            accepted_criteria=[1, 2, 3, 4, 5, 6],
            authority_confirmed=True,
            signed_at=on,
        )
    )
    db.session.commit()


@pytest.fixture(autouse=True)
def before_version_2(app, monkeypatch):
    """The tests here publish version 2 themselves: they start where members signed version 1
    and version 1 was in force (the default is the latest wording, version 2)."""
    monkeypatch.setitem(app.config, "CRITERIA_VERSION", "1")


@pytest.fixture
def signed_member():
    company, owner = member(display_name="Lotus Tours", countries=("TH",))
    signed(company, owner)
    return company, owner


@pytest.fixture
def version_2(app, monkeypatch):
    monkeypatch.setitem(app.config, "CRITERIA_VERSION", "2")


def test_the_version_in_force_is_the_setting(app, monkeypatch):
    assert Config.CRITERIA_VERSION == "2"  # The Code's wording today, voluntourism included
    assert current_version() == "1"
    monkeypatch.setitem(app.config, "CRITERIA_VERSION", "2")
    assert current_version() == "2"
    assert "voluntourism" in str(criteria()[0].text)
    assert "voluntourism" not in str(criteria("1")[0].text)
    monkeypatch.setitem(app.config, "CRITERIA_VERSION", "no such version")
    assert current_version() == "1"
    assert [c.number for c in CRITERIA_VERSIONS["2"]] == [1, 2, 3, 4, 5, 6]


def test_members_are_asked_to_sign_a_new_version_only(signed_member, app, monkeypatch):
    company, _owner = signed_member
    assert not company.must_sign_again
    monkeypatch.setitem(app.config, "CRITERIA_VERSION", "2")
    assert company.must_sign_again
    company.membership.standing = Standing.EXPELLED
    db.session.flush()
    assert not company.must_sign_again  # a former member signs nothing
    assert not CompanyFactory(stage=Stage.APPROVED).must_sign_again


def test_signing_again_keeps_the_membership_and_is_audited(signed_member, version_2):
    company, owner = signed_member
    number, joined = company.membership_number, company.joined_at
    signature = services.sign_code(company, owner, replace(SIGNATURE, criteria_version="2"))
    db.session.commit()
    assert [s.criteria_version for s in company.signatures] == ["1", "2"]
    assert company.latest_signature is signature and not company.must_sign_again
    assert (company.membership_number, company.joined_at, company.stage) == (
        number,
        joined,
        Stage.ACTIVE,
    )
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "company.criteria_signed_again"
    assert entry.actor_id == owner.id and entry.company_id == company.id
    assert entry.details == {"criteria_version": "2", "previous_version": "1"}


def test_signing_again_refuses_the_old_version_and_a_colleague(signed_member, version_2):
    company, owner = signed_member
    with pytest.raises(DomainError, match="criteria have changed"):
        services.sign_code(company, owner, replace(SIGNATURE, criteria_version="1"))
    with pytest.raises(DomainError, match="owner"):
        services.sign_code(company, UserFactory(company=company), SIGNATURE)
    db.session.rollback()
    assert [s.criteria_version for s in company.signatures] == ["1"]


def test_a_member_without_a_new_version_cannot_sign_again(signed_member):
    company, owner = signed_member
    with pytest.raises(DomainError, match="Only an approved application"):
        services.sign_code(company, owner, SIGNATURE)


def test_the_dashboard_asks_and_the_sign_page_records_it(client, auth, signed_member, version_2):
    company, owner = signed_member
    auth.login(owner.email)
    dashboard = client.get("/company/").get_data(as_text=True)
    assert "ECPAT has published version 2 of the criteria" in dashboard
    assert 'href="/company/sign"' in dashboard
    page = client.get("/company/sign").get_data(as_text=True)
    assert "Sign version 2 of the criteria for Lotus Tours" in page
    assert "regulation of voluntourism" in page
    form = {
        "signatory_name": "Ana Lee",
        "signatory_title": "CEO",
        "authority": "y",
        "criteria_version": "2",
        **{f"criterion_{n}": "y" for n in range(1, 7)},
    }
    response = client.submit("/company/sign", form)
    assert response.status_code == 302 and response.headers["Location"] == "/company/"
    followed = client.get("/company/").get_data(as_text=True)
    assert "you signed version 2 of the criteria" in followed
    assert "ECPAT has published version 2" not in followed
    assert [s.criteria_version for s in company.signatures] == ["1", "2"]
    assert client.get("/company/sign").status_code == 403  # nothing left to sign


def test_a_stale_sign_page_keeps_what_was_typed(client, auth, signed_member, version_2):
    company, owner = signed_member
    auth.login(owner.email)
    form = {"signatory_name": "Ana Typed", "signatory_title": "CEO", "authority": "y"}
    form |= {"criteria_version": "1", **{f"criterion_{n}": "y" for n in range(1, 7)}}
    response = client.submit("/company/sign", form)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The criteria have changed since this page was opened" in text
    assert 'value="Ana Typed"' in text
    assert [s.criteria_version for s in company.signatures] == ["1"]


def test_a_colleague_sees_the_notice_but_the_owner_signs(client, auth, signed_member, version_2):
    company, _owner = signed_member
    colleague = UserFactory(company=company, email="colleague@example.com")
    db.session.commit()
    auth.login(colleague.email)
    assert "owner can sign it" in client.get("/company/").get_data(as_text=True)
    assert client.get("/company/sign").status_code == 403


def test_the_profile_and_api_say_which_version_was_signed(client, signed_member):
    company, _owner = signed_member
    profile = client.get(f"/signatories/{company.slug}").get_data(as_text=True)
    assert "Signed The Code, criteria version 1, on March 3, 2026." in profile
    detail = client.get(f"/api/v1/signatories/{company.slug}").get_json()["data"]
    assert detail["signed"] == {"criteria_version": "1", "signed_on": "2026-03-03"}


def test_staff_see_the_version_signed_and_the_choices(client, auth, signed_member, version_2):
    company, _owner = signed_member
    company.publish_legal_name = False
    reviewer = staff(Role.REVIEWER, email="staff.reviewer@example.com")
    db.session.commit()
    auth.login(reviewer.email)
    text = client.get(f"/review/companies/{company.id}").get_data(as_text=True)
    assert "Signed criteria version 1 on March 3, 2026" in text
    assert "Asked to sign the version in force." in text
    assert "Publishes its properties: yes; its legal name: no" in text


def test_an_unknown_version_in_the_settings_refuses_to_start(make_app):
    from config import TestingConfig

    class Typo(TestingConfig):
        CRITERIA_VERSION = "3"

    with pytest.raises(RuntimeError, match="CRITERIA_VERSION '3' is not a version"):
        make_app(Typo)
