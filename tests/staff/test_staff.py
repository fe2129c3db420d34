"""Administrators invite staff (representatives into their organisation), deactivate, reactivate."""

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD, UserFactory, representative, staff
from tests.fixtures.two_factor import login
from tracker.audit import AuditAction, AuditEntry
from tracker.auth.models import Role, StaffInvitation, User
from tracker.auth.services import find_user
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.staff import services

JOIN = {"name": "Nok Chai", "password": "long enough pw", "confirm": "long enough pw"}


def actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture()
def as_admin(client, auth, admin):
    auth.login(admin.email)
    return admin


def test_an_invited_representative_joins_its_organisation(app, client, auth, smtp, as_admin):
    organisation = representative("Mekong Child Safe", ("TH", "LA"))
    db.session.commit()
    response = client.submit(
        "/review/staff/invite",
        {"email": "Nok@ECPAT.example", "role": "representative", "representative": organisation.id},
    )
    assert (response.status_code, response.location) == (302, "/review/staff")
    [message] = smtp.to("nok@ecpat.example")
    payload = message.get_payload()
    assert "Local Code Representative for Mekong Child Safe (Laos, Thailand)" in payload
    link = smtp.link("nok@ecpat.example", "/account/staff-invitation/")
    auth.logout()

    assert b"join as Local Code Representative" in client.get(link).data
    response = client.submit(link, JOIN)
    assert (response.status_code, response.location) == (302, "/review/")
    user = find_user("nok@ecpat.example")
    assert (user.role, user.representative_id) == (Role.REPRESENTATIVE, organisation.id)
    assert user.country_codes == ["LA", "TH"]
    assert user.name == "Nok Chai"
    # Signed in, and sent to set up a second factor before anything else.
    assert client.get("/review/").location == "/account/two-factor/setup"
    assert actions()[-2:] == [AuditAction.STAFF_INVITED, AuditAction.STAFF_JOINED]
    response = app.test_client().submit(link, JOIN)
    assert response.location == "/account/login", "the link works once"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"role": "representative"},
            "representative",
            "Choose the organisation the representative works for",
        ),
        ({"role": "reviewer", "representative": "{org}"}, "representative", "Only represent"),
        ({"role": "company"}, "role", "Choose a role from the list."),
        ({"role": ""}, "role", "Choose a role from the list."),
        ({"role": "admin", "email": "admin@example.com"}, "email", "already has an account"),
        ({"role": "admin", "representative": "999"}, "representative", "Choose an organisation"),
    ],
)
def test_a_bad_invitation_is_refused_beside_its_field(client, smtp, as_admin, data, field, message):
    organisation = representative("Mekong Child Safe", ("TH",))
    db.session.commit()
    data = {key: value.replace("{org}", str(organisation.id)) for key, value in data.items()}
    response = client.submit("/review/staff/invite", {"email": "new@ecpat.example", **data})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert db.session.scalars(select(StaffInvitation)).all() == []
    assert smtp.messages == []


def test_the_countries_page_is_gone_with_countries_on_the_organisation(client, as_admin, rep_fr):
    assert client.get(f"/review/staff/{rep_fr.id}/countries").status_code == 404
    page = client.get("/review/staff").get_data(as_text=True)
    assert f"/review/representatives/{rep_fr.representative_id}" in page


def test_deactivation_signs_the_person_out_at_once_and_keeps_them_out(app, as_admin, rep_th):
    theirs = app.test_client()
    login(theirs, rep_th.email, PASSWORD)
    assert theirs.get("/review/").status_code == 200

    admin_client = app.test_client()
    login(admin_client, as_admin.email, PASSWORD)
    assert admin_client.submit(f"/review/staff/{rep_th.id}/deactivate").status_code == 302
    assert theirs.get("/review/").status_code == 302, "the open session ended"
    refused = theirs.submit("/account/login", {"email": rep_th.email, "password": PASSWORD})
    assert refused.status_code == 200
    assert b"The e-mail address or password is not right." in refused.data

    admin_client.submit(f"/review/staff/{rep_th.id}/reactivate")
    again = theirs.submit("/account/login", {"email": rep_th.email, "password": PASSWORD})
    assert again.status_code == 302
    assert actions() == [AuditAction.STAFF_DEACTIVATED, AuditAction.STAFF_REACTIVATED]


def test_admins_cannot_lock_themselves_or_everyone_out(admin):
    with pytest.raises(DomainError, match="your own account"):
        services.deactivate(admin, admin)
    other = staff(Role.ADMIN, email="other.admin@example.com")
    services.deactivate(admin, other)
    db.session.commit()
    with pytest.raises(DomainError, match="Your own account was deactivated"):
        services.deactivate(other, admin)


def test_the_last_administrator_stays_even_when_the_check_read_too_early(admin, monkeypatch):
    """SQLite ignores FOR UPDATE: the count read after the write is what refuses there."""
    other = staff(Role.ADMIN, email="other.admin@example.com")
    services.deactivate(admin, other)
    db.session.commit()
    monkeypatch.setattr(services, "lock_active_admins", lambda: [admin.id, other.id])
    with pytest.raises(DomainError, match="at least one active administrator"):
        services.deactivate(other, admin)
    db.session.rollback()
    assert services.active_admins() == 1


def test_company_accounts_are_not_managed_here(client, as_admin, applicant):
    response = client.submit(f"/review/staff/{applicant.id}/deactivate")
    assert response.status_code == 404
    assert db.session.get(User, applicant.id).is_active


def test_inviting_again_renews_the_pending_invitation(admin):
    organisation = representative("Mekong Child Safe", ("TH",))
    first = services.invite_staff(admin, "x@ecpat.example", Role.REVIEWER)
    again = services.invite_staff(admin, "X@ecpat.example", Role.REPRESENTATIVE, organisation)
    assert again.id == first.id
    assert (again.role, again.representative) == (Role.REPRESENTATIVE, organisation)


def test_an_address_registered_meanwhile_cannot_join(admin):
    invitation = services.invite_staff(admin, "x@ecpat.example", Role.REVIEWER)
    UserFactory(email="x@ecpat.example")
    with pytest.raises(DomainError, match="already has an account"):
        services.accept_staff_invitation(invitation, "X", "long enough pw")
