"""Accounts: registration, sign-in, confirmation, password reset, invitations."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/account")

from tracker.auth import views  # noqa: E402,F401
