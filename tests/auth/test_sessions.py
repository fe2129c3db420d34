"""Server-side sessions: sign-out, timeouts and password changes end them, copied cookies too."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from werkzeug.http import parse_date

from tests.factories import PASSWORD
from tests.fixtures.two_factor import login
from tracker.auth import sessions
from tracker.auth.models import AuthSession, User
from tracker.auth.services import reset_token_payload
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.tokens import make_token

HOME = {"owner_a": "/company/", "reviewer": "/review/"}


def sign_in(client, user: User, remember: bool = False) -> None:
    response = login(client, user.email, PASSWORD, remember="y" if remember else "")
    assert response.status_code == 302


def opens(client, path: str) -> bool:
    """True if the page opens; False if it sends the browser to sign in."""
    response = client.get(path)
    if response.status_code == 302:
        assert response.location.startswith("/account/login")
        return False
    assert response.status_code == 200
    return True


def copy_cookie(source, target, name: str) -> None:
    target.set_cookie(name, source.get_cookie(name).value)


def session_token(client) -> str:
    with client.session_transaction() as session:
        return session["_user_id"]


def set_back(**ages: timedelta) -> None:
    """Move every session's timestamps into the past, e.g. last_seen_at=timedelta(hours=2)."""
    now = utcnow()
    db.session.execute(update(AuthSession).values({k: now - v for k, v in ages.items()}))
    db.session.commit()


def only_session() -> AuthSession:
    db.session.expire_all()
    return db.session.scalars(select(AuthSession)).one()


# sign-out


@pytest.mark.parametrize("who", ["owner_a", "reviewer"])
def test_a_copied_session_cookie_is_dead_after_sign_out(app, client, auth, request, who):
    sign_in(client, request.getfixturevalue(who))
    thief = app.test_client()
    copy_cookie(client, thief, "session")
    assert opens(thief, HOME[who])

    auth.logout()
    assert not opens(thief, HOME[who])
    assert not opens(client, HOME[who])


def test_a_copied_remember_cookie_is_dead_after_sign_out(app, client, auth, owner_a):
    sign_in(client, owner_a, remember=True)
    stolen = client.get_cookie("remember_token").value
    thief, late_thief = app.test_client(), app.test_client()
    thief.set_cookie("remember_token", stolen)
    assert opens(thief, "/company/")  # the remember cookie alone signs the thief in

    auth.logout()
    assert not opens(thief, "/company/")
    late_thief.set_cookie("remember_token", stolen)
    assert not opens(late_thief, "/company/")


def test_sign_out_revokes_the_session_row(client, auth, owner_a):
    sign_in(client, owner_a)
    token = session_token(client)
    stored = only_session()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert stored.revoked_at is None

    auth.logout()
    assert only_session().revoked_at is not None


# the remember cookie


def set_cookie_header(response, name: str) -> str:
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    return header


def test_remember_cookie_is_lax_httponly_and_lasts_30_days(client, owner_a):
    data = {"email": owner_a.email, "password": PASSWORD, "remember": "y"}
    response = client.submit("/account/login", data)
    cookie = set_cookie_header(response, "remember_token")
    assert "; HttpOnly" in cookie
    assert "; SameSite=Lax" in cookie
    lifetime = parse_date(cookie.split("Expires=")[1].split(";")[0]) - datetime.now(UTC)
    assert timedelta(days=29, hours=23) < lifetime <= timedelta(days=30)
    session_cookie = set_cookie_header(response, "session")
    assert "; HttpOnly" in session_cookie and "; SameSite=Lax" in session_cookie


def test_staff_are_never_remembered(client, reviewer):
    response = login(client, reviewer.email, PASSWORD, remember="y")
    assert response.status_code == 302
    assert not any(h.startswith("remember_token=") for h in response.headers.getlist("Set-Cookie"))
    assert only_session().remembered is False


# idle time and lifetime


@pytest.mark.parametrize(
    ("who", "remember", "idle", "signed_in"),
    [
        ("owner_a", False, timedelta(minutes=119), True),
        ("owner_a", False, timedelta(minutes=121), False),
        ("reviewer", False, timedelta(minutes=29), True),
        ("reviewer", False, timedelta(minutes=31), False),  # staff time out sooner
        ("owner_a", True, timedelta(days=13), True),
        ("owner_a", True, timedelta(days=15), False),
        ("reviewer", True, timedelta(minutes=31), False),  # asking to be remembered changes nothing
    ],
)
def test_idle_timeout(client, request, who, remember, idle, signed_in):
    sign_in(client, request.getfixturevalue(who), remember)
    set_back(last_seen_at=idle)
    assert opens(client, HOME[who]) is signed_in


@pytest.mark.parametrize(
    ("who", "remember", "age", "signed_in"),
    [
        ("owner_a", False, timedelta(hours=11, minutes=59), True),
        ("owner_a", False, timedelta(hours=12, minutes=1), False),
        ("reviewer", False, timedelta(hours=12, minutes=1), False),
        ("owner_a", True, timedelta(days=29), True),
        ("owner_a", True, timedelta(days=30, minutes=1), False),
        ("reviewer", True, timedelta(hours=12, minutes=1), False),
    ],
)
def test_absolute_lifetime(client, request, who, remember, age, signed_in):
    """However recently it was used, a session ends at its age limit."""
    sign_in(client, request.getfixturevalue(who), remember)
    set_back(created_at=age, last_seen_at=timedelta(minutes=1))
    assert opens(client, HOME[who]) is signed_in


