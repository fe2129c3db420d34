"""Colleague invitations: a random single-use link whose hash alone is stored (no HTTP here)."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.factories import CompanyFactory, UserFactory, owner_of
from tracker.audit import AuditEntry
from tracker.auth import invitations, services
from tracker.auth.models import Invitation, Role, User
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.tokens import hash_link_token, make_token


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def error_fields(excinfo) -> list[str | None]:
    return [field for field, _ in excinfo.value.errors]


def invite(email: str = "colleague@example.com", company=None) -> Invitation:
    return invitations.invite_colleague(owner_of(company or CompanyFactory()), email)


def test_invite_colleague_by_owner():
    company = CompanyFactory()
    owner = owner_of(company)
    invitation = invitations.invite_colleague(owner, " Colleague@Example.com ")
    assert invitation.email == "colleague@example.com"
    assert invitation.company == company
    assert invitation.invited_by == owner
    assert invitation.accepted_at is None
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.actor_id, entry.company_id) == (
        "company.colleague_invited",
        owner.id,
        company.id,
    )


@pytest.mark.parametrize("who", ["colleague", "no_company", "reviewer"])
def test_invite_colleague_only_by_owner(who):
    company = CompanyFactory()
    owner_of(company)
    inviter = {
        "colleague": lambda: UserFactory(company=company, is_owner=False),
        "no_company": lambda: UserFactory(),
        "reviewer": lambda: UserFactory(role=Role.REVIEWER),
    }[who]()
    with pytest.raises(DomainError, match="Only the company's owner can invite"):
        invitations.invite_colleague(inviter, "colleague@example.com")
    db.session.rollback()
    assert db.session.query(Invitation).count() == 0


def test_invite_colleague_does_not_reveal_an_account_elsewhere():
    owner = owner_of(CompanyFactory())
    UserFactory(email="colleague@example.com", company=CompanyFactory())
    invitation = invitations.invite_colleague(owner, "Colleague@example.com")
    assert invitation.email == "colleague@example.com"
    assert invitation.company is owner.company


def test_invite_colleague_refuses_a_colleague_already_in_the_company():
    company = CompanyFactory()
    owner = owner_of(company)
    UserFactory(email="colleague@example.com", company=company)
    with pytest.raises(DomainError, match="already has access") as excinfo:
        invitations.invite_colleague(owner, "Colleague@example.com")
    assert error_fields(excinfo) == ["email"]


def test_inviting_again_renews_the_pending_invitation_and_kills_the_old_link():
    owner = owner_of(CompanyFactory())
    first = invitations.invite_colleague(owner, "colleague@example.com")
    old_token = first.token
    again = invitations.invite_colleague(owner, "COLLEAGUE@example.com")
    assert again.id == first.id
    assert db.session.query(Invitation).count() == 1
    assert again.token != old_token
    assert invitations.pending_invitation(old_token) is None
    assert invitations.pending_invitation(again.token) == again


def test_the_database_holds_only_the_tokens_hash():
    invitation = invite()
    token = invitation.token
    assert len(token) >= 43  # 32 random bytes
    db.session.commit()
    db.session.expire_all()
    [row] = db.session.execute(select(Invitation.__table__)).mappings().all()
    assert token not in {str(value) for value in row.values()}
    assert row["token_hash"] == hash_link_token(token)


def test_a_link_opens_only_its_own_invitation():
    mine = invite(company=CompanyFactory())
    theirs = invite("other@example.com", company=CompanyFactory())
    assert invitations.pending_invitation(mine.token) == mine
    assert invitations.pending_invitation(theirs.token) == theirs


def test_an_expired_link_opens_nothing(app, monkeypatch):
    invitation = invite()
    max_age = app.config["INVITATION_MAX_AGE"]
    invitation.sent_at = utcnow() - timedelta(seconds=max_age - 60)
    assert invitations.pending_invitation(invitation.token) == invitation
    invitation.sent_at = utcnow() - timedelta(seconds=max_age + 60)
    assert invitations.pending_invitation(invitation.token) is None


def test_a_cancelled_link_opens_nothing_and_cannot_be_claimed():
    invitation = invite()
    invitations.cancel(invitation)
    assert invitations.pending_invitation(invitation.token) is None
    with pytest.raises(DomainError, match="already been used"):
        invitations.accept_invitation(invitation, "Col", "long enough pw")
    assert services.find_user("colleague@example.com") is None


def test_a_link_sent_again_meanwhile_cannot_be_claimed_with_the_old_one():
    """The old link was loaded, then the owner sent a new one before the form was posted."""
    invitation = invite()
    db.session.commit()
    db.session.execute(  # another request; this one keeps the row as it loaded it
        update(Invitation)
        .where(Invitation.id == invitation.id)
        .values(token_hash=hash_link_token("a newer link"))
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(DomainError, match="already been used"):
        invitations.accept_invitation(invitation, "Col", "long enough pw")


@pytest.mark.parametrize("token", [None, 1, "", "x" * 101, "not-a-token", ["list"]])
def test_pending_invitation_refuses_anything_but_a_live_token(token):
    invite()
    assert invitations.pending_invitation(token) is None


def test_accept_invitation_refuses_an_address_with_an_account():
    invitation = invite()
    UserFactory(email="colleague@example.com")
    with pytest.raises(DomainError, match="already has an account"):
        invitations.accept_invitation(invitation, "Col", "long enough pw")


def test_accept_invitation_used_meanwhile_creates_nothing():
    """A parallel request marked the invitation used after this one loaded it."""
    invitation = invite()
    db.session.commit()
    db.session.execute(
        update(Invitation).where(Invitation.id == invitation.id).values(accepted_at=utcnow())
    )
    with pytest.raises(DomainError, match="already been used"):
        invitations.accept_invitation(invitation, "Col", "long enough pw")
    db.session.rollback()
    assert services.find_user("colleague@example.com") is None


def test_accept_invitation_joins_company_as_non_owner_with_the_invited_address():
    company = CompanyFactory()
    invitation = invite("Colleague@Example.com", company=company)
    token = invitation.token
    user = invitations.accept_invitation(invitation, " Col League ", "long enough pw")
    db.session.commit()
    db.session.refresh(user)
    assert user.company == company
    assert not user.is_owner
    assert user.role is Role.COMPANY
    assert user.email == "colleague@example.com"
    assert user.name == "Col League"
    assert user.email_confirmed
    assert user.check_password("long enough pw")
    assert invitation.accepted_at is not None
    assert invitations.pending_invitation(token) is None, "a used link opens nothing"
    assert audit_actions()[-1] == "company.colleague_joined"


def test_accept_invitation_twice_is_refused():
    invitation = invite()
    invitations.accept_invitation(invitation, "Col", "long enough pw")
    db.session.commit()
    with pytest.raises(DomainError, match="already has an account"):
        invitations.accept_invitation(invitation, "Col Again", "another long pw")
    db.session.rollback()
    assert db.session.query(User).filter_by(email="colleague@example.com").count() == 1


def test_accept_invitation_when_address_registered_meanwhile():
    invitation = invite()
    UserFactory(email="colleague@example.com")
    with pytest.raises(DomainError, match="already has an account"):
        invitations.accept_invitation(invitation, "Col", "long enough pw")


def test_an_old_style_signed_id_link_opens_nothing(client, owner_a):
    """Links sent before tokens carried a signed row id; no such link opens anything now."""
    invitation = invitations.invite_colleague(owner_a, "colleague@example.com")
    db.session.commit()
    response = client.get("/account/invitation/" + make_token("invite", invitation.id))
    assert response.location == "/"
    assert "This invitation is invalid" in client.get("/").get_data(as_text=True)
