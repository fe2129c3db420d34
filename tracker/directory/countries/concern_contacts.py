"""Verified national contacts for reporting a concern about a child, from a deployment's file.

The page follows ECPAT's guidance, in its order: the emergency number and the police first, then
the national child helpline, then the online reporting portals (KINDS). The tracker ships no
national contact: a wrong hotline number on a child-protection page does harm, so every contact
is one that the deployment has checked and put in CONCERN_CONTACTS_FILE, a JSON object of
country codes to lists of contacts:

    {"TH": [{"kind": "helpline", "name": "…", "phone": "…", "url": "https://…", "note": "…"}]}

`kind` is one of KINDS (a contact without one is listed last, as "other contacts"); `name` is
required, the rest optional; `name` and `note` may instead be objects of language
codes to text ({"en": "…", "fr": "…"}), English being the fallback. A missing file means no
contacts. An entry that breaks these rules is left out and logged, so that one typo neither
shows a broken link nor takes every country's page down. The file is read again when it changes.
"""

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app

from tracker.countries import is_country_code
from tracker.languages.selection import current_language

MAX_TEXT = 500
# ECPAT's order: emergency and police first, then the child helpline, then online reporting.
KINDS = ("emergency", "police", "helpline", "online", "other")
# Where a reader finds what a country's file does not give: directories kept by the networks
# of child helplines and of online reporting hotlines.
HELPLINE_DIRECTORY = "https://childhelplineinternational.org/helplines/"
ONLINE_REPORTING_DIRECTORY = "https://www.inhope.org/EN/articles/report-here"
PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{1,30}")
WEB = re.compile(r"https?://[^\s<>\"]+")  # no javascript: or data: links
EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")


@dataclass(frozen=True)
class Contact:
    name: str
    kind: str = "other"
    phone: str | None = None
    url: str | None = None
    email: str | None = None
    note: str | None = None

    @property
    def phone_link(self) -> str | None:
        return "tel:" + re.sub(r"[^0-9+]", "", self.phone) if self.phone else None


def contacts_by_kind(country: str) -> dict[str, list[Contact]]:
    """The verified contacts for `country` by kind, each kind in the file's order (KINDS lists
    the order the page follows)."""
    contacts = contacts_for(country)
    return {kind: [c for c in contacts if c.kind == kind] for kind in KINDS}


def contacts_for(country: str) -> list[Contact]:
    """The verified contacts for `country`, in the reader's language where the file has it."""
    path = current_app.config.get("CONCERN_CONTACTS_FILE") or ""
    try:
        stat = os.stat(path)
    except OSError:
        return []
    entries = _read(path, stat.st_mtime_ns, stat.st_size).get(country, [])
    return [_contact(entry, current_language()) for entry in entries]


@lru_cache(maxsize=4)
def _read(path: str, modified: int, size: int) -> dict[str, list[dict]]:
    """The file's valid entries by country (`modified` and `size` key the cache on changes)."""
    try:
        with open(path, encoding="utf-8") as file:
            data = json.load(file)
    except (OSError, ValueError) as error:
        current_app.logger.error("%s is not readable JSON, so no contacts: %s", path, error)
        return {}
    if not isinstance(data, dict):
        current_app.logger.error("%s is not a JSON object of countries, so no contacts", path)
        return {}
    found = {}
    for code, entries in data.items():
        valid = [entry for entry in _list(entries) if _valid(entry)]
        if not is_country_code(code) or len(valid) != len(_list(entries)):
            current_app.logger.warning("%s: left out invalid contacts for %r", path, code)
        if is_country_code(code) and valid:
            found[code] = valid
    return found


def _list(entries) -> list:
    return entries if isinstance(entries, list) else []


def _valid(entry) -> bool:
    if not isinstance(entry, dict) or not _text_ok(entry.get("name"), required=True):
        return False
    checks = {
        "kind": lambda v: v in KINDS,
        "phone": lambda v: isinstance(v, str) and PHONE.fullmatch(v),
        "url": lambda v: isinstance(v, str) and len(v) <= MAX_TEXT and WEB.fullmatch(v),
        "email": lambda v: isinstance(v, str) and len(v) <= 254 and EMAIL.fullmatch(v),
        "note": _text_ok,
    }
    return all(entry.get(key) is None or bool(check(entry[key])) for key, check in checks.items())


def _text_ok(value, required: bool = False) -> bool:
    """Text, or an object of language codes to text with English among them."""
    if value is None:
        return not required
    if isinstance(value, dict):
        return "en" in value and all(_one_text(text) for text in value.values())
    return _one_text(value)


def _one_text(text) -> bool:
    return isinstance(text, str) and 0 < len(text.strip()) <= MAX_TEXT


def _contact(entry: dict, language: str) -> Contact:
    return Contact(
        name=_in(entry["name"], language),
        kind=entry.get("kind") or "other",
        phone=entry.get("phone"),
        url=entry.get("url"),
        email=entry.get("email"),
        note=_in(entry["note"], language) if entry.get("note") is not None else None,
    )


def _in(text: str | dict, language: str) -> str:
    return (text.get(language) or text["en"]) if isinstance(text, dict) else text
