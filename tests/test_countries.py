"""Country names in the reader's language, sorted as people sort them (not by code point)."""

from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from flask_babel import refresh

from tracker.countries import by_country, country_choices, country_name, is_country_code


@contextmanager
def in_language(app, language: str):
    """A request in `language`, its locale chosen afresh (as every real request does)."""
    with app.test_request_context("/", headers={"Accept-Language": language}):
        refresh()
        yield


def names_in(app, language: str) -> list[str]:
    with in_language(app, language):
        return [name for _, name in country_choices()]


def test_english_sorts_accented_names_with_their_letter(app):
    names = names_in(app, "en")
    assert names.index("Afghanistan") < names.index("Åland Islands") < names.index("Albania")
    assert names.index("Costa Rica") < names.index("Côte d'Ivoire") < names.index("Croatia")
    assert names[-1] == "Zimbabwe"


@pytest.mark.parametrize(
    ("language", "code", "name"),
    [("en", "DE", "Germany"), ("fr", "DE", "Allemagne"), ("es", "DE", "Alemania")],
)
def test_names_follow_the_language(app, language, code, name):
    with in_language(app, language):
        assert country_name(code) == name
        assert (code, name) in country_choices()


def test_french_list_is_in_french_order(app):
    names = names_in(app, "fr")
    assert names.index("Afghanistan") < names.index("Afrique du Sud") < names.index("Allemagne")
    assert names.index("Égypte") < names.index("Espagne") < names.index("Estonie")


def test_codes_do_not_depend_on_the_language(app):
    with in_language(app, "es"):
        assert is_country_code("DE") and not is_country_code("XX")
        assert country_name("XX") == "XX" and country_name(None) == ""


def test_operations_sort_by_country_name_in_the_language(app):
    operations = [SimpleNamespace(country_code=code) for code in ("DE", "ZA", "AF")]
    with in_language(app, "fr"):
        assert [op.country_code for op in by_country(operations)] == ["AF", "ZA", "DE"]
    with in_language(app, "en"):
        assert [op.country_code for op in by_country(operations)] == ["AF", "DE", "ZA"]
