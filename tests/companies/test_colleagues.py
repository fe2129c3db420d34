"""The owner resends or cancels invitations, removes colleagues and hands over ownership."""

import pytest
from sqlalchemy import delete, select, update

from tests.factories import PASSWORD, UserFactory
from tracker.audit import AuditAction, AuditEntry
from tracker.auth.models import Invitation, OwnershipOffer, User
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


JOIN_PW = "long enough pw"


def last_action() -> str:
    return db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc())).first()


def join(client, link: str, name: str = "Mallory"):
    """Follow an invitation link and post the form, as whoever holds the link would."""
    return client.submit(link, {"name": name, "password": JOIN_PW, "confirm": JOIN_PW})


def refused(client, link: str) -> bool:
    """The link opens nothing: its page sends the visitor home with the error."""
    response = client.get(link)
    flashed = client.get("/").get_data(as_text=True)
    return response.location == "/" and "This invitation is invalid, used or expired" in flashed


def test_resending_an_invitation_sends_a_new_link_and_kills_the_old(client, auth, smtp, as_owner):
    invitation = invite(client)
    old = smtp.link("new@example.com", "/account/invitation/")
    response = client.submit(f"/company/colleagues/invitations/{invitation.id}/resend")
    assert (response.status_code, response.location) == (302, "/company/colleagues")
    assert len(smtp.to("new@example.com")) == 2
    assert db.session.scalars(select(Invitation)).all() == [invitation]
    new = smtp.link("new@example.com", "/account/invitation/")
    assert new != old
    auth.logout()
    assert refused(client, old)
    assert join(client, old).location == "/"
    assert db.session.scalar(select(User).filter_by(email="new@example.com")) is None
    assert join(client, new).location == "/company/"


def test_a_cancelled_invitations_link_no_longer_works(client, auth, smtp, as_owner):
    invitation_id = invite(client).id
    link = smtp.link("new@example.com", "/account/invitation/")
    client.submit(f"/company/colleagues/invitations/{invitation_id}/cancel")
    [kept] = db.session.scalars(select(Invitation)).all()
    assert kept.cancelled_at is not None, "kept, so its id is never handed out again"
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.actor_id) == (
        AuditAction.COLLEAGUE_INVITATION_CANCELLED,
        as_owner.id,
    )
    assert entry.details == {"email": "new@example.com"}
    client.get("/company/colleagues")  # shows the flashed message, which names the address
    assert "new@example.com" not in client.get("/company/colleagues").get_data(as_text=True)
    auth.logout()
    assert refused(client, link)
    assert join(client, link).location == "/"
    assert db.session.scalar(select(User).filter_by(email="new@example.com")) is None


def test_a_cancelled_link_does_not_open_the_next_invitation_made(
    app, client, auth, smtp, as_owner, company_b, owner_b
):
    """The attack: SQLite hands a deleted row's id to the next row; a link was only that id."""
    cancelled_id = invite(client, "victim.a@example.com").id
    link = smtp.link("victim.a@example.com", "/account/invitation/")
    client.submit(f"/company/colleagues/invitations/{cancelled_id}/cancel")
    # Purge the cancelled row, as the old code did on cancel: its id is free for the next row.
    db.session.execute(delete(Invitation).where(Invitation.id == cancelled_id))
    db.session.commit()

    theirs = app.test_client()
    theirs.submit("/account/login", {"email": owner_b.email, "password": PASSWORD})
    theirs.submit("/company/colleagues", {"email": "victim.b@example.com"})
    other = db.session.scalar(select(Invitation).filter_by(email="victim.b@example.com"))
    if db.engine.dialect.name == "sqlite":
        assert other.id == cancelled_id, "the id is reused, as in the attack"

    auth.logout()
    assert refused(client, link)
    assert join(client, link).location == "/"
    assert db.session.scalar(select(User).filter_by(email="victim.b@example.com")) is None
    assert db.session.get(Invitation, other.id).accepted_at is None
    real = smtp.link("victim.b@example.com", "/account/invitation/")
    assert join(app.test_client(), real, "Victim B").location == "/company/"


