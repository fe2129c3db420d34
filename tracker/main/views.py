"""The home page, the pages about The Code and the site, and the health check."""

from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tracker.companies.criteria import criteria
from tracker.extensions import db, limiter
from tracker.main.figures import home_figures
from tracker.page_cache import public_page

bp = Blueprint("main", __name__)


@bp.get("/")
@public_page
def index():
    return render_template("main/index.html", figures=home_figures())


@bp.get("/about")
def about():
    return render_template("main/about.html", criteria=criteria())


@bp.get("/privacy")
def privacy():
    return render_template("main/privacy.html", contact=current_app.config["CONTACT_EMAIL"])


@bp.get("/contact")
def contact():
    return render_template("main/contact.html", contact=current_app.config["CONTACT_EMAIL"])


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        abort(503, "The database does not answer.")
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
