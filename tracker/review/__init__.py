"""Staff review of applications: the queue, the detail page and the decisions."""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")

from tracker.review import views  # noqa: E402,F401
