"""What counts as a character of text: the one rule input checks and XML output share."""

import unicodedata

# XML 1.0 (and so an Atom feed) cannot carry these at all; nor can PostgreSQL store NUL.
ALLOWED_CONTROLS = frozenset("\t\n\r")


def is_noncharacter(ch: str) -> bool:
    """U+FDD0-U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, ...):
    reserved by Unicode never to be text."""
    point = ord(ch)
    return 0xFDD0 <= point <= 0xFDEF or (point & 0xFFFE) == 0xFFFE


def is_control(ch: str) -> bool:
    """A character no text field keeps: a control character (bar tab and line breaks), a lone
    surrogate (no character at all) or a noncharacter."""
    category = unicodedata.category(ch)
    if category == "Cc":
        return ch not in ALLOWED_CONTROLS
    return category == "Cs" or is_noncharacter(ch)


def xml_safe(text: str) -> str:
    """`text` without what XML cannot carry: for names stored before input refused it."""
    return "".join(ch for ch in text if not is_control(ch))
