"""ISO 3166-1 countries from pycountry: the only source of country codes and names."""

from functools import cache

import pycountry


def _display_name(country) -> str:
    # "Bolivia" reads better than "Bolivia, Plurinational State of" in a list.
    return getattr(country, "common_name", None) or country.name


@cache
def country_choices() -> list[tuple[str, str]]:
    """(alpha-2 code, name) pairs, sorted by name, for select fields."""
    pairs = [(country.alpha_2, _display_name(country)) for country in pycountry.countries]
    return sorted(pairs, key=lambda pair: pair[1])


@cache
def _names() -> dict[str, str]:
    return dict(country_choices())


def is_country_code(code: str | None) -> bool:
    return bool(code) and code in _names()


def country_name(code: str | None) -> str:
    """The display name of an alpha-2 code, or the code itself if it is unknown."""
    if not code:
        return ""
    return _names().get(code, code)
