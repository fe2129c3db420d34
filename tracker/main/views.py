"""The home page and the health check."""

from flask import Blueprint, abort, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tracker.extensions import db, limiter

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    return render_template("main/index.html")


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        abort(503, "The database does not answer.")
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
