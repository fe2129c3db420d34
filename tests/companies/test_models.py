"""Company model properties and the constraints the database enforces."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.factories import CompanyFactory
from tracker.companies.enums import CompanyType, RevenueBand, Stage, Standing
from tracker.companies.models import Company, Membership
from tracker.companies.operations import Operation
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


def test_database_refuses_a_second_membership_for_a_company():
    company = CompanyFactory(stage=Stage.ACTIVE)
    now = datetime.now(UTC)
    db.session.add(
        Membership(
            company=company,
            number="TC-777777",
            joined_at=now,
            standing=Standing.ACTIVE,
            standing_since=now,
        )
    )
    with pytest.raises(IntegrityError, match="company_id"):
        db.session.flush()
    db.session.rollback()


def test_database_refuses_duplicate_membership_number():
    CompanyFactory(stage=Stage.ACTIVE, membership_number="TC-000042")
    db.session.add(CompanyFactory.build(stage=Stage.ACTIVE, membership_number="TC-000042"))
    with pytest.raises(IntegrityError, match="number"):
        db.session.flush()
    db.session.rollback()
    assert db.session.query(Company).count() == 1


def test_database_refuses_an_unknown_standing():
    company = CompanyFactory(stage=Stage.ACTIVE)
    with pytest.raises(IntegrityError, match="membership_standing"):
        db.session.execute(
            text("UPDATE memberships SET standing = 'member' WHERE company_id = :id"),
            {"id": company.id},
        )
    db.session.rollback()


@pytest.mark.parametrize("stage", list(Stage))
def test_stage_reads_the_membership_first(stage):
    company = CompanyFactory(stage=stage)
    assert company.stage is stage
    assert company.has_membership == (stage.value in {s.value for s in Standing})
    assert company.is_member == (stage is Stage.ACTIVE)
    assert company.is_listed_publicly == (stage is Stage.ACTIVE)
    assert company.may_sign == (stage is Stage.APPROVED)
    assert company.may_edit == (stage not in (Stage.WITHDRAWN, Stage.EXPELLED))
    assert company.may_withdraw == (stage in (Stage.ACTIVE, Stage.SUSPENDED))


def test_a_former_member_keeps_its_number_on_record():
    company = CompanyFactory(stage=Stage.EXPELLED, membership_number="TC-000123")
    assert company.membership_number == "TC-000123" and company.joined_at is not None
    assert not company.is_member


def test_version_increments_on_update():
    company = CompanyFactory()
    assert company.version == 1
    company.display_name = "Renamed"
    db.session.commit()
    assert company.version == 2
