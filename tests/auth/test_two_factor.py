"""Two-step sign-in: staff must give a code after the password; company users may opt in."""

import hashlib
import re

import pyotp
import pytest
from sqlalchemy import select, update

from tests.factories import PASSWORD, staff
from tests.fixtures.two_factor import (
    STAFF_TOTP_SECRET,
    VERIFY_PATH,
    code_for,
    two_factor_columns,
)
from tracker.audit import AuditEntry
from tracker.auth import two_factor
from tracker.auth.models import RecoveryCode, Role, User
from tracker.domain import DomainError
from tracker.extensions import db

SETUP_PATH = "/account/two-factor/setup"
# TEST-NET addresses, one per attacking machine.
ADDRESSES = [f"203.0.113.{n}" for n in range(1, 21)]


def password_step(client, user: User, address: str = "198.51.100.7"):
    data = {"email": user.email, "password": PASSWORD}
    return client.submit("/account/login", data, environ_base={"REMOTE_ADDR": address})


def send_code(client, code: str, address: str = "198.51.100.7"):
    return client.submit(VERIFY_PATH, {"code": code}, environ_base={"REMOTE_ADDR": address})


def signed_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def wrong_code(secret: str = STAFF_TOTP_SECRET) -> str:
    return f"{(int(code_for(secret)) + 500_000) % 1_000_000:06d}"


def secret_on(page: str) -> str:
    return re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)


def recovery_codes_on(page: str) -> list[str]:
    return re.findall(r"<li><code>([a-z2-9-]+)</code></li>", page)


def set_up_through_the_page(client, **form) -> list[str]:
    """Set up the second factor on its page, as a person with an app would: the codes shown."""
    secret = secret_on(client.get(SETUP_PATH).get_data(as_text=True))
    response = client.submit(SETUP_PATH, {"code": pyotp.TOTP(secret).now(), **form})
    assert response.status_code == 200
    return recovery_codes_on(response.get_data(as_text=True))


def forget_used_step(user: User) -> None:
    """Let the current code be typed again (a later sign-in in the same 30 seconds)."""
    db.session.execute(update(User).where(User.id == user.id).values(totp_last_step=None))
    db.session.commit()


# staff


def test_the_password_alone_does_not_sign_staff_in(client, reviewer):
    response = password_step(client, reviewer)
    assert (response.status_code, response.location) == (302, VERIFY_PATH)
    assert not signed_in(client)
    opened = client.get("/review/")
    assert (opened.status_code, opened.location) == (302, "/account/login?next=%2Freview%2F")
    # The sign-in page leads back to the code while the password step holds.
    assert client.get("/account/login").location == VERIFY_PATH


def test_the_code_signs_staff_in(client, reviewer):
    password_step(client, reviewer)
    response = send_code(client, code_for())
    assert (response.status_code, response.location) == (302, "/review/")
    assert signed_in(client)
    assert client.get("/review/").status_code == 200


def test_signing_in_rotates_the_session(client, reviewer):
    password_step(client, reviewer)
    with client.session_transaction() as session:
        session["left_over"] = "from before the sign-in"
        before = session["csrf_token"]
    send_code(client, code_for())
    with client.session_transaction() as session:
        assert "left_over" not in session and session.get("csrf_token") != before
        assert "two_factor_pending" not in session


def test_a_code_works_only_once(app, client, reviewer):
    password_step(client, reviewer)
    code = code_for()
    assert send_code(client, code).status_code == 302
    # Seen over the shoulder: the same code, at once, in another browser.
    other = app.test_client()
    password_step(other, reviewer)
    response = send_code(other, code)
    assert response.status_code == 200
    assert "not right, or it was already used" in response.get_data(as_text=True)
    assert not signed_in(other)


def test_a_wrong_code_is_refused(client, reviewer):
    password_step(client, reviewer)
    response = send_code(client, wrong_code())
    assert response.status_code == 200
    assert not signed_in(client)


def assert_limited(response) -> None:
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_wrong_codes_are_limited_per_account(app, reviewer):
    """Five wrong codes a minute per account, from any number of addresses; then even the
    right one waits."""
    for address in ADDRESSES[:5]:
        client = app.test_client()
        password_step(client, reviewer, address)
        assert send_code(client, wrong_code(), address).status_code == 200
    client = app.test_client()
    password_step(client, reviewer, ADDRESSES[5])
    assert_limited(send_code(client, code_for(), ADDRESSES[5]))
    assert not signed_in(client)


def test_wrong_codes_are_limited_per_address(app):
    """Ten wrong codes a minute from one address, spread over accounts."""
    people = [staff(Role.REVIEWER, **two_factor_columns()) for _ in range(3)]
    db.session.commit()
    address, tries = ADDRESSES[0], []
    for n in range(11):
        client = app.test_client()
        password_step(client, people[n % 3], address)
        tries.append(send_code(client, wrong_code(), address))
    assert [r.status_code for r in tries[:10]] == [200] * 10
    assert_limited(tries[10])


