"""Account services, called directly (no HTTP)."""

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD, UserFactory
from tracker.audit import AuditEntry
from tracker.auth import services, sessions
from tracker.auth.models import Role, User
from tracker.domain import DomainError
from tracker.extensions import db


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def error_fields(excinfo) -> list[str | None]:
    return [field for field, _ in excinfo.value.errors]


# register_user


def test_register_user_normalises_email_and_hashes_password():
    user = services.register_user("  Ana Lee ", "  Ana@Example.COM ", "long enough pw")
    assert user.email == "ana@example.com"
    assert user.name == "Ana Lee"
    assert user.role is Role.COMPANY
    assert user.company is None
    assert not user.email_confirmed
    assert user.check_password("long enough pw")


def test_register_user_records_audit_row():
    user = services.register_user("Ana", "ana@example.com", "long enough pw")
    entry = db.session.scalar(select(AuditEntry))
    assert entry.action == "user.registered"
    assert entry.actor_id == user.id


@pytest.mark.parametrize("email", ["taken@example.com", "TAKEN@example.com", " Taken@Example.com"])
def test_register_user_creates_nothing_for_a_taken_email(email):
    UserFactory(email="taken@example.com")
    assert services.register_user("Ana", email, "long enough pw") is None
    db.session.commit()
    assert db.session.query(User).count() == 1
    assert audit_actions() == []


# authenticate


def test_authenticate_right_password():
    user = UserFactory(email="ana@example.com")
    assert services.authenticate("ana@example.com", PASSWORD) == user
    assert services.authenticate(" ANA@example.com ", PASSWORD) == user


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("ana@example.com", "wrong password"),
        ("ana@example.com", ""),
        ("nobody@example.com", PASSWORD),
    ],
)
def test_authenticate_refuses_wrong_password_or_unknown_email(email, password):
    UserFactory(email="ana@example.com")
    assert services.authenticate(email, password) is None


# confirm_email


def test_confirm_email_marks_address_confirmed_once():
    user = UserFactory(email_confirmed_at=None)
    assert services.confirm_email(user, user.email)
    confirmed_at = user.email_confirmed_at
    assert confirmed_at is not None
    assert services.confirm_email(user, user.email)
    assert user.email_confirmed_at == confirmed_at
    assert audit_actions() == ["user.email_confirmed"]


def test_confirm_email_refuses_another_address():
    user = UserFactory(email_confirmed_at=None)
    assert not services.confirm_email(user, "other@example.com")
    assert not user.email_confirmed
    assert audit_actions() == []


# change_password and reset


def test_change_password_with_wrong_current_password():
    user = UserFactory()
    with pytest.raises(DomainError, match="not your current password") as excinfo:
        services.change_password(user, "not my password", "a new long password", keep_session=None)
    assert error_fields(excinfo) == ["current_password"]
    db.session.rollback()
    assert user.check_password(PASSWORD)


def test_change_password_ends_other_sessions_and_audits():
    user = UserFactory()
    kept, other = sessions.start_session(user, False), sessions.start_session(user, True)
    services.change_password(user, PASSWORD, "a new long password", keep_session=kept)
    db.session.commit()
    db.session.refresh(user)
    assert user.check_password("a new long password")
    assert not user.check_password(PASSWORD)
    assert sessions.load_session(kept) == user
    assert sessions.load_session(other) is None
    assert audit_actions() == ["user.password_changed"]


def test_reset_ends_every_session():
    user = UserFactory()
    tokens = [sessions.start_session(user, False), sessions.start_session(user, True)]
    services.set_new_password(user, "a new long password", action="user.password_reset")
    db.session.commit()
    assert [sessions.load_session(token) for token in tokens] == [None, None]


def test_reset_token_payload_is_single_use():
    user = UserFactory()
    payload = services.reset_token_payload(user)
    assert services.user_for_reset(payload) == user
    services.set_new_password(user, "a new long password", action="user.password_reset")
    assert services.user_for_reset(payload) is None
    assert services.user_for_reset(services.reset_token_payload(user)) == user


@pytest.mark.parametrize("payload", [None, "1", {}, {"id": "1", "h": "x"}, {"id": 10**6, "h": "x"}])
def test_user_for_reset_refuses_malformed_payloads(payload):
    UserFactory()
    assert services.user_for_reset(payload) is None


def test_user_for_reset_refuses_the_old_hash_fragment():
    user = UserFactory()
    assert services.user_for_reset({"id": user.id, "h": user.password_hash[-16:]}) is None


def test_reset_token_payload_is_bound_to_the_user():
    user, other = UserFactory(), UserFactory()  # the factory gives both the same password hash
    payload = services.reset_token_payload(user)
    assert services.user_for_reset({**payload, "id": other.id}) is None


# create_staff


def staff_account(**kwargs) -> services.StaffAccount:
    fields = {
        "email": "Staff@Example.com",
        "name": "Sam Staff",
        "role": Role.REVIEWER,
        "password": "long enough pw",
    }
    return services.StaffAccount(**{**fields, **kwargs})


@pytest.mark.parametrize(
    ("role", "countries"),
    [
        (Role.REVIEWER, ()),
        (Role.ADMIN, ()),
        (Role.REPRESENTATIVE, ("TH",)),
        (Role.REPRESENTATIVE, ("TH", "KH", "TH")),
    ],
)
def test_create_staff(role, countries):
    user = services.create_staff(staff_account(role=role, countries=countries))
    db.session.commit()
    db.session.refresh(user)
    assert user.email == "staff@example.com"
    assert user.role is role
    assert user.email_confirmed
    assert user.company_id is None
    assert user.country_codes == sorted(set(countries))
    assert user.check_password("long enough pw")
    # A representative joins the organisation named after it, made with its countries.
    made = ["representative.created"] if role is Role.REPRESENTATIVE else []
    assert audit_actions() == [*made, "staff.created"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"role": Role.COMPANY}, "role"),
        ({"role": Role.REPRESENTATIVE, "countries": ("XX",)}, "country"),
        ({"role": Role.REPRESENTATIVE, "countries": ("TH", "th")}, "country"),
        ({"role": Role.REPRESENTATIVE, "countries": ()}, "country"),
        ({"role": Role.REVIEWER, "countries": ("TH",)}, "country"),
        ({"role": Role.ADMIN, "countries": ("TH",)}, "country"),
    ],
)
def test_create_staff_validation(kwargs, field):
    with pytest.raises(
        DomainError,
        match="^(Staff accounts are|A representative needs|Only representatives|Unknown country)",
    ) as excinfo:
        services.create_staff(staff_account(**kwargs))
    assert error_fields(excinfo) == [field]
    db.session.rollback()
    assert db.session.query(User).count() == 0


def test_create_staff_refuses_taken_email():
    UserFactory(email="staff@example.com")
    with pytest.raises(
        DomainError, match="An account with this e-mail address already exists"
    ) as excinfo:
        services.create_staff(staff_account(email="STAFF@example.com"))
    assert error_fields(excinfo) == ["email"]
