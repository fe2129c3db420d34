"""Shared read queries: who sees which company, where companies operate, who is listed."""

from datetime import UTC, datetime

import pytest

from tests.factories import CompanyFactory, UserFactory, staff
from tracker.auth.models import Role
from tracker.companies import queries
from tracker.companies.models import CompanyStatus
from tracker.extensions import db
from tracker.review.services import may_review


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
    decidable = sorted(c.display_name for c in companies.values() if may_review(user, c))
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
    member = CompanyFactory(
        display_name="Member",
        status=CompanyStatus.MEMBER,
        membership_number="TC-000999",
        joined_at=datetime.now(UTC),
    )
    UserFactory(company=member)
    assert names(queries.publicly_listed()) == ["Member"]