def test_a_used_or_expired_link_opens_nothing(app, client, auth, smtp, as_owner, monkeypatch):
    invite(client, "one@example.com")
    invite(client, "two@example.com")
    used = smtp.link("one@example.com", "/account/invitation/")
    expired = smtp.link("two@example.com", "/account/invitation/")
    auth.logout()
    assert join(client, used, "One").location == "/company/"
    assert db.session.scalar(select(User.email).filter_by(name="One")) == "one@example.com"
    assert refused(app.test_client(), used)
    assert join(app.test_client(), used).location == "/"
    assert db.session.scalar(select(User).filter_by(name="Mallory")) is None

    monkeypatch.setitem(app.config, "INVITATION_MAX_AGE", -1)
    fresh = app.test_client()
    assert refused(fresh, expired)
    assert join(fresh, expired).location == "/"
    assert db.session.scalar(select(User).filter_by(email="two@example.com")) is None


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


def sign_in(app, email: str):
    each = app.test_client()
    each.submit("/account/login", {"email": email, "password": PASSWORD})
    return each


def owners() -> list[str]:
    db.session.expire_all()
    return db.session.scalars(select(User.email).where(User.is_owner)).all()


def test_the_owner_withdraws_an_offer_and_its_link_dies(app, client, smtp, as_owner, colleague):
    client.submit(f"/company/colleagues/{colleague.id}/transfer")
    link = smtp.link(colleague.email, "/company/ownership/")
    [offer] = db.session.scalars(select(OwnershipOffer)).all()
    raw = link.rsplit("/", 1)[1]
    row = db.session.execute(select(OwnershipOffer.__table__)).mappings().one()
    assert raw not in {str(value) for value in row.values()}, "only the hash is stored"
    page = client.get("/company/colleagues").get_data(as_text=True)
    assert f"/company/colleagues/ownership-offers/{offer.id}/withdraw" in page

    assert (
        client.post(f"/company/colleagues/ownership-offers/{offer.id}/withdraw").status_code == 400
    )
    response = client.submit(f"/company/colleagues/ownership-offers/{offer.id}/withdraw")
    assert (response.status_code, response.location) == (302, "/company/colleagues")
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.actor_id, entry.subject_user_id) == (
        AuditAction.OWNERSHIP_OFFER_WITHDRAWN,
        as_owner.id,
        colleague.id,
    )

    theirs = sign_in(app, colleague.email)
    assert theirs.get(link).location == "/company/"
    assert "withdrawn" in theirs.get("/company/").get_data(as_text=True)
    assert theirs.submit(link).location == "/company/"
    assert owners() == [as_owner.email]


def test_an_offer_dies_when_ownership_passes_even_if_it_comes_back(
    app, client, smtp, as_owner, colleague, company_a
):
    """Bound to the owner who made it: ownership going away and back does not revive it."""
    other = UserFactory(company=company_a, email="other@example.com")
    client.submit(f"/company/colleagues/{colleague.id}/transfer")
    stale = smtp.link(colleague.email, "/company/ownership/")
    client.submit(f"/company/colleagues/{other.id}/transfer")
    theirs = sign_in(app, other.email)
    theirs.submit(smtp.link(other.email, "/company/ownership/"))
    assert owners() == [other.email]

    theirs.submit(f"/company/colleagues/{as_owner.id}/transfer")
    client.submit(smtp.link(as_owner.email, "/company/ownership/"))
    assert owners() == [as_owner.email], "the first owner owns the company again"

    colleagues_client = sign_in(app, colleague.email)
    assert colleagues_client.get(stale).location == "/company/"
    assert colleagues_client.submit(stale).location == "/company/"
    assert owners() == [as_owner.email]


def test_an_offer_from_an_owner_who_stepped_down_says_so(app, client, smtp, as_owner, colleague):
    """Ownership changed by another way than an offer (here, directly in the database)."""
    client.submit(f"/company/colleagues/{colleague.id}/transfer")
    link = smtp.link(colleague.email, "/company/ownership/")
    other = UserFactory(company=as_owner.company, email="other@example.com")
    db.session.execute(update(User).where(User.id == as_owner.id).values(is_owner=False))
    db.session.execute(update(User).where(User.id == other.id).values(is_owner=True))
    db.session.commit()
    theirs = sign_in(app, colleague.email)
    assert theirs.submit(link).location == "/company/"
    assert "the company&#39;s owner has changed" in theirs.get("/company/").get_data(as_text=True)
    assert owners() == [other.email]
