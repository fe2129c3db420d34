"""The migration adding company types and publication choices carries existing rows across:
every signature of criteria "2024.1" is version 1, every company lists what it listed."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from tests.companies.test_criteria_versions import signed
from tests.reports.helpers import member
from tracker.companies.enums import CompanyType
from tracker.companies.models import Company
from tracker.companies.signatures import Signature
from tracker.extensions import db

BEFORE = "c4a91e7d2b58"  # the revision before company types and publication choices


def test_existing_signatures_become_version_1_and_companies_stay_listed():
    company, owner = member(countries=("TH",), type=CompanyType.TOUR_OPERATOR)
    signed(company, owner)
    cruise, _ = member(countries=("FR",), type=CompanyType.CRUISE_LINE)
    company.publish_legal_name = False
    db.session.commit()
    try:
        downgrade(revision=BEFORE)
        old = db.session.execute(text("SELECT criteria_version FROM signatures")).scalars().all()
        assert old == ["2024.1"]  # as the older code wrote it
        types = db.session.execute(text("SELECT type FROM companies ORDER BY id")).scalars().all()
        assert types == ["tour_operator", "other"]  # the older schema knows no cruise line
        db.session.commit()
    finally:
        upgrade()
    db.session.expire_all()
    assert db.session.scalars(select(Signature.criteria_version)).all() == ["1"]
    rows = db.session.execute(
        select(Company.type, Company.publish_properties, Company.publish_legal_name).order_by(
            Company.id
        )
    ).all()
    assert [tuple(row) for row in rows] == [
        (CompanyType.TOUR_OPERATOR, True, True),
        (CompanyType.OTHER, True, True),
    ]
    assert cruise.id is not None
