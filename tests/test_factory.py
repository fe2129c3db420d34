"""The application factory, configuration and health check."""

import pytest

from config import DEV_SECRET_KEY, DevelopmentConfig, ProductionConfig, TestingConfig, database_url
from tracker import create_app


def test_testing_config(app):
    assert app.testing
    assert app.config["WTF_CSRF_ENABLED"] is not False


@pytest.mark.parametrize("key", [None, "", "short", DEV_SECRET_KEY])
def test_production_refuses_a_weak_secret_key(monkeypatch, key):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_starts_with_a_real_secret_key(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 64)
    monkeypatch.setattr(
        ProductionConfig, "SQLALCHEMY_DATABASE_URI", TestingConfig.SQLALCHEMY_DATABASE_URI
    )
    app = create_app(ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_development_has_a_default_key():
    assert DevelopmentConfig.SECRET_KEY


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