def test_activity_does_not_extend_the_lifetime(client, owner_a, monkeypatch):
    sign_in(client, owner_a)
    start = utcnow()
    for hour in range(1, 12):  # an hour between requests is well within the idle timeout
        monkeypatch.setattr(sessions, "utcnow", lambda hour=hour: start + timedelta(hours=hour))
        assert opens(client, "/company/")
    monkeypatch.setattr(sessions, "utcnow", lambda: start + timedelta(hours=12, minutes=1))
    assert not opens(client, "/company/")


def test_activity_is_recorded_at_most_once_a_minute(client, owner_a):
    sign_in(client, owner_a)
    first_seen = only_session().last_seen_at
    assert opens(client, "/company/")
    assert only_session().last_seen_at == first_seen

    set_back(last_seen_at=timedelta(minutes=90))
    assert client.get("/static/css/app.css").status_code == 200  # static files are not activity
    assert utcnow() - only_session().last_seen_at >= timedelta(minutes=90)
    assert opens(client, "/company/")
    assert utcnow() - only_session().last_seen_at < timedelta(minutes=1)


def test_activity_is_kept_when_the_request_is_refused(client, owner_a):
    """The touch commits on its own, before the view runs, so a refusal does not lose it."""
    sign_in(client, owner_a)
    set_back(last_seen_at=timedelta(minutes=90))
    assert client.get("/review/companies/999999").status_code == 403
    assert utcnow() - only_session().last_seen_at < timedelta(minutes=1)


# password change and reset


def test_password_change_ends_other_sessions_but_keeps_this_one(app, client, owner_a):
    other, remembered = app.test_client(), app.test_client()
    for browser, remember in ((client, False), (other, False), (remembered, True)):
        sign_in(browser, owner_a, remember)
    remembered.delete_cookie("session")  # a browser restart: only the remember cookie is left

    new = "a brand new password"
    data = {"current_password": PASSWORD, "password": new, "confirm": new}
    assert client.submit("/account/password", data).status_code == 302
    assert opens(client, "/company/")
    assert not opens(other, "/company/")
    assert not opens(remembered, "/company/")
    live = db.session.scalars(select(AuthSession).where(AuthSession.revoked_at.is_(None))).all()
    assert [row.token_hash for row in live] == [sessions._hash(session_token(client))]


def test_password_reset_ends_every_session(app, client, owner_a):
    browsers = [app.test_client(), app.test_client()]
    for browser, remember in zip(browsers, (False, True), strict=True):
        sign_in(browser, owner_a, remember)
    new = "a brand new password"
    link = "/account/reset/" + make_token("reset", reset_token_payload(owner_a))
    response = browsers[0].submit(link, {"password": new, "confirm": new})
    assert (response.status_code, response.location) == (302, "/account/login")

    assert [opens(browser, "/company/") for browser in browsers] == [False, False]
    revoked_at = db.session.scalars(select(AuthSession.revoked_at)).all()
    assert len(revoked_at) == 2 and None not in revoked_at


# whatever the session cookie holds


@pytest.mark.parametrize(
    "value",
    ["", "garbage", "1", "1:1", "x" * 5000, "\x00", 12345, True, ["a"], {"id": 1}],
    ids=repr,
)
def test_an_unknown_token_in_the_session_means_anonymous(client, owner_a, value):
    with client.session_transaction() as session:
        session["_user_id"] = value
    assert not opens(client, "/company/")
    assert client.get("/").status_code == 200


def test_a_revoked_token_means_anonymous_and_its_cookies_are_dropped(client, owner_a):
    sign_in(client, owner_a, remember=True)
    sessions.end_session(session_token(client))
    db.session.commit()

    response = client.get("/")
    assert response.status_code == 200
    assert set_cookie_header(response, "remember_token").startswith("remember_token=;")
    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert not opens(client, "/company/")


# the service, without HTTP


def test_only_the_hash_of_the_token_is_stored(owner_a):
    token = sessions.start_session(owner_a, remember=False)
    db.session.commit()
    row = db.session.execute(select(AuthSession.__table__)).one()
    assert token not in [str(value) for value in row]
    assert len(token) >= 43  # 32 random bytes
    assert sessions.load_session(token) == owner_a
    assert owner_a.get_id() == token


def test_end_other_sessions_keeps_only_the_named_one(owner_a, owner_b):
    keep, drop = sessions.start_session(owner_a, False), sessions.start_session(owner_a, True)
    someone_else = sessions.start_session(owner_b, False)
    sessions.end_other_sessions(owner_a, keep)
    db.session.commit()
    assert sessions.load_session(keep) == owner_a
    assert sessions.load_session(drop) is None
    assert sessions.load_session(someone_else) == owner_b


def test_starting_a_session_forgets_dead_ones(owner_a):
    revoked = sessions.start_session(owner_a, False)
    sessions.end_session(revoked)
    sessions.start_session(owner_a, True)
    set_back(created_at=timedelta(days=31))
    live = sessions.start_session(owner_a, False)
    db.session.commit()
    assert db.session.scalars(select(AuthSession.token_hash)).all() == [sessions._hash(live)]
