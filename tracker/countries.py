"""ISO 3166-1 countries from pycountry: the only source of country codes and names.

Names follow the reader's language (pycountry's own translations of the ISO names) and lists
sort by the Unicode Collation Algorithm (pyuca), so Åland comes with the A's and Côte d'Ivoire
before Croatia, in English, French and Spanish alike.
"""

import gettext
from functools import cache

import pycountry
import pyuca
from flask import has_app_context
from flask_babel import get_locale

# The default collation (DUCET): accents and case weigh less than letters, as the three
# languages of the tracker expect.
_COLLATOR = pyuca.Collator()


def collation_key(text: str):
    return _COLLATOR.sort_key(text)


def by_name(names) -> list[str]:
    """Names sorted as a reader expects them, not by code point."""
    return sorted(names, key=collation_key)


def _language() -> str:
    locale = get_locale() if has_app_context() else None
    return locale.language if locale is not None else "en"


@cache
def _translation(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def _display_name(country, language: str) -> str:
    # "Bolivia" reads better than "Bolivia, Plurinational State of" in a list.
    english = getattr(country, "common_name", None) or country.name
    return _translation(language).gettext(english)


@cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    pairs = [(country.alpha_2, _display_name(country, language)) for country in pycountry.countries]
    return tuple(sorted(pairs, key=lambda pair: collation_key(pair[1])))


def country_choices() -> list[tuple[str, str]]:
    """(alpha-2 code, name) pairs in the reader's language, sorted by name, for select fields."""
    return list(_choices(_language()))


@cache
def _names(language: str) -> dict[str, str]:
    return dict(_choices(language))


def is_country_code(code: str | None) -> bool:
    return bool(code) and code in _names("en")


def country_name(code: str | None) -> str:
    """The name of an alpha-2 code in the reader's language, or the code itself if unknown."""
    if not code:
        return ""
    return _names(_language()).get(code, code)


def by_country(operations) -> list:
    """Operations (anything with a `country_code`) sorted by country name, then as given."""
    return sorted(
        operations, key=lambda operation: collation_key(country_name(operation.country_code))
    )
