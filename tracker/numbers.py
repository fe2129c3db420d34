"""Numbers as the reader types and reads them: "1 240" and "2,5" in French, "1.240" in Spanish.

One parser (`parse_number`) for every number a person types, in a form or in an imported file,
and the form fields built on it. The reader's locale decides what a separator means, as Babel
reads it; plain digits with a decimal point ("2.5", "1240"), as a phone's number pad or a
spreadsheet gives them, are accepted in every language. Spaces between groups of three digits
(no-break and narrow no-break ones too, which French uses and copying from a document brings)
and apostrophes (Swiss grouping) are accepted everywhere. Whatever is refused gets one message,
in the reader's language, with an example written the reader's way.
"""

import re
from decimal import Decimal

from babel.numbers import NumberFormatError, format_decimal, parse_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from wtforms import Field
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

MAX_LENGTH = 40  # longer text is no number a person means
# Between groups of three digits: a space, a no-break, thin or narrow no-break space, or an
# apostrophe (straight or curly).
GAP = " \u00a0\u2009\u202f'\u2019"
# What a typed number may hold at all: Babel alone would also read "1E3" or "NaN".
NUMBER_CHARACTERS = re.compile(rf"[+-]?[\d.,{GAP}]*\d[\d.,{GAP}]*")
GROUP_GAP = re.compile(f"[{GAP}]")
SPACE_GROUPED = re.compile(rf"[+-]?\d{{1,3}}(?:[{GAP}]\d{{3}})+(?:[.,]\d+)?")
PLAIN = re.compile(r"[+-]?\d+(?:\.\d+)?")  # 1240 or 2.5, whatever the language
# Spreadsheet cells, whichever language wrote them: 1,234 or 1.234 grouped; 12.0 or 12,0 for
# a whole number; 2,5 with a decimal comma.
GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
SPREADSHEET_WHOLE = re.compile(r"(\d{1,12})(?:[.,]0+)?")
DECIMAL_COMMA = re.compile(r"\d{1,12},\d{1,12}")


def parse_number(text: str, locale=None) -> Decimal:
    """The number `text` writes in `locale` (the reader's by default); ValueError if it is none.

    "1 240" and "2,5" in French, "1.240" and "2,5" in Spanish, "1,240" and "2.5" in English;
    "2.5" and "1240" in all three. A separator the locale does not place so ("1,2,3", "2,5" in
    English) is refused rather than guessed."""
    text = text.strip()
    if len(text) > MAX_LENGTH or not NUMBER_CHARACTERS.fullmatch(text):
        raise ValueError(text)
    if GROUP_GAP.search(text):
        if not SPACE_GROUPED.fullmatch(text):
            raise ValueError(text)  # "1 2" is two numbers, not twelve
        text = GROUP_GAP.sub("", text)
    try:
        return parse_decimal(text, locale=locale or get_locale() or "en", strict=True)
    except NumberFormatError:
        if PLAIN.fullmatch(text):
            return Decimal(text)
        raise ValueError(text) from None


def parse_whole(text: str, locale=None) -> int:
    """The whole number `text` writes (see `parse_number`); "12.0" is 12, "2,5" a ValueError."""
    number = parse_number(text, locale)
    if number != number.to_integral_value():
        raise ValueError(text)
    return int(number)


def parse_cell_whole(text: str) -> int:
    """A whole number in a spreadsheet's cell, written the reader's way or another language's:
    a file may come from a colleague's spreadsheet in English or French, and a count has no
    decimals, so "1,234" and "1.234" are 1234 whatever the reader's language; "12.0" is 12."""
    try:
        return parse_whole(text)
    except ValueError:
        pass
    text = GROUP_GAP.sub("", text.strip())
    if GROUPED.fullmatch(text):
        return int(re.sub("[.,]", "", text))
    match = SPREADSHEET_WHOLE.fullmatch(text)
    if match is None:
        raise ValueError(text)
    return int(match.group(1))


def parse_cell_number(text: str) -> Decimal:
    """A number in a spreadsheet's cell (hours): the reader's way, or with a decimal comma."""
    try:
        return parse_number(text)
    except ValueError:
        compact = GROUP_GAP.sub("", text.strip())
        if not DECIMAL_COMMA.fullmatch(compact):
            raise
        return Decimal(compact.replace(",", "."))


def shown(number) -> str:
    """A number written the reader's way, every decimal kept: what a number field shows, so
    that saving the form again gives back the same number."""
    if number is None:
        return ""
    return format_decimal(number, locale=get_locale() or "en", decimal_quantization=False)


class LocaleFloatField(Field):
    """A number typed as text, which may have decimals (hours per person): read with
    `parse_number` into a float (None when left empty), shown with `shown`.

    Text, not type=number: an <input type=number> cannot show back a mistyped value, refuses
    "1 240" in the browser, and scroll wheels change it by accident; `inputmode` still gives
    phones their number pad. A value that is no number gets one message, and the field's other
    validators (its range) do not add a second."""

    widget = TextInput()
    inputmode = "decimal"

    def __init__(self, label=None, validators=None, render_kw=None, message=None, **kwargs):
        """`message` replaces the field's own for a value that is no number (the fee table
        names what it wants: "Give the fee as a whole number.")."""
        render_kw = {"inputmode": self.inputmode, "autocomplete": "off", **(render_kw or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.message = message

    def parse(self, text: str) -> float:
        return float(parse_number(text))

    def not_a_number(self) -> str:
        return _("Enter a number, such as %(example)s.", example=shown(Decimal("2.5")))

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = self.parse(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(str(self.message or self.not_a_number())) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # the message is said: a range check would repeat it

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]  # as typed: a refused value is corrected, not retyped
        return shown(self.data)


class LocaleIntegerField(LocaleFloatField):
    """A whole number: an int, or None when left empty."""

    inputmode = "numeric"

    def parse(self, text: str) -> int:
        return parse_whole(text)

    def not_a_number(self) -> str:
        return _("Enter a whole number, such as %(example)s.", example=shown(1240))
