"""E-mailed tokens: an unexpected payload is an invalid link, and reset links hide the hash."""

import base64
import json
import zlib
from urllib.parse import urlsplit

import pytest
from itsdangerous import base64_encode

from tests.factories import PASSWORD
from tracker import tokens
from tracker.auth import services
from tracker.auth.models import Invitation, User
from tracker.extensions import db
from tracker.tokens import make_token

PAGES = {
    "confirm": ("/account/confirm/", "/account/login", "This confirmation link is invalid"),
    "reset": ("/account/reset/", "/account/reset", "This reset link is invalid"),
    "invite": ("/account/invitation/", "/", "This invitation is invalid"),
}
FORM = {"name": "Eve", "password": "x" * 12, "confirm": "x" * 12}

# Each builds a payload from the valid one: a dict for confirm and reset, an id for invite.
BAD_IDS = {
    "id too large": lambda good_id: 10**30,
    "id above 32 bits": lambda good_id: 2**31,
    "id zero": lambda good_id: 0,
    "id negative": lambda good_id: -good_id,
    "id True": lambda good_id: True,
    "id as float": lambda good_id: float(good_id),
    "id as text": lambda good_id: str(good_id),
    "id null": lambda good_id: None,
    "id in a list": lambda good_id: [good_id],
    "id in a dict": lambda good_id: {"id": good_id},
}
BAD_DICTS = {
    "no id": lambda good: {key: value for key, value in good.items() if key != "id"},
    "only the id": lambda good: {"id": good["id"]},
    "an extra key": lambda good: {**good, "admin": True},
    "second field a number": lambda good: {**good, _second(good): 5},
    "second field null": lambda good: {**good, _second(good): None},
    "second field a list": lambda good: {**good, _second(good): [good[_second(good)]]},
    "a list": lambda good: list(good.values()),
    "a string": lambda good: "x@example.com",
    "a float": lambda good: 1.5,
    "null": lambda good: None,
    "an empty dict": lambda good: {},
}


def _second(good: dict) -> str:
    [key] = set(good) - {"id"}
    return key


def good_payload(purpose: str, user: User):
    if purpose == "confirm":
        return {"id": user.id, "email": user.email}
    if purpose == "reset":
        return services.reset_token_payload(user)
    invitation = Invitation(company=user.company, email="new@example.com", invited_by=user)
    db.session.add(invitation)
    db.session.commit()
    return invitation.id


def hostile(purpose: str, kind: str, user: User):
    good = good_payload(purpose, user)
    if purpose == "invite":
        return BAD_IDS[kind](good)
    if kind in BAD_IDS:
        return {**good, "id": BAD_IDS[kind](good["id"])}
    return BAD_DICTS[kind](good)


def signed_raw(purpose: str, raw: bytes) -> str:
    """A validly signed token whose payload is `raw`, which make_token could never produce."""
    serializer = tokens._serializer(purpose)
    return serializer.make_signer(serializer.salt).sign(base64_encode(raw)).decode()


REQUESTS = [("confirm", "GET"), ("reset", "GET"), ("reset", "POST")]
REQUESTS += [("invite", "GET"), ("invite", "POST")]
CASES = [
    pytest.param(purpose, method, kind, id=f"{method} {purpose}: {kind}")
    for purpose, method in REQUESTS
    for kind in [*BAD_IDS, *(BAD_DICTS if purpose != "invite" else [])]
]


def follow_token(client, purpose: str, method: str, token: str) -> str:
    """Open the link; assert the invalid-link answer and return the page it redirects to."""
    prefix, target, _ = PAGES[purpose]
    url = prefix + token
    response = client.get(url) if method == "GET" else client.submit(url, FORM)
    assert response.status_code == 302
    assert urlsplit(response.location).path == target
    return client.get(response.location).get_data(as_text=True)


