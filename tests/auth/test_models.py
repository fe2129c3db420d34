"""User model invariants, including those the database itself enforces."""

import pytest
from sqlalchemy.exc import IntegrityError

from tests.factories import CompanyFactory, UserFactory
from tracker.auth.models import Role, User
from tracker.extensions import db


def _user(**kwargs) -> User:
    fields = {"email": "someone@example.com", "name": "Someone", "password_hash": "x"}
    return User(**{**fields, **kwargs})


def test_set_password_stores_a_hash_not_the_password():
    user = _user()
    user.set_password("a secret passphrase")
    assert "a secret passphrase" not in user.password_hash
    assert user.check_password("a secret passphrase")
    assert not user.check_password("a secret passphrasE")
    assert not user.check_password("")


def test_same_password_hashes_differently_each_time():
    first, second = _user(), _user()
    first.set_password("a secret passphrase")
    second.set_password("a secret passphrase")
    assert first.password_hash != second.password_hash


def test_database_refuses_a_second_user_with_the_same_email():
    db.session.add(_user(email="twin@example.com"))
    db.session.commit()
    db.session.add(_user(email="twin@example.com", name="Twin"))
    with pytest.raises(IntegrityError, match=r"(?i)unique constraint.*email"):
        db.session.flush()
    db.session.rollback()
    assert db.session.query(User).filter_by(email="twin@example.com").count() == 1


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMIN, Role.REPRESENTATIVE])
def test_database_refuses_staff_in_a_company(role):
    company = CompanyFactory()
    db.session.add(_user(role=role, company_id=company.id))
    with pytest.raises(IntegrityError, match="staff_no_company"):
        db.session.flush()
    db.session.rollback()


def test_database_refuses_staff_owner():
    db.session.add(_user(role=Role.REVIEWER, is_owner=True))
    with pytest.raises(IntegrityError, match="staff_no_company"):
        db.session.flush()
    db.session.rollback()


def test_database_accepts_company_user_in_a_company():
    company = CompanyFactory()
    db.session.add(_user(role=Role.COMPANY, company_id=company.id, is_owner=True))
    db.session.flush()
    assert company.owner is not None


def test_get_id_is_the_session_token_and_needs_a_session():
    user = UserFactory()
    with pytest.raises(RuntimeError, match="no server-side session: sign in with"):
        user.get_id()
    user.session_token = "a-token"
    assert user.get_id() == "a-token"


def test_users_are_equal_by_row_not_by_session():
    first, second = UserFactory(), UserFactory()
    same = db.session.get(User, first.id)
    first.session_token = "one"
    assert first == same and first != second
    assert first != UserFactory.build()


@pytest.mark.parametrize(
    ("role", "is_staff"),
    [
        (Role.COMPANY, False),
        (Role.REVIEWER, True),
        (Role.ADMIN, True),
        (Role.REPRESENTATIVE, True),
    ],
)
def test_is_staff_by_role(role, is_staff):
    assert _user(role=role).is_staff is is_staff
