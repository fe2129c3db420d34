"""The Code Signatory Tracker: application factory."""

import os
from urllib.parse import urlsplit

import flask_babel
import sqlalchemy
from flask import Flask
from flask_babel import LazyString
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BASE_DIR, CONFIGS, INSTANCE_DIR


def create_app(config_class=None) -> Flask:
    """Build the app; without an explicit class, TRACKER_CONFIG picks one (default: production)."""
    if config_class is None:
        config_class = CONFIGS[os.environ.get("TRACKER_CONFIG", "production")]
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        instance_relative_config=True,
        template_folder=str(BASE_DIR / "templates"),
    )
    app.config.from_object(config_class)
    app.config.from_pyfile("local.cfg", silent=True)
    config_class.validate(app.config)
    check_criteria_version(app.config.get("CRITERIA_VERSION"))
    check_training_validity(app.config.get("TRAINING_VALIDITY_YEARS", 2))
    os.makedirs(app.instance_path, exist_ok=True)
    register_logging()
    register_hosts_and_proxies(app)
    register_security(app)

    register_extensions(app)
    register_derived(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def check_training_validity(value) -> None:
    """Refuse to start with a training validity period that is not 1 to 10 whole years."""
    from tracker.reports.training import check_validity_years

    check_validity_years(value)


def check_criteria_version(version: str | None) -> None:
    """Refuse to start with a criteria version that does not exist: a typo would otherwise
    have members sign a text nobody chose."""
    from tracker.companies.criteria import CRITERIA_VERSIONS

    if version and version not in CRITERIA_VERSIONS:
        known = ", ".join(CRITERIA_VERSIONS)
        raise RuntimeError(
            f"CRITERIA_VERSION {version!r} is not a version of the criteria ({known})."
        )


def register_logging() -> None:
    from tracker import logging_setup

    logging_setup.configure()


def register_hosts_and_proxies(app: Flask) -> None:
    """Answer only to known host names; believe X-Forwarded-* only from configured proxies."""
    if app.config.get("TRUSTED_HOSTS") is None:
        public_host = urlsplit(app.config["PUBLIC_BASE_URL"]).hostname
        hosts = [public_host, *app.config["EXTRA_TRUSTED_HOSTS"]]
        app.config["TRUSTED_HOSTS"] = [host for host in dict.fromkeys(hosts) if host]
    proxies = app.config["PROXY_COUNT"]
    if proxies > 0:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )


def register_security(app: Flask) -> None:
    from tracker import security

    security.init_app(app)


