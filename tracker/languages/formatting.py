"""Numbers and money written the way the reader's language writes them (Babel, not strftime)."""

from datetime import date, timedelta

from babel.numbers import format_currency
from babel.units import format_unit
from flask_babel import format_timedelta, get_locale
from markupsafe import Markup

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


def file_size(size: int) -> str:
    """A file's size in the reader's language: "754 bytes", "1,2 ko", "3,4 MB" (Jinja's
    filesizeformat writes English only: "754 Bytes", "1.2 kB")."""
    locale = get_locale()
    if size < 1000:
        return format_unit(size, "digital-byte", length="long", locale=locale)
    unit, value = (
        ("digital-kilobyte", size / 1000)
        if size < 1000**2
        else ("digital-megabyte", size / 1000**2)
    )
    return format_unit(value, unit, length="short", format="#,##0.#", locale=locale)


def unbroken(identifier: str | None) -> Markup | str:
    """A membership or invoice number ("TC-000042", "TC-INV-2026-00001") kept on one line: a
    reader compares and types it as one word, which a break at its hyphens would split."""
    if not identifier:
        return ""
    return Markup('<span class="num-id">%s</span>') % identifier
