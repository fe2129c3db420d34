"""Signed, time-limited tokens for links sent by e-mail."""

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    # A salt per purpose: a confirmation token can never be replayed as a reset token.
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"tracker.{purpose}")


def make_token(purpose: str, payload: Any) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int) -> Any | None:
    """The payload of a valid, unexpired token, or None."""
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:  # SignatureExpired is a subclass
        return None
