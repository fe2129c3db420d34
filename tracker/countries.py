"""ISO 3166-1 countries: the codes from pycountry, their names from the Unicode CLDR (Babel).

pycountry is the list of codes (and the ISO English names the open-data API has always given).
People read CLDR's names, in their language: "Túnez", "Côte d’Ivoire", "South Korea" rather
than pycountry's translations ("Tunez", "Costa de Marfíl") or ISO's "Korea, Republic of".
Lists sort by the Unicode Collation Algorithm (pyuca), so Åland comes with the A's and Côte
d’Ivoire before Croatia, in English, French and Spanish alike.
"""

from collections.abc import Iterator
from functools import cache

import pycountry
import pyuca
from babel import Locale
from flask import has_app_context
from flask_babel import get_locale

from config import Config

# The default collation (DUCET): accents and case weigh less than letters, as the three
# languages of the tracker expect.
_COLLATOR = pyuca.Collator()
CODES = frozenset(country.alpha_2 for country in pycountry.countries)


def collation_key(text: str):
    return _COLLATOR.sort_key(text)


def by_name(names) -> list[str]:
    """Names sorted as a reader expects them, not by code point."""
    return sorted(names, key=collation_key)


def _language() -> str:
    locale = get_locale() if has_app_context() else None
    return locale.language if locale is not None else "en"


@cache
def iso_name(code: str) -> str:
    """ISO's English short name ("Bolivia" rather than "Bolivia, Plurinational State of"):
    for programs, which need a name that does not change with CLDR's releases."""
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name


@cache
def names_in(language: str) -> dict[str, str]:
    """Every code's CLDR name in `language` (ISO's English one where CLDR has none)."""
    territories = Locale.parse(language).territories
    return {code: territories.get(code) or iso_name(code) for code in CODES}


@cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(names_in(language).items(), key=lambda pair: collation_key(pair[1])))


def country_choices() -> list[tuple[str, str]]:
    """(alpha-2 code, name) pairs in the reader's language, sorted by name, for select fields."""
    return list(_choices(_language()))


def is_country_code(code: str | None) -> bool:
    return bool(code) and code in CODES


def country_name(code: str | None) -> str:
    """The name of an alpha-2 code in the reader's language, or the code itself if unknown."""
    if not code:
        return ""
    return names_in(_language()).get(code, code)


def spellings() -> Iterator[tuple[str, str]]:
    """(text, alpha-2 code) for every way a file may name a country: its ISO codes and English
    names (short, common, official), and its CLDR name in each language of the tracker."""
    for country in pycountry.countries:
        for key in ("alpha_2", "alpha_3", "name", "common_name", "official_name"):
            if getattr(country, key, None):
                yield getattr(country, key), country.alpha_2
    for language in Config.LANGUAGES:
        yield from ((name, code) for code, name in names_in(language).items())


def by_country(operations) -> list:
    """Operations (anything with a `country_code`) sorted by country name, then as given."""
    return sorted(
        operations, key=lambda operation: collation_key(country_name(operation.country_code))
    )
