"""Configuration classes, filled from environment variables."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEV_SECRET_KEY = "dev-only-secret-key-not-for-production"


def database_url(value: str | None, default: str) -> str:
    """Return the SQLAlchemy URL, upgrading Heroku-style `postgres://` URLs to psycopg 3."""
    if not value:
        return default
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix) :]
    return value


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL"), f"sqlite:///{INSTANCE_DIR / 'tracker.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; forms may stay open long

    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS")
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL")
    MAIL_TIMEOUT = 10
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "The Code <no-reply@thecode.org>")
    MAIL_FILE_PATH = os.environ.get("MAIL_FILE_PATH", str(INSTANCE_DIR / "mail"))

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Only failed sign-ins count against this limit (see auth.views.login).
    LOGIN_FAILURE_LIMIT = os.environ.get("LOGIN_FAILURE_LIMIT", "5 per minute; 30 per hour")

    CONFIRM_TOKEN_MAX_AGE = 7 * 24 * 3600
    RESET_TOKEN_MAX_AGE = 3600
    INVITATION_MAX_AGE = 14 * 24 * 3600
    PER_PAGE = 25

    @staticmethod
    def validate(settings) -> None:
        """Check the loaded settings; only production is strict."""


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    # Mail goes to the console unless MAIL_BACKEND says otherwise ("file" writes instance/mail/).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("TEST_DATABASE_URL"), f"sqlite:///{INSTANCE_DIR / 'test.sqlite3'}"
    )
    MAIL_BACKEND = "smtp"
    RATELIMIT_STORAGE_URI = "memory://"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PREFERRED_URL_SCHEME = "https"

    @staticmethod
    def validate(settings) -> None:
        """Refuse to run production without a real secret key."""
        key = settings.get("SECRET_KEY") or ""
        if len(key) < 32 or key == DEV_SECRET_KEY:
            raise RuntimeError(
                "ProductionConfig needs SECRET_KEY set to a random value of 32+ characters, "
                'e.g. python -c "import secrets; print(secrets.token_hex(32))"'
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
