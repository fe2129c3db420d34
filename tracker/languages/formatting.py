"""Numbers and money written the way the reader's language writes them (Babel, not strftime)."""

from datetime import date, timedelta

from babel.numbers import format_currency
from flask_babel import format_timedelta, get_locale

# Babel rounds a long span up to weeks, months or years (1,802 days would be "5 years"); a
# threshold no span reaches keeps it in days, the unit reviewers compare waiting times in.
DAYS_ONLY = 10**9


def money(amount: int, currency: str = "EUR") -> str:
    """Whole amounts in the locale's own layout: "€2,000", "2 000 €", "2.000 €"."""
    locale = get_locale()
    pattern = locale.currency_formats["standard"].pattern.replace(".00", "")
    return format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)


def days(count: int) -> str:
    """A whole number of days in the reader's language: "1,802 days", "1 802 jours", "1802 días"."""
    return format_timedelta(timedelta(days=count), granularity="day", threshold=DAYS_ONLY)


def iso_date(text: str) -> date:
    """A date kept as ISO text (in a plan's snapshot), for Babel's dateformat to write."""
    return date.fromisoformat(text)
