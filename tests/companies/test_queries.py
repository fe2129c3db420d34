"""Shared read queries: who sees which company, where companies operate, who is listed."""

import pytest
from sqlalchemy import select

from tests.factories import CompanyFactory, UserFactory, staff
from tracker.auth.models import Role
from tracker.companies import queries
from tracker.companies.enums import Stage
from tracker.companies.lifecycle import Party, is_party
from tracker.companies.models import Company
from tracker.extensions import db


@pytest.fixture()
def companies():
    return {
        "thai": CompanyFactory(display_name="Thai", countries=("TH",)),
        "both": CompanyFactory(display_name="Both", hq_country="FR", countries=("FR", "KH")),
        "french": CompanyFactory(display_name="French", hq_country="FR", countries=("FR",)),
    }


def names(query) -> list[str]:
    return sorted(company.display_name for company in db.session.scalars(query))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("reviewer", ["Both", "French", "Thai"]),
        ("admin", ["Both", "French", "Thai"]),
        ("rep_th", ["Thai"]),
        ("rep_fr", ["Both", "French"]),
        ("applicant", []),
    ],
)
def test_visible_to_is_one_rule_for_queue_and_decisions(request, companies, role, expected):
    user = request.getfixturevalue(role)
    assert names(queries.companies_visible_to(user)) == expected
    decidable = sorted(c.display_name for c in companies.values() if is_party(Party.STAFF, user, c))
    assert decidable == expected


def test_a_representative_of_several_countries_sees_each_company_once(companies):
    rep = staff(Role.REPRESENTATIVE, ("FR", "KH", "TH"))
    query = queries.companies_visible_to(rep)
    assert names(query) == ["Both", "French", "Thai"]


def test_operating_in_countries_looks_at_operations_not_headquarters(companies):
    assert names(queries.operating_in_countries(["KH"])) == ["Both"]
    assert names(queries.operating_in_countries(["TH", "KH"])) == ["Both", "Thai"]
    assert names(queries.operating_in_countries([])) == []


def test_publicly_listed_are_the_members(companies):
    member = CompanyFactory(display_name="Member", stage=Stage.ACTIVE)
    UserFactory(company=member)
    for stage in (Stage.APPROVED, Stage.SUSPENDED, Stage.WITHDRAWN, Stage.EXPELLED):
        CompanyFactory(display_name=str(stage.label), stage=stage)
    assert names(queries.publicly_listed()) == ["Member"]


@pytest.mark.parametrize("stage", list(Stage))
def test_in_stage_is_the_sql_twin_of_company_stage(stage):
    for each in Stage:
        CompanyFactory(display_name=each.value, stage=each)
    assert names(select(Company).where(queries.in_stage(stage))) == [stage.value]


@pytest.fixture()
def every_stage() -> list[Company]:
    return [CompanyFactory(display_name=stage.value, stage=stage) for stage in Stage]


def twin_agrees(companies: list[Company], predicate: str, condition) -> list[str]:
    """The companies the model predicate picks, checked against those its SQL twin selects."""
    picked = sorted(c.display_name for c in companies if getattr(c, predicate))
    assert names(select(Company).where(condition)) == picked
    return picked


@pytest.mark.parametrize("publish_suspended", [False, True])
def test_listed_publicly_is_the_sql_twin_of_is_listed_publicly(
    app, monkeypatch, every_stage, publish_suspended
):
    monkeypatch.setitem(app.config, "PUBLISH_SUSPENDED", publish_suspended)
    listed = twin_agrees(every_stage, "is_listed_publicly", queries.listed_publicly())
    assert listed == (["active", "suspended"] if publish_suspended else ["active"])
    on_memberships = select(Company).join(Company.membership).where(queries.membership_listed())
    assert names(on_memberships) == listed


def test_reporting_member_is_the_sql_twin_of_is_reporting_member(every_stage):
    reporting = twin_agrees(every_stage, "is_reporting_member", queries.reporting_member())
    assert reporting == ["active", "suspended"]
    on_memberships = select(Company).join(Company.membership).where(queries.membership_reporting())
    assert names(on_memberships) == reporting


def test_on_record_is_the_sql_twin_of_has_membership(every_stage):
    on_record = twin_agrees(every_stage, "has_membership", queries.on_record())
    assert on_record == ["active", "expelled", "suspended", "withdrawn"]
