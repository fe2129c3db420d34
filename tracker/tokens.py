"""Signed, time-limited tokens for links sent by e-mail, and the checks on what they carry."""

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from tracker.models_base import MAX_ID

# What a payload field must satisfy, by field name; see read_dict_token.
Shape = Mapping[str, Callable[[Any], bool]]


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    # A salt per purpose: a confirmation token can never be replayed as a reset token.
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"tracker.{purpose}")


def make_token(purpose: str, payload: Any) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int) -> Any | None:
    """The payload of a valid, unexpired token, or None; its shape is not checked."""
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except BadData:  # a bad or expired signature, or a payload that does not decode
        return None


def is_id(value: Any) -> bool:
    """A database id: `True` and `1.0` are not, nor anything a 32-bit column cannot hold."""
    return type(value) is int and 1 <= value <= MAX_ID


def is_text(value: Any) -> bool:
    return type(value) is str and 0 < len(value) <= 500


def read_id_token(purpose: str, token: str, max_age: int) -> int | None:
    """The id a valid token carries, or None for a bad token or anything but an id."""
    payload = read_token(purpose, token, max_age)
    return payload if is_id(payload) else None


def has_shape(payload: Any, shape: Shape) -> bool:
    """Whether `payload` is a dict with exactly the keys of `shape`, each passing its check."""
    return (
        type(payload) is dict
        and payload.keys() == shape.keys()
        and all(check(payload[key]) for key, check in shape.items())
    )


def read_dict_token(purpose: str, token: str, max_age: int, shape: Shape) -> dict | None:
    """The payload of a valid token if it has `shape` (e.g. {"id": is_id}), else None."""
    payload = read_token(purpose, token, max_age)
    return payload if has_shape(payload, shape) else None


def _fingerprint_key(purpose: str) -> bytes:
    # Derived from SECRET_KEY per purpose, so a fingerprint is useless for any other check.
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"tracker.fingerprint.{purpose}".encode(), hashlib.sha256).digest()


def fingerprint(purpose: str, secret_value: str) -> str:
    """An HMAC of `secret_value` for a token: binds the token to it, revealing none of it."""
    digest = hmac.new(_fingerprint_key(purpose), secret_value.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def fingerprint_matches(purpose: str, secret_value: str, candidate: Any) -> bool:
    if type(candidate) is not str:
        return False
    expected = fingerprint(purpose, secret_value)
    return hmac.compare_digest(expected.encode(), candidate.encode())


# Random single-use tokens for links that stand for a database row (invitations, offers): the
# link carries the token, the row only its SHA-256, so neither a copy of the database nor a
# reused row id ever opens anything. token_urlsafe(32) gives 43 characters.
MAX_LINK_TOKEN_LENGTH = 100


def new_link_token() -> tuple[str, str]:
    """A fresh random token for an e-mailed link, and the hash to store in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_link_token(token)


def hash_link_token(token: Any) -> str | None:
    """The stored form of a link token, or None for anything no link of ours could carry."""
    if type(token) is not str or not 0 < len(token) <= MAX_LINK_TOKEN_LENGTH:
        return None
    return hashlib.sha256(token.encode()).hexdigest()
