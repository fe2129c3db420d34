"""Which language a request is answered in, and the names people know their language by."""

from flask import current_app, has_request_context, request
from flask_babel import get_locale

LANGUAGE_COOKIE = "language"
ONE_YEAR = 365 * 24 * 3600

# Each language named in itself, so a reader finds their own whatever the page's language.
NATIVE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}


def supported() -> tuple[str, ...]:
    return current_app.config["LANGUAGES"]


def select_locale() -> str:
    """The language chosen with the control (a cookie), else the browser's best, else English.

    Outside a request (the command line, mail written at delivery) it is the default, English.
    """
    if not has_request_context():
        return supported()[0]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in supported():
        return chosen
    return request.accept_languages.best_match(supported()) or supported()[0]


def current_language() -> str:
    """The language of this page, for <html lang> and the control."""
    return str(get_locale() or supported()[0])


def language_names() -> list[tuple[str, str]]:
    return [(code, NATIVE_NAMES[code]) for code in supported()]
