"""Company model properties and the constraints the database enforces."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from tests.factories import CompanyFactory
from tracker.companies.models import Company, CompanyStatus, CompanyType, Operation, RevenueBand
from tracker.extensions import db


@pytest.mark.parametrize(
    ("company_type", "has_properties"),
    [(member, member in (CompanyType.HOTEL, CompanyType.HOTEL_CHAIN)) for member in CompanyType],
)
def test_company_type_has_properties(company_type, has_properties):
    assert company_type.has_properties is has_properties


def test_only_hotels_have_properties():
    assert {t for t in CompanyType if t.has_properties} == {
        CompanyType.HOTEL,
        CompanyType.HOTEL_CHAIN,
    }


@pytest.mark.parametrize(
    ("band", "fee"),
    [
        (RevenueBand.UP_TO_500K, 50),
        (RevenueBand.UP_TO_2_5M, 300),
        (RevenueBand.UP_TO_50M, 800),
        (RevenueBand.ABOVE_50M, 2000),
    ],
)
def test_revenue_band_annual_fee(band, fee):
    assert band.annual_fee == fee


def test_every_revenue_band_has_a_label():
    assert len({band.label for band in RevenueBand}) == len(RevenueBand)


def test_country_codes_are_sorted_and_deduplicated():
    company = Company(
        operations=[
            Operation(country_code="TH", property_name="A", city="Phuket"),
            Operation(country_code="KH", property_name="B", city="Siem Reap"),
            Operation(country_code="TH", property_name="C", city="Bangkok"),
        ]
    )
    assert company.country_codes == ["KH", "TH"]


def test_country_codes_empty_without_operations():
    assert Company().country_codes == []


def test_database_refuses_member_without_membership_number():
    company = CompanyFactory(status=CompanyStatus.APPROVED)
    company.status = CompanyStatus.MEMBER
    company.joined_at = datetime.now(UTC)
    with pytest.raises(IntegrityError, match="member_has_number"):
        db.session.flush()
    db.session.rollback()


def test_database_refuses_member_without_joined_at():
    company = CompanyFactory(status=CompanyStatus.APPROVED)
    company.status = CompanyStatus.MEMBER
    company.membership_number = "TC-000001"
    with pytest.raises(IntegrityError, match="member_has_number"):
        db.session.flush()
    db.session.rollback()


def test_database_accepts_member_with_number_and_date():
    company = CompanyFactory(
        status=CompanyStatus.MEMBER, membership_number="TC-000001", joined_at=datetime.now(UTC)
    )
    assert company.is_member


def test_database_refuses_duplicate_membership_number():
    now = datetime.now(UTC)
    CompanyFactory(status=CompanyStatus.MEMBER, membership_number="TC-000042", joined_at=now)
    db.session.add(
        CompanyFactory.build(
            status=CompanyStatus.MEMBER, membership_number="TC-000042", joined_at=now
        )
    )
    with pytest.raises(IntegrityError, match="membership_number"):
        db.session.flush()
    db.session.rollback()
    assert db.session.query(Company).count() == 1


def test_many_companies_without_membership_number():
    CompanyFactory.create_batch(3)
    assert db.session.query(Company).filter(Company.membership_number.is_(None)).count() == 3


def test_version_increments_on_update():
    company = CompanyFactory()
    assert company.version == 1
    company.display_name = "Renamed"
    db.session.commit()
    assert company.version == 2
