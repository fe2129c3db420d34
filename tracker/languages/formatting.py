"""Numbers and money written the way the reader's language writes them (Babel, not strftime)."""

from babel.numbers import format_currency
from flask_babel import get_locale
from markupsafe import Markup


def money(amount: int, currency: str = "EUR") -> str:
    """Whole amounts in the locale's own layout: "€2,000", "2 000 €", "2.000 €"."""
    locale = get_locale()
    pattern = locale.currency_formats["standard"].pattern.replace(".00", "")
    return format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)


def unbroken(identifier: str | None) -> Markup | str:
    """A membership or invoice number ("TC-000042", "TC-INV-2026-00001") kept on one line: a
    reader compares and types it as one word, which a break at its hyphens would split."""
    if not identifier:
        return ""
    return Markup('<span class="num-id">%s</span>') % identifier