def register_extensions(app: Flask) -> None:
    from tracker import database
    from tracker.extensions import babel, cache, csrf, db, limiter, login_manager, mail, migrate
    from tracker.languages.selection import select_locale

    database.configure(app)  # timeouts (tracker/database.py), before the engine is made
    db.init_app(app)
    with app.app_context():
        database.listen(app, db.engine)
        if db.engine.dialect.name == "postgresql":
            sqlalchemy.event.listen(db.engine, "connect", without_jit)
    migrate.init_app(app, db, render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    cache.init_app(app)
    # Flask-Babel caches the locale on `g`; a request that shares an app context with earlier
    # ones (the test client under a pushed app context) must still choose its own.
    app.before_request(flask_babel.refresh)

    from tracker import outbox

    outbox.init_app(app)


def register_derived(app: Flask) -> None:
    """The derived columns and data versions kept in every flush (tracker/derived.py), in the
    order they run. Before the flush: the company's stage and names first, whose staff version
    bump takes the row lock that orders concurrent renames (naming.py) before anything else;
    then the membership's first unreported year. After it: the public version (STAFF then
    PUBLIC), the staff version for invoices and plans, then the members' years after reports."""
    from tracker import data_versions, derived
    from tracker.companies.models import STORED_STAGE
    from tracker.reports.position import FOLLOWING_REPORTS, ON_JOINING

    derived.init_app(
        app,
        (
            STORED_STAGE,
            ON_JOINING,
            data_versions.PUBLIC_VERSION,
            data_versions.STAFF_VERSION,
            FOLLOWING_REPORTS,
        ),
    )


def without_jit(dbapi_connection, connection_record) -> None:
    """PostgreSQL's JIT compiler spends hundreds of milliseconds on queries it guesses costly
    (a filtered walk of 56,000 members took 126 ms, and 205 ms more to compile): our queries
    are short and index-led, so it only ever slows them down."""
    cursor = dbapi_connection.cursor()
    cursor.execute("SET jit = off")
    cursor.close()
    dbapi_connection.commit()  # a rollback would undo the SET


def register_blueprints(app: Flask) -> None:
    from tracker.api.views import bp as api_bp
    from tracker.auth.two_factor_views import bp as two_factor_bp
    from tracker.auth.views import bp as auth_bp
    from tracker.billing.staff_views import bp as billing_staff_bp
    from tracker.billing.views import bp as billing_bp
    from tracker.companies.properties_views import bp as properties_bp
    from tracker.companies.publication_views import bp as publication_bp
    from tracker.companies.views import bp as companies_bp
    from tracker.dashboard.views import bp as dashboard_bp
    from tracker.directory.countries.views import bp as countries_bp
    from tracker.directory.open_data.views import bp as open_data_bp
    from tracker.directory.profiles.certificate_views import bp as certificates_bp
    from tracker.directory.supplier_check.views import bp as supplier_check_bp
    from tracker.directory.views import bp as directory_bp
    from tracker.languages.views import bp as languages_bp
    from tracker.main.views import bp as main_bp
    from tracker.membership.views import bp as membership_bp
    from tracker.plans.views import bp as plans_bp
    from tracker.reports.evidence_views import bp as report_evidence_bp
    from tracker.reports.questions_views import bp as report_questions_bp
    from tracker.reports.training_views import bp as report_training_bp
    from tracker.reports.views import bp as reports_bp
    from tracker.representatives.views import bp as representatives_bp
    from tracker.review.plan_views import bp as plan_review_bp
    from tracker.review.reports.top_member_views import bp as top_members_bp
    from tracker.review.reports.views import bp as report_review_bp
    from tracker.review.views import bp as review_bp
    from tracker.staff.views import bp as staff_bp

    blueprints = (
        main_bp,
        directory_bp,
        countries_bp,
        supplier_check_bp,
        certificates_bp,
        open_data_bp,
        api_bp,
        languages_bp,
        auth_bp,
        two_factor_bp,
        companies_bp,
        dashboard_bp,
        properties_bp,
        publication_bp,
        membership_bp,
        plans_bp,
        billing_bp,
        billing_staff_bp,
        reports_bp,
        report_training_bp,
        report_evidence_bp,
        report_questions_bp,
        review_bp,
        report_review_bp,
        plan_review_bp,
        top_members_bp,
        staff_bp,
        representatives_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from tracker import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from tracker import cli

    cli.init_app(app)


def register_template_helpers(app: Flask) -> None:
    from tracker import countries

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["country_name"] = countries.country_name
    app.jinja_env.filters["country_name"] = countries.country_name
    app.jinja_env.filters["by_country"] = countries.by_country
    app.jinja_env.filters["by_name"] = countries.by_name
    from tracker.companies.journey import steps_for
    from tracker.companies.properties import INLINE_OPERATIONS, count_by_country
    from tracker.languages.formatting import days, file_size, iso_date, money, unbroken
    from tracker.languages.selection import current_language, language_names
    from tracker.reports.standing_words import standing_sentence

    app.jinja_env.globals["money"] = money
    app.jinja_env.globals["days"] = days
    app.jinja_env.filters["iso_date"] = iso_date
    # Jinja's own writes "754 Bytes" in every language: this one writes "754 octets".
    app.jinja_env.filters["filesizeformat"] = file_size
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["languages"] = language_names
    app.jinja_env.globals["journey_steps"] = steps_for
    app.jinja_env.globals["standing_sentence"] = standing_sentence
    app.jinja_env.globals["INLINE_OPERATIONS"] = INLINE_OPERATIONS
    app.jinja_env.filters["count_by_country"] = count_by_country
    app.jinja_env.filters["number"] = flask_babel.format_decimal
    app.jinja_env.filters["unbroken"] = unbroken
    # "is text": a message, plain or translated lazily (Jinja's "is string" misses the latter).
    app.jinja_env.tests["text"] = lambda value: isinstance(value, str | LazyString)
