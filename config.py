"""Configuration classes, filled from environment variables."""

import math
import os
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEV_SECRET_KEY = "dev-only-secret-key-not-for-production"
TESTING_SECRET_KEY = "testing-secret-key"
# Keys published in this repository: any key containing one of them is as good as public.
PUBLIC_KEYS = (DEV_SECRET_KEY, TESTING_SECRET_KEY)


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


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def bits_per_character(text: str) -> float:
    """Shannon entropy of the key's own characters: 'aaaa…' scores 0, a hex token about 3.8."""
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def secret_key_problem(key: str | None, *, strict: bool) -> str | None:
    """Why `key` may not sign sessions and e-mailed links, or None if it may."""
    if not key:
        return "SECRET_KEY is empty"
    if not strict:
        return None
    if len(key) < 32:
        return "SECRET_KEY is shorter than 32 characters"
    if any(public in key for public in PUBLIC_KEYS):
        return "SECRET_KEY contains a key published in this repository"
    if bits_per_character(key) < 3.0:
        return "SECRET_KEY repeats too few characters to be random"
    return None


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL"), f"sqlite:///{INSTANCE_DIR / 'tracker.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Waits for the database (tracker/database.py); past them a request answers 503 with
    # Retry-After. SQLite: for another writer's lock. PostgreSQL: per statement, and for a lock
    # (0: no limit, e.g. for a long migration).
    SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "5000"))
    DATABASE_STATEMENT_TIMEOUT_MS = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "30000"))
    DATABASE_LOCK_TIMEOUT_MS = int(os.environ.get("DATABASE_LOCK_TIMEOUT_MS", "5000"))
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; forms may stay open long

    # Every link in an e-mail starts with this, never with the Host header of the request.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    # Host names the app answers to, besides PUBLIC_BASE_URL's; others get 400 (Flask checks).
    EXTRA_TRUSTED_HOSTS = env_list("TRUSTED_HOSTS")
    # How many proxies stand in front and set X-Forwarded-*; 0 trusts none of those headers.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    # Request bodies: forms are small; anything larger is refused with 413 before it is read.
    MAX_CONTENT_LENGTH = 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 512 * 1024
    MAX_FORM_PARTS = 2000
    # Policy documents of annual reports: PDFs up to this size; their form may be that large.
    REPORT_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
    # Stored policy documents per report: the draft's one plus one per version submitted with
    # another file (a replaced draft file is deleted); beyond this, uploads are refused.
    REPORT_DOCUMENTS_MAX = int(os.environ.get("REPORT_DOCUMENTS_MAX", "20"))
    # How long a policy PDF kept from a failed save waits for the next save (policy_upload):
    # less than `flask documents prune`'s default --min-age (60 minutes), which removes it after.
    REPORT_PENDING_DOCUMENT_MAX_AGE = timedelta(minutes=45)
    # Evidence files (PDF, PNG, JPEG) per report, of the policy document's size at most.
    REPORT_EVIDENCE_MAX = int(os.environ.get("REPORT_EVIDENCE_MAX", "30"))
    BODY_LIMITS = {
        "reports.edit": REPORT_DOCUMENT_MAX_BYTES + MAX_CONTENT_LENGTH,
        "report_evidence.add": REPORT_DOCUMENT_MAX_BYTES + MAX_CONTENT_LENGTH,
    }

    # Where businesses and the public write to ECPAT about The Code (shown on Contact, Privacy).
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "thecode@ecpat.org")
    # Verified national contacts for reporting a concern about a child, shown on each country's
    # page (tracker/directory/concern_contacts.py). A deployment adds the ones it has checked; a
    # missing file means none: the page then gives only the advice that holds everywhere.
    CONCERN_CONTACTS_FILE = os.environ.get(
        "CONCERN_CONTACTS_FILE", str(INSTANCE_DIR / "concern_contacts.json")
    )

    # The version of the criteria in force (tracker/companies/criteria.py). Publishing a later
    # version asks every member to sign it again (dashboard notice, then the sign page).
    CRITERIA_VERSION = os.environ.get("CRITERIA_VERSION", "2")
    # Members asked to sign it are e-mailed once (`flask criteria notify`), then reminded once
    # this many days later if they have not signed.
    CRITERIA_RESIGN_REMINDER_DAYS = int(os.environ.get("CRITERIA_RESIGN_REMINDER_DAYS", "30"))
    # ECPAT's publication rules. A member whose annual report is overdue stays listed, marked
    # "Report overdue" (true); a suspended member leaves the public list (false) - set them the
    # other way to hide overdue members' standing or to list suspended members, marked as such.
    PUBLISH_OVERDUE = os.environ.get("PUBLISH_OVERDUE", "true").lower() in ("1", "true", "yes")
    PUBLISH_SUSPENDED = os.environ.get("PUBLISH_SUSPENDED", "false").lower() in ("1", "true", "yes")

    # Annual reports (tracker/reports/periods.py): the reporting year starts in this month (1:
    # the calendar year) and its report is due on this day after it ends.
    REPORTING_YEAR_START_MONTH = int(os.environ.get("REPORTING_YEAR_START_MONTH", "1"))
    REPORT_DUE_MONTH = int(os.environ.get("REPORT_DUE_MONTH", "3"))
    REPORT_DUE_DAY = int(os.environ.get("REPORT_DUE_DAY", "31"))
    # How far past the normal due date staff may extend a report (1-12 months; never past the
    # next year's due date, so one year's extension cannot hide another's: reports/periods.py).
    REPORT_EXTENSION_MAX_MONTHS = int(os.environ.get("REPORT_EXTENSION_MAX_MONTHS", "12"))
    # Members this many days past a due date are listed for staff to consider suspending.
    OVERDUE_SUSPENSION_DAYS = int(os.environ.get("OVERDUE_SUSPENSION_DAYS", "180"))
    # Code training counts as current for this many years (1-10): a 2026 report's "currently
    # trained" are those trained in 2026 or 2025. Coverage on public pages uses them.
    TRAINING_VALIDITY_YEARS = int(os.environ.get("TRAINING_VALIDITY_YEARS", "2"))
    # When an accepted report shows a criterion implemented (tracker/reports/implementation.py,
    # shown to staff on "How implementation is judged"): criterion 2 needs this percent of
    # front-line employees currently trained (of all employees where a company reports no
    # front-line staff), criterion 3 this percent of supplier contracts with the clause,
    # criterion 4 this many ways of informing travellers.
    TRAINING_COVERAGE_MIN = float(os.environ.get("TRAINING_COVERAGE_MIN", "50"))
    CONTRACT_CLAUSE_MIN = float(os.environ.get("CONTRACT_CLAUSE_MIN", "50"))
    TRAVELLER_CHANNELS_MIN = int(os.environ.get("TRAVELLER_CHANNELS_MIN", "1"))

    # Invoices (tracker/billing): due this many days after they are issued; the issuer printed
    # on them.
    INVOICE_DUE_DAYS = int(os.environ.get("INVOICE_DUE_DAYS", "30"))
    # The renewal season (`flask billing renewals`, daily): owners may confirm next year's
    # revenue band from this many days before 31 December (30: from 1 December); on this day
    # of January an unconfirmed member's renewal is issued on the band on record.
    RENEWAL_OPENS_DAYS = int(os.environ.get("RENEWAL_OPENS_DAYS", "30"))
    RENEWAL_AUTO_ISSUE_DAY = int(os.environ.get("RENEWAL_AUTO_ISSUE_DAY", "15"))
    # A member whose previous year is paid stays current this many days into the new year
    # (31: up to and including 31 January), and after them while its renewal is issued and
    # not yet due; no renewal falls due before the last of these days.
    MEMBERSHIP_GRACE_DAYS = int(os.environ.get("MEMBERSHIP_GRACE_DAYS", "31"))
    INVOICE_ISSUER = {
        "name": os.environ.get("INVOICE_ISSUER_NAME", "ECPAT International"),
        "address": os.environ.get(
            "INVOICE_ISSUER_ADDRESS", "328/1 Phaya Thai Road, Ratchathewi, Bangkok 10400, Thailand"
        ),
        "email": os.environ.get("INVOICE_ISSUER_EMAIL", "thecode@ecpat.org"),
        "bank": os.environ.get("INVOICE_ISSUER_BANK", ""),
    }

    # Languages of the pages a business or the public sees (staff pages may stay English).
    LANGUAGES = ("en", "fr", "es")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "tracker" / "translations")

    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    # Server-side sessions end after this much idle time (staff sooner) or this age at most.
    SESSION_IDLE_TIMEOUT = timedelta(hours=2)
    STAFF_SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    SESSION_MAX_AGE = timedelta(hours=12)
    REMEMBERED_SESSION_IDLE_TIMEOUT = timedelta(days=14)

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
    # Try to deliver a request's queued e-mail once its response has gone out; what fails
    # stays in the outbox for `flask send-mail`.
    MAIL_DELIVER_AFTER_RESPONSE = env_bool("MAIL_DELIVER_AFTER_RESPONSE", True)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Rendered staff pages (tracker/page_cache.py): each worker keeps its own unless CACHE_TYPE
    # is "RedisCache" with CACHE_REDIS_URL. Entries also expire after CACHE_DEFAULT_TIMEOUT.
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "SimpleCache")
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", "")
    CACHE_DEFAULT_TIMEOUT = 300
    CACHE_THRESHOLD = 500
    # Public pages learn that the data changed within this many seconds (page_cache.py).
    PUBLIC_VERSION_TTL = float(os.environ.get("PUBLIC_VERSION_TTL", "1"))
    RATELIMIT_HEADERS_ENABLED = True
    # Each client of the open-data API (/api/v1) may ask this often; more gets 429.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300 per minute")
    # Public pages rendered for one visitor (not answered from the page cache) per client.
    PUBLIC_RENDER_RATE_LIMIT = os.environ.get("PUBLIC_RENDER_RATE_LIMIT", "120 per minute")
    # Public pages one client may add to the shared page cache; beyond, its renders are kept in
    # a small region of their own, so one client cannot evict the pages everyone reads.
    PUBLIC_CACHE_INSERT_LIMIT = os.environ.get("PUBLIC_CACHE_INSERT_LIMIT", "50 per 5 minutes")
    # Downloads of the directory as CSV per client (a kept file is megabytes to send, a new one
    # seconds of a worker's time to write).
    CSV_RATE_LIMIT = os.environ.get("CSV_RATE_LIMIT", "10 per minute")
    # Verify pages per client (kept pages too): a person checks a few numbers, not thousands.
    VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "30 per minute")
    # The CSV files of the directory, written once per public data version (open_data.py).
    EXPORT_FOLDER = os.environ.get("EXPORT_FOLDER", str(INSTANCE_DIR / "exports"))
    # Saves of company-side forms (profile, contact details, properties, reports) per company.
    COMPANY_WRITE_RATE_LIMIT = os.environ.get("COMPANY_WRITE_RATE_LIMIT", "30 per minute")
    # memory:// counts per process; production may only use it when it runs one process.
    SINGLE_PROCESS = env_bool("SINGLE_PROCESS")
    # Failed sign-ins (successful ones never count), per client address and per account.
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get(
        "LOGIN_LIMIT_PER_ADDRESS", "10 per minute; 50 per hour"
    )
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute; 20 per hour")
    # A browser that signed in to an account before is exempt from the two limits above for
    # that account and has this allowance of its own (tracker/auth/login_limits.py).
    LOGIN_LIMIT_PER_DEVICE = os.environ.get("LOGIN_LIMIT_PER_DEVICE", "5 per minute; 20 per hour")
    LOGIN_DEVICE_COOKIE_DURATION = timedelta(days=365)
    # Wrong second-factor codes (tracker/auth/two_factor_views.py), per account and per address.
    TWO_FACTOR_LIMIT_PER_ACCOUNT = os.environ.get(
        "TWO_FACTOR_LIMIT_PER_ACCOUNT", "5 per minute; 20 per hour"
    )
    TWO_FACTOR_LIMIT_PER_ADDRESS = os.environ.get(
        "TWO_FACTOR_LIMIT_PER_ADDRESS", "10 per minute; 50 per hour"
    )
    # How long the right password keeps the second-factor page open.
    TWO_FACTOR_PENDING_MAX_AGE = timedelta(
        seconds=int(os.environ.get("TWO_FACTOR_PENDING_MAX_AGE", "600"))
    )
    # Requests that send e-mail, per client address (429) and per recipient (neutral answer).
    MAIL_LIMIT_PER_ADDRESS = os.environ.get("MAIL_LIMIT_PER_ADDRESS", "10 per hour; 30 per day")
    MAIL_LIMIT_PER_RECIPIENT = os.environ.get("MAIL_LIMIT_PER_RECIPIENT", "5 per hour; 10 per day")
    # Supplier checks (/check, its CSV, POST /api/v1/check) per client address: each may match
    # 1,000 names, so the page, the download and the API share this allowance.
    SUPPLIER_CHECK_RATE_LIMIT = os.environ.get("SUPPLIER_CHECK_RATE_LIMIT", "30 per minute")
    # Seconds of CPU one supplier check may spend matching; the lines left are reported as not
    # checked (a list crafted to be slow must not hold a worker).
    SUPPLIER_CHECK_TIME_BUDGET = float(os.environ.get("SUPPLIER_CHECK_TIME_BUDGET", "2"))
    # Where the supplier check's name index is kept, one file per data version, shared by the
    # workers (empty: instance/supplier-index/). A cache: deleting it loses nothing.
    SUPPLIER_INDEX_FOLDER = os.environ.get("SUPPLIER_INDEX_FOLDER", "")

    # `flask demo-data` adds fake companies and sign-ins with a published password.
    DEMO_DATA_ALLOWED = False

    CONFIRM_TOKEN_MAX_AGE = 7 * 24 * 3600
    RESET_TOKEN_MAX_AGE = 3600
    INVITATION_MAX_AGE = 14 * 24 * 3600
    PER_PAGE = 25

    @staticmethod
    def validate(settings) -> None:
        """Check the loaded settings; every config refuses an empty key, production more."""
        problem = secret_key_problem(settings.get("SECRET_KEY"), strict=False)
        if problem:
            raise RuntimeError(f"{problem}: set SECRET_KEY or leave it unset in development.")