def test_right_codes_do_not_count_against_the_limit(app, client, reviewer):
    for _ in range(6):
        forget_used_step(reviewer)
        client = app.test_client()
        password_step(client, reviewer)
        assert send_code(client, code_for()).status_code == 302


def test_staff_without_a_second_factor_set_it_up_before_anything_else(client):
    newcomer = staff(Role.REVIEWER, email="new.reviewer@example.com")
    db.session.commit()
    response = password_step(client, newcomer)
    assert (response.status_code, response.location) == (302, SETUP_PATH)
    assert client.get(VERIFY_PATH).location == SETUP_PATH
    assert client.get("/review/").status_code == 302
    assert not signed_in(client)

    codes = set_up_through_the_page(client)
    assert len(codes) == 10
    assert signed_in(client)
    assert client.get("/review/").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, newcomer.id).has_two_factor


def test_the_setup_page_shows_the_qr_code_and_the_key(client):
    newcomer = staff(Role.ADMIN, email="new.admin@example.com")
    db.session.commit()
    password_step(client, newcomer)
    page = client.get(SETUP_PATH).get_data(as_text=True)
    secret = secret_on(page)
    assert len(secret) == 32
    assert '<svg role="img"' in page and "QR code for your authenticator app" in page
    # The same key on a reload, so a slow scan still matches.
    assert secret_on(client.get(SETUP_PATH).get_data(as_text=True)) == secret


def test_a_wrong_setup_code_turns_nothing_on(client):
    newcomer = staff(Role.REVIEWER, email="new.reviewer@example.com")
    db.session.commit()
    password_step(client, newcomer)
    secret = secret_on(client.get(SETUP_PATH).get_data(as_text=True))
    response = client.submit(SETUP_PATH, {"code": wrong_code(secret)})
    assert response.status_code == 200
    assert not signed_in(client)
    db.session.expire_all()
    assert not db.session.get(User, newcomer.id).has_two_factor


def test_signed_in_staff_who_lost_their_factor_reach_only_its_setup(client, auth, reviewer):
    auth.login(reviewer.email)
    db.session.execute(
        update(User)
        .where(User.id == reviewer.id)
        .values(totp_secret=None, two_factor_enabled_at=None)
    )
    db.session.commit()
    for path in ("/review/", "/account/password", "/account/two-factor/settings"):
        response = client.get(path)
        assert (response.status_code, response.location) == (302, SETUP_PATH)
    assert client.get(SETUP_PATH).status_code == 200


def test_staff_cannot_turn_their_second_factor_off(client, auth, reviewer):
    auth.login(reviewer.email)
    forget_used_step(reviewer)
    response = client.submit("/account/two-factor/disable", {"code": code_for()})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, reviewer.id).has_two_factor


# recovery codes


def give_recovery_codes(user: User) -> list[str]:
    forget_used_step(user)
    codes = two_factor.renew_recovery_codes(user)
    db.session.commit()
    return codes


def test_a_recovery_code_signs_in_once(app, client, reviewer):
    codes = give_recovery_codes(reviewer)
    password_step(client, reviewer)
    assert send_code(client, codes[3].upper()).status_code == 302
    assert signed_in(client)

    again = app.test_client()
    password_step(again, reviewer)
    assert send_code(again, codes[3]).status_code == 200
    assert not signed_in(again)
    used = db.session.scalars(select(RecoveryCode).where(RecoveryCode.used_at.is_not(None)))
    assert len(used.all()) == 1


def test_recovery_codes_are_stored_hashed(reviewer):
    codes = give_recovery_codes(reviewer)
    stored = set(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(codes) == 10 == len(stored)
    plain = {code.replace("-", "") for code in codes}
    assert stored == {hashlib.sha256(code.encode()).hexdigest() for code in plain}
    assert not plain & stored


def test_new_recovery_codes_replace_the_old(client, auth, reviewer):
    old = give_recovery_codes(reviewer)
    auth.login(reviewer.email)
    forget_used_step(reviewer)
    page = client.submit("/account/two-factor/recovery-codes", {"code": code_for()})
    new = recovery_codes_on(page.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    auth.logout()
    password_step(client, reviewer)
    assert send_code(client, old[0]).status_code == 200
    assert send_code(client, new[0]).status_code == 302


# an administrator's reset


def test_an_admin_resets_a_colleagues_second_factor(app, client, auth, admin, reviewer):
    theirs = app.test_client()
    password_step(theirs, reviewer)
    send_code(theirs, code_for())
    assert theirs.get("/review/").status_code == 200

    auth.login(admin.email)
    page = client.get("/review/staff").get_data(as_text=True)
    assert f"/review/staff/{reviewer.id}/two-factor-reset" in page
    response = client.submit(f"/review/staff/{reviewer.id}/two-factor-reset")
    assert (response.status_code, response.location) == (302, "/review/staff")

    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "staff.two_factor_reset")
    ).one()
    assert (entry.actor_id, entry.subject_user_id) == (admin.id, reviewer.id)
    # Their sessions ended, and the next sign-in sets a new factor up.
    assert theirs.get("/review/").location.startswith("/account/login")
    assert password_step(theirs, reviewer).location == SETUP_PATH
    db.session.expire_all()
    assert db.session.get(User, reviewer.id).totp_secret is None


