"""The owner resends or cancels invitations, removes colleagues and hands over ownership."""

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD, UserFactory
from tracker.audit import AuditAction, AuditEntry
from tracker.auth.models import Invitation, User
from tracker.extensions import db


@pytest.fixture()
def colleague(company_a):
    return UserFactory(company=company_a, email="colleague@example.com", name="Col League")


@pytest.fixture()
def as_owner(client, auth, owner_a):
    auth.login(owner_a.email)
    return owner_a


def invite(client, email="new@example.com") -> Invitation:
    client.submit("/company/colleagues", {"email": email})
    return db.session.scalar(select(Invitation).filter_by(email=email))


def last_action() -> str:
    return db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc())).first()


def test_resending_an_invitation_mails_the_same_invitation(client, smtp, as_owner):
    invitation = invite(client)
    response = client.submit(f"/company/colleagues/invitations/{invitation.id}/resend")
    assert (response.status_code, response.location) == (302, "/company/colleagues")
    assert len(smtp.to("new@example.com")) == 2
    assert db.session.scalars(select(Invitation)).all() == [invitation]


def test_a_cancelled_invitations_link_no_longer_works(client, auth, smtp, as_owner):
    invitation_id = invite(client).id
    link = smtp.link("new@example.com", "/account/invitation/")
    client.submit(f"/company/colleagues/invitations/{invitation_id}/cancel")
    assert db.session.scalars(select(Invitation)).all() == []
    assert last_action() == AuditAction.COLLEAGUE_INVITATION_CANCELLED
    auth.logout()
    response = client.get(link)
    assert response.location == "/"


def test_a_removed_colleague_loses_access_at_once(app, client, as_owner, colleague):
    theirs = app.test_client()
    theirs.submit("/account/login", {"email": colleague.email, "password": PASSWORD})
    assert b"Alpha Tours" in theirs.get("/company/").data

    response = client.submit(f"/company/colleagues/{colleague.id}/remove")
    assert (response.status_code, response.location) == (302, "/company/colleagues")
    assert db.session.get(User, colleague.id).company_id is None
    assert theirs.get("/company/").status_code == 302, "signed out"
    theirs.submit("/account/login", {"email": colleague.email, "password": PASSWORD})
    assert b"Alpha Tours" not in theirs.get("/company/").data
    entry = db.session.scalars(select(AuditEntry)).all()[-1]
    assert (entry.action, entry.subject_user_id) == (AuditAction.COLLEAGUE_REMOVED, colleague.id)


def test_ownership_passes_only_when_the_colleague_accepts(app, client, smtp, as_owner, colleague):
    response = client.submit(f"/company/colleagues/{colleague.id}/transfer")
    assert response.status_code == 302
    assert db.session.get(User, as_owner.id).is_owner, "nothing changes before acceptance"
    link = smtp.link(colleague.email, "/company/ownership/")

    theirs = app.test_client()
    theirs.submit("/account/login", {"email": colleague.email, "password": PASSWORD})
    assert b"Accept ownership" in theirs.get(link).data
    response = theirs.submit(link)
    assert (response.status_code, response.location) == (302, "/company/colleagues")
    db.session.expire_all()
    assert db.session.get(User, colleague.id).is_owner
    assert not db.session.get(User, as_owner.id).is_owner
    assert last_action() == AuditAction.OWNERSHIP_TRANSFERRED

    again = theirs.submit(link)
    assert again.location == "/company/"
    assert db.session.get(User, colleague.id).is_owner, "a second use changes nothing"


def test_an_offer_is_only_for_the_colleague_it_names(client, smtp, auth, as_owner, colleague):
    client.submit(f"/company/colleagues/{colleague.id}/transfer")
    link = smtp.link(colleague.email, "/company/ownership/")
    response = client.submit(link)  # the owner follows the link themself
    assert response.location == "/company/"
    assert db.session.get(User, as_owner.id).is_owner


def test_an_offer_lapses_when_the_owner_changes(app, client, smtp, as_owner, colleague, company_a):
    other = UserFactory(company=company_a, email="other@example.com")
    client.submit(f"/company/colleagues/{colleague.id}/transfer")
    client.submit(f"/company/colleagues/{other.id}/transfer")
    first = smtp.link(colleague.email, "/company/ownership/")
    second = smtp.link(other.email, "/company/ownership/")
    for email, link in ((other.email, second), (colleague.email, first)):
        each = app.test_client()
        each.submit("/account/login", {"email": email, "password": PASSWORD})
        each.submit(link)
    db.session.expire_all()
    owners = db.session.scalars(select(User.email).where(User.is_owner)).all()
    assert owners == [other.email]