class DevelopmentConfig(Config):
    DEMO_DATA_ALLOWED = True
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    EXTRA_TRUSTED_HOSTS = ["localhost", *Config.EXTRA_TRUSTED_HOSTS]
    # Mail goes to the console unless MAIL_BACKEND says otherwise ("file" writes instance/mail/).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")


class TestingConfig(Config):
    TESTING = True
    DEMO_DATA_ALLOWED = True
    SECRET_KEY = TESTING_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("TEST_DATABASE_URL"), f"sqlite:///{INSTANCE_DIR / 'test.sqlite3'}"
    )
    # The test client's host is "localhost"; the served app is reached on 127.0.0.1.
    PUBLIC_BASE_URL = "https://tracker.test"
    EXTRA_TRUSTED_HOSTS = ["localhost", "127.0.0.1"]
    MAIL_BACKEND = "smtp"
    RATELIMIT_STORAGE_URI = "memory://"
    PUBLIC_VERSION_TTL = 0  # tests change data and look at once


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    # Sent on every response, even when a TLS proxy hands us plain http (tracker/security.py).
    STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"

    @staticmethod
    def validate(settings) -> None:
        """Refuse to run production without a strong key, an https base URL, shared counters."""
        problems = [
            secret_key_problem(settings.get("SECRET_KEY"), strict=True),
            public_base_url_problem(settings.get("PUBLIC_BASE_URL")),
            rate_limit_storage_problem(settings),
        ]
        problems = [problem for problem in problems if problem]
        if problems:
            raise RuntimeError(
                "ProductionConfig refuses to start: " + "; ".join(problems) + ". See README.md,"
                " section Security (make a key with: python -c 'import secrets;"
                " print(secrets.token_hex(32))')."
            )


def public_base_url_problem(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    if parts.scheme != "https" or not parts.hostname:
        return "PUBLIC_BASE_URL must be the site's https:// address"
    if parts.query or parts.fragment:
        return "PUBLIC_BASE_URL may not have a query or fragment"
    return None


def rate_limit_storage_problem(settings) -> str | None:
    if settings.get("RATELIMIT_STORAGE_URI", "").startswith("memory://") and not settings.get(
        "SINGLE_PROCESS"
    ):
        return (
            "RATELIMIT_STORAGE_URI is memory://, which counts per worker: point it at Redis, "
            "or set SINGLE_PROCESS=1 if only one process serves the app"
        )
    return None


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
