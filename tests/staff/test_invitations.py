"""Staff invitation links: single-use random tokens, withdrawn by an admin or with their sender."""

import pytest
from sqlalchemy import select, update

from tests.factories import staff
from tracker.audit import AuditAction, AuditEntry
from tracker.auth.models import Role, StaffInvitation, User
from tracker.auth.services import find_user
from tracker.extensions import db
from tracker.models_base import utcnow

JOIN = {"name": "Nok Chai", "password": "long enough pw", "confirm": "long enough pw"}
INVALID = "This invitation is invalid, used or expired."


@pytest.fixture()
def as_admin(client, auth, admin):
    auth.login(admin.email)
    return admin


def invite(client, smtp, email="nok@ecpat.example", role="reviewer") -> str:
    """Invite through the page; the path of the link mailed."""
    response = client.submit("/review/staff/invite", {"email": email, "role": role})
    assert response.status_code == 302
    return smtp.link(email, "/account/staff-invitation/")


def opens(client, link: str) -> bool:
    response = client.get(link)
    if response.status_code == 200:
        return True
    assert response.location == "/account/login"
    assert INVALID in client.get("/account/login").get_data(as_text=True)
    return False


def last_entry() -> AuditEntry:
    return db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()


def test_the_database_holds_only_the_links_hash(client, smtp, as_admin):
    link = invite(client, smtp)
    token = link.rsplit("/", 1)[1]
    row = db.session.execute(select(StaffInvitation.__table__)).mappings().one()
    assert len(row["token_hash"]) == 64
    assert token not in {str(value) for value in row.values()}


def test_inviting_again_kills_the_earlier_link(client, auth, smtp, as_admin):
    old = invite(client, smtp)
    new = invite(client, smtp, role="admin")
    assert old != new
    auth.logout()
    assert not opens(client, old)
    assert client.submit(old, JOIN).location == "/account/login"
    assert find_user("nok@ecpat.example") is None
    assert client.submit(new, JOIN).location == "/review/"
    assert find_user("nok@ecpat.example").role is Role.ADMIN


def test_a_used_or_expired_link_opens_nothing(app, client, auth, smtp, as_admin, monkeypatch):
    used = invite(client, smtp)
    expired = invite(client, smtp, email="late@ecpat.example")
    auth.logout()
    assert client.submit(used, JOIN).location == "/review/"
    assert find_user("nok@ecpat.example").email == "nok@ecpat.example", "the invited address"
    fresh = app.test_client()
    assert not opens(fresh, used)
    monkeypatch.setitem(app.config, "INVITATION_MAX_AGE", -1)
    assert not opens(fresh, expired)
    assert fresh.submit(expired, JOIN).location == "/account/login"
    assert find_user("late@ecpat.example") is None


def test_an_admin_withdraws_an_invitation_and_its_link_dies(client, auth, smtp, as_admin):
    link = invite(client, smtp)
    invitation = db.session.scalars(select(StaffInvitation)).one()
    path = f"/review/staff/invitations/{invitation.id}/withdraw"
    assert path in client.get("/review/staff").get_data(as_text=True)
    assert client.post(path).status_code == 400, "the button's CSRF token is required"

    response = client.submit(path)
    assert (response.status_code, response.location) == (302, "/review/staff")
    db.session.expire_all()
    assert db.session.get(StaffInvitation, invitation.id).cancelled_at is not None
    entry = last_entry()
    assert (entry.action, entry.actor_id) == (AuditAction.STAFF_INVITATION_WITHDRAWN, as_admin.id)
    assert entry.details == {"email": "nok@ecpat.example"}
    assert client.submit(path).status_code == 404, "withdrawn once"
    auth.logout()
    assert not opens(client, link)
    assert client.submit(link, JOIN).location == "/account/login"
    assert find_user("nok@ecpat.example") is None


def test_deactivating_an_admin_withdraws_their_invitations(app, client, auth, smtp, admin):
    sender = staff(Role.ADMIN, email="sender@example.com")
    auth.login(sender.email)
    theirs = invite(client, smtp)
    auth.logout()
    auth.login(admin.email)
    mine = invite(client, smtp, email="kept@ecpat.example")
    response = client.submit(f"/review/staff/{sender.id}/deactivate")
    assert response.status_code == 302
    entry = last_entry()
    assert (entry.action, entry.subject_user_id) == (AuditAction.STAFF_DEACTIVATED, sender.id)
    assert entry.details == {"invitations_withdrawn": 1}
    auth.logout()
    assert not opens(client, theirs)
    assert client.submit(theirs, JOIN).location == "/account/login"
    assert find_user("nok@ecpat.example") is None
    assert opens(client, mine), "another admin's invitation is untouched"


def test_an_invitation_whose_sender_is_inactive_does_not_open(client, auth, smtp, admin):
    """However the sender was switched off, their pending invitation opens nothing."""
    sender = staff(Role.ADMIN, email="sender@example.com")
    auth.login(sender.email)
    link = invite(client, smtp)
    auth.logout()
    assert opens(client, link)
    db.session.execute(update(User).where(User.id == sender.id).values(deactivated_at=utcnow()))
    db.session.commit()
    assert not opens(client, link)
    assert client.submit(link, JOIN).location == "/account/login"
    assert find_user("nok@ecpat.example") is None
