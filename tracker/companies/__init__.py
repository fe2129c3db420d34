"""Companies: applying, the company's own pages, signing The Code."""

from flask import Blueprint

bp = Blueprint("companies", __name__, url_prefix="/company")

from tracker.companies import views  # noqa: E402,F401
