"""The application factory, configuration and health check."""

import os
import secrets
import shutil
import subprocess
import sys

import pytest
from sqlalchemy import text

from config import (
    BASE_DIR,
    DEV_SECRET_KEY,
    DevelopmentConfig,
    ProductionConfig,
    TestingConfig,
    database_url,
    secret_key_problem,
)
from tracker import create_app
from tracker.extensions import db


def test_testing_config(app):
    assert app.testing
    assert app.config["WTF_CSRF_ENABLED"] is not False


GOOD_PRODUCTION = {
    "SECRET_KEY": secrets.token_hex(32),
    "PUBLIC_BASE_URL": "https://thecode.example",
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
    "SQLALCHEMY_DATABASE_URI": TestingConfig.SQLALCHEMY_DATABASE_URI,
}


def production(monkeypatch, **settings):
    for name, value in {**GOOD_PRODUCTION, **settings}.items():
        monkeypatch.setattr(ProductionConfig, name, value, raising=False)
    return create_app(ProductionConfig)


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        (None, "SECRET_KEY is empty"),
        ("", "SECRET_KEY is empty"),
        ("short", "shorter than 32"),
        (DEV_SECRET_KEY, "published in this repository"),
        (DEV_SECRET_KEY + "!", "published in this repository"),
        ("testing-secret-key" * 2, "published in this repository"),
        ("a" * 64, "too few characters"),
        ("abab" * 16, "too few characters"),
    ],
)
def test_production_refuses_a_weak_secret_key(monkeypatch, key, problem):
    with pytest.raises(RuntimeError, match=problem):
        production(monkeypatch, SECRET_KEY=key)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("", "PUBLIC_BASE_URL must be"),
        ("http://thecode.example", "PUBLIC_BASE_URL must be"),
        ("https://", "PUBLIC_BASE_URL must be"),
        ("https://thecode.example/?x=1", "query or fragment"),
    ],
)
def test_production_needs_an_https_public_base_url(monkeypatch, url, problem):
    with pytest.raises(RuntimeError, match=problem):
        production(monkeypatch, PUBLIC_BASE_URL=url)


def test_production_refuses_per_process_rate_limit_counters(monkeypatch):
    with pytest.raises(RuntimeError, match="counts per worker"):
        production(monkeypatch, RATELIMIT_STORAGE_URI="memory://")
    app = production(monkeypatch, RATELIMIT_STORAGE_URI="memory://", SINGLE_PROCESS=True)
    assert app.config["SINGLE_PROCESS"] is True


def test_production_starts_with_good_settings(monkeypatch):
    app = production(monkeypatch)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["TRUSTED_HOSTS"] == ["thecode.example"]


def test_production_key_checks_accept_the_usual_generators():
    for key in (secrets.token_hex(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64)):
        assert secret_key_problem(key, strict=True) is None


def test_an_empty_secret_key_is_refused_in_development_too():
    """`SECRET_KEY=` in the environment must not give an empty key silently."""
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        env={**os.environ, "TRACKER_CONFIG": "development", "SECRET_KEY": ""},
        capture_output=True,
        text=True,
        cwd=BASE_DIR,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is empty" in result.stderr


def test_development_has_a_default_key():
    assert DevelopmentConfig.SECRET_KEY


def test_development_links_follow_the_base_url_it_is_given():
    """`make run PORT=5102` sets PUBLIC_BASE_URL: mailed links and QR codes must point there."""
    code = (
        "import wsgi; from tracker.urls import public_url\n"
        "with wsgi.app.app_context(): print(public_url('directory.verify', number='TC-1'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **os.environ,
            "TRACKER_CONFIG": "development",
            "PUBLIC_BASE_URL": "http://127.0.0.1:5102",
        },
        capture_output=True,
        text=True,
        cwd=BASE_DIR,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:5102/verify/TC-1"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(
    ("arguments", "url"),
    [((), "http://127.0.0.1:5000"), (("PORT=5102",), "http://127.0.0.1:5102")],
)
def test_make_run_serves_on_its_port_and_links_there(arguments, url):
    result = subprocess.run(
        # Under `make test`, a make run from a test is a sub-make, which names its directory.
        ["make", "--dry-run", "--no-print-directory", "run", *arguments],
        env={key: value for key, value in os.environ.items() if key != "PUBLIC_BASE_URL"},
        capture_output=True,
        text=True,
        cwd=BASE_DIR,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    serve = result.stdout.strip().splitlines()[-1]
    assert f"PUBLIC_BASE_URL={url} " in serve
    assert serve.endswith(f" run --host 127.0.0.1 --port {url.rsplit(':', 1)[1]}")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, "sqlite:///default"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_database_url(given, expected):
    assert database_url(given, "sqlite:///default") == expected


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.data == b"ok\n"


def test_unknown_page_is_404_html_and_json(client):
    assert client.get("/nope").status_code == 404
    response = client.get("/nope", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["status"] == 404


def test_postgresql_connections_run_without_jit(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL)")
    assert db.session.scalar(text("SHOW jit")) == "off"