@pytest.mark.parametrize(("purpose", "method", "kind"), CASES)
def test_an_unexpected_payload_is_an_invalid_link(client, owner_a, purpose, method, kind):
    owner_a.email_confirmed_at = None
    db.session.commit()
    token = make_token(purpose, hostile(purpose, kind, owner_a))
    assert PAGES[purpose][2] in follow_token(client, purpose, method, token)

    user = db.session.get(User, owner_a.id)
    assert not user.email_confirmed
    assert user.check_password(PASSWORD)
    assert db.session.query(User).count() == 1


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b'{"id": ' + b"1" * 5000 + b', "email": "x@example.com"}', b"\xff\xfe"],
    ids=["not json", "an id of 5000 digits", "not utf-8"],
)
def test_a_signed_payload_that_does_not_decode_is_an_invalid_link(client, owner_a, raw):
    message = PAGES["confirm"][2]
    assert message in follow_token(client, "confirm", "GET", signed_raw("confirm", raw))


# the reset token and the password hash


def decoded_payload(token: str) -> str:
    compressed = token.startswith(".")
    body = token.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode()


def test_the_reset_token_reveals_nothing_of_the_password_hash(owner_a):
    token = make_token("reset", services.reset_token_payload(owner_a))
    text = decoded_payload(token)
    assert json.loads(text).keys() == {"id", "h"}
    _method, salt, digest = owner_a.password_hash.split("$")
    for secret in (salt, digest):
        pieces = {secret[start : start + 6] for start in range(len(secret) - 5)}
        assert not [piece for piece in pieces if piece in text or piece in token]


def test_a_used_reset_link_is_refused(client, owner_a):
    link = "/account/reset/" + make_token("reset", services.reset_token_payload(owner_a))
    assert client.get(link).status_code == 200
    first = {"password": "first new password", "confirm": "first new password"}
    assert client.submit(link, first).location == "/account/login"

    for method in ("GET", "POST"):
        page = follow_token(client, "reset", method, link.rsplit("/", 1)[1])
        assert "This reset link is invalid, used or expired." in page
    assert db.session.get(User, owner_a.id).check_password("first new password")


def test_a_reset_link_dies_when_the_password_changes_otherwise(client, owner_a):
    token = make_token("reset", services.reset_token_payload(owner_a))
    services.change_password(owner_a, PASSWORD, "changed meanwhile", keep_session=None)
    db.session.commit()
    assert "This reset link is invalid" in follow_token(client, "reset", "GET", token)


def test_the_reset_fingerprint_depends_on_the_secret_key(app, owner_a, monkeypatch):
    payload = services.reset_token_payload(owner_a)
    assert services.user_for_reset(payload) == owner_a
    monkeypatch.setitem(app.config, "SECRET_KEY", "another key entirely")
    assert services.reset_token_payload(owner_a) != payload
    assert services.user_for_reset(payload) is None


# the helpers


@pytest.mark.parametrize("value", [1, 2**31 - 1])
def test_read_id_token_accepts_ids(value):
    assert tokens.read_id_token("invite", make_token("invite", value), 60) == value


@pytest.mark.parametrize("kind", list(BAD_IDS))
def test_read_id_token_refuses_anything_else(kind):
    assert tokens.read_id_token("invite", make_token("invite", BAD_IDS[kind](7)), 60) is None


def test_read_id_token_refuses_expired_and_other_purposes():
    assert tokens.read_id_token("invite", make_token("invite", 7), -1) is None
    assert tokens.read_id_token("invite", make_token("confirm", 7), 60) is None


def test_read_dict_token_wants_exactly_the_shape():
    shape = {"id": tokens.is_id, "email": tokens.is_text}
    good = {"id": 7, "email": "a@example.com"}
    assert tokens.read_dict_token("confirm", make_token("confirm", good), 60, shape) == good
    for bad in ({"id": 7}, {**good, "more": 1}, {**good, "email": ""}):
        assert tokens.read_dict_token("confirm", make_token("confirm", bad), 60, shape) is None


@pytest.mark.parametrize("candidate", [None, 5, b"bytes", "", "é"])
def test_fingerprint_matches_refuses_odd_candidates(candidate):
    assert not tokens.fingerprint_matches("reset", "secret", candidate)


def test_fingerprints_differ_by_purpose_and_value():
    reset = tokens.fingerprint("reset", "secret")
    assert tokens.fingerprint_matches("reset", "secret", reset)
    assert tokens.fingerprint("other", "secret") != reset
    assert tokens.fingerprint("reset", "secret2") != reset
