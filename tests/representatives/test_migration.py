"""The migration to representative organisations carries representatives and invitations across."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from tests.factories import representative, staff
from tracker.auth.models import (
    Representative,
    RepresentativePermission,
    Role,
    StaffInvitation,
    User,
)
from tracker.extensions import db

BEFORE = "c4e9a1b7d2f0"  # billing, the revision before representative_organisations


def test_each_distinct_set_of_countries_becomes_one_organisation(admin):
    first = staff(Role.REPRESENTATIVE, ("TH", "KH"), email="first@example.com")
    second = staff(Role.REPRESENTATIVE, ("KH", "TH"), email="second@example.com")
    france = representative("Child Safe France", ("FR",))
    third = staff(Role.REPRESENTATIVE, representative=france, email="third@example.com")
    invitation = StaffInvitation(
        email="new@example.com", role=Role.REPRESENTATIVE, invited_by=admin, representative=france
    )
    db.session.add(invitation)
    db.session.commit()
    ids = {user.email: user.id for user in (first, second, third)}
    db.session.commit()  # end the read transaction: on PostgreSQL the DDL waits for its locks
    try:
        downgrade(revision=BEFORE)
    finally:
        upgrade()
    db.session.expire_all()
    organisations = {
        org.name: org.country_codes for org in db.session.scalars(select(Representative))
    }
    assert organisations == {
        "Local Code Representative for Cambodia, Thailand": ["KH", "TH"],
        "Local Code Representative for France": ["FR"],
    }
    by_user = {
        user.email: user.representative.name
        for user in db.session.scalars(select(User).where(User.id.in_(ids.values())))
    }
    assert by_user == {
        "first@example.com": "Local Code Representative for Cambodia, Thailand",
        "second@example.com": "Local Code Representative for Cambodia, Thailand",
        "third@example.com": "Local Code Representative for France",
    }
    moved = db.session.scalars(select(StaffInvitation)).one()
    assert moved.representative.name == "Local Code Representative for France"
    rows = db.session.execute(select(RepresentativePermission.decision)).scalars().all()
    assert sorted(row.value for row in rows) == [
        "recommend_approval",
        "return_application",
        "return_plan",
        "return_report",
    ]