def test_the_reset_needs_the_buttons_csrf_token(client, auth, admin, reviewer):
    auth.login(admin.email)
    response = client.post(f"/review/staff/{reviewer.id}/two-factor-reset")
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, reviewer.id).has_two_factor


def test_an_admin_cannot_reset_their_own_second_factor(client, auth, admin):
    auth.login(admin.email)
    client.submit(f"/review/staff/{admin.id}/two-factor-reset")
    db.session.expire_all()
    assert db.session.get(User, admin.id).has_two_factor


def test_company_accounts_are_not_reset_here(client, auth, admin, owner_a):
    auth.login(admin.email)
    assert client.submit(f"/review/staff/{owner_a.id}/two-factor-reset").status_code == 404


# company users


def test_company_users_sign_in_with_the_password_alone(client, owner_a):
    response = password_step(client, owner_a)
    assert (response.status_code, response.location) == (302, "/company/")
    assert signed_in(client)


def test_company_users_may_turn_it_on_and_off(client, auth, owner_a):
    auth.login(owner_a.email)
    settings = client.get("/account/two-factor/settings").get_data(as_text=True)
    assert "Turn on two-step sign-in" in settings
    codes = set_up_through_the_page(client, current_password=PASSWORD)
    assert len(codes) == 10
    auth.logout()

    assert password_step(client, owner_a).location == VERIFY_PATH
    assert not signed_in(client)
    assert send_code(client, codes[0]).status_code == 302

    response = client.submit("/account/two-factor/disable", {"code": codes[1]})
    assert response.location == "/account/two-factor/settings"
    auth.logout()
    assert password_step(client, owner_a).location == "/company/"
    assert db.session.scalars(select(RecoveryCode)).all() == []


def test_turning_it_on_when_signed_in_needs_the_password(client, auth, owner_a):
    auth.login(owner_a.email)
    secret = secret_on(client.get(SETUP_PATH).get_data(as_text=True))
    for password in ("", "not the password"):
        form = {"code": pyotp.TOTP(secret).now(), "current_password": password}
        assert client.submit(SETUP_PATH, form).status_code == 200
        db.session.expire_all()
        assert not db.session.get(User, owner_a.id).has_two_factor


def test_turning_it_off_needs_a_right_code(client, auth, owner_a):
    set_up = two_factor.enable(owner_a, STAFF_TOTP_SECRET, code_for())
    db.session.commit()
    auth.login(owner_a.email)
    response = client.submit("/account/two-factor/disable", {"code": "abcd-efgh-jkmn-pqrs"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, owner_a.id).has_two_factor
    assert len(set_up) == 10


# the service


def test_a_step_is_claimed_once(reviewer):
    forget_used_step(reviewer)
    code = code_for()
    assert two_factor.check_code(reviewer, code)
    assert not two_factor.check_code(reviewer, code)


def test_enabling_with_a_wrong_code_raises(owner_a):
    with pytest.raises(DomainError, match="This code is not right"):
        two_factor.enable(owner_a, STAFF_TOTP_SECRET, wrong_code())


def test_codes_of_other_shapes_are_refused(reviewer):
    for code in ("", "12345", "1234567", "x" * 100_000, None, ["123456"]):
        assert two_factor.matching_step(STAFF_TOTP_SECRET, code) is None


def test_the_password_step_expires(client, reviewer):
    password_step(client, reviewer)
    with client.session_transaction() as session:
        state = session["two_factor_pending"]
        session["two_factor_pending"] = {**state, "t": state["t"] - 601}  # max age: 600 s
    response = send_code(client, code_for())
    assert (response.status_code, response.location) == (302, "/account/login")
    assert not signed_in(client)
    assert client.get("/account/login").status_code == 200  # the form, not back to the code


def test_a_new_password_voids_the_password_step(client, reviewer):
    password_step(client, reviewer)
    reviewer.set_password("a brand new password")
    db.session.commit()
    assert send_code(client, code_for()).location == "/account/login"
    assert not signed_in(client)
    assert client.get("/account/login").status_code == 200  # the form, not back to the code


# the demo sign-ins


def test_demo_staff_get_the_published_key():
    from tracker.demo.accounts import DEMO_TOTP_SECRET, demo_reviewer

    reviewer = demo_reviewer()
    assert (reviewer.totp_secret, reviewer.has_two_factor) == (DEMO_TOTP_SECRET, True)


def test_the_demo_key_is_refused_where_demo_data_is_not_allowed(app, monkeypatch):
    from tracker.demo.accounts import demo_reviewer

    monkeypatch.setitem(app.config, "DEMO_DATA_ALLOWED", False)
    with pytest.raises(RuntimeError, match="for development only"):
        demo_reviewer()
