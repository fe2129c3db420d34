"""Hostile values in the implementation plan and representative organisation forms (issue 15;
the billing forms' are in tests/billing/test_hostile_values.py). Each is refused beside its
field with a 4xx, never a 500, and changes nothing."""

import pytest
from sqlalchemy import func, select

from tests.factories import CompanyFactory, owner_of
from tests.plans.helpers import form_fields
from tracker.audit import AuditEntry
from tracker.auth.models import Representative
from tracker.companies.enums import Stage
from tracker.extensions import db
from tracker.plans.models import Plan

HUGE = "9" * 30  # past every integer column; PostgreSQL would refuse it with a 500


def audit_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


@pytest.fixture()
def plan_owner():
    company = CompanyFactory(stage=Stage.APPROVED, countries=("FR",))
    owner = owner_of(company, email="owner.plan@example.com")
    db.session.commit()
    return owner


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"staff_to_train": "-5"}, "staff_to_train"),
        ({"staff_to_train": HUGE}, "staff_to_train"),
        ({"staff_to_train": "forty"}, "staff_to_train"),
        ({"policy_due_on": "2026-13-01"}, "policy_due_on"),
        ({"policy_due_on": "99999-01-01"}, "policy_due_on"),
        ({"organises_volunteering": "maybe"}, "organises_volunteering"),
        ({"policy_action": "Train\x00staff"}, "policy_action"),
        ({"training_responsible": "Ana\uffff"}, "training_responsible"),
    ],
)
def test_a_hostile_plan_is_not_saved(client, auth, plan_owner, changes, field):
    auth.login(plan_owner.email)
    audited = audit_count()
    data = form_fields(0, save="1") | changes
    response = client.submit("/company/plan", data)
    assert response.status_code in (200, 400), response.status_code
    page = response.get_data(as_text=True)
    assert f'<p class="error" id="{field}-error">' in page
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 0
    assert audit_count() == audited


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"countries": ["ZZ"]}, "countries"),
        ({"countries": ["<x>"]}, "countries"),
        ({"website": "javascript://example.org/%0Aalert(1)"}, "website"),
        ({"website": "data://example.org/x"}, "website"),
        ({"email": "a@"}, "email"),
        ({"name": "ECPAT\x00France"}, "name"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_a_hostile_organisation_is_not_added(client, auth, admin, changes, field):
    auth.login(admin.email)
    audited = audit_count()
    data = {"name": "ECPAT France", "countries": ["FR"], "website": "https://ecpat.fr"} | changes
    response = client.submit("/review/representatives/new", data)
    assert response.status_code in (200, 400), response.status_code
    page = response.get_data(as_text=True)
    assert f'id="{field}"' in page and 'aria-invalid="true"' in page
    assert db.session.scalar(select(func.count()).select_from(Representative)) == 0
    assert audit_count() == audited
