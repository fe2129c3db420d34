"""Every marked message has a French and a Spanish translation with the same placeholders."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "tracker" / "translations"
LANGUAGES = ("fr", "es")
# %(name)s and %(num)d in Python and Jinja messages; {{ name }} becomes %(name)s in {% trans %}.
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def marked_messages() -> set[str]:
    """What the code and templates mark today, read from the sources (not from the catalogs)."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    keywords = {"_": None, "_l": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=keywords,
        # Babel skips folders starting with "_" by default: templates/_partials holds strings too.
        directory_filter=lambda path: not Path(path).name.startswith("."),
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def catalog(language: str):
    with (CATALOGS / language / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale=language)


@pytest.fixture(scope="module")
def marked() -> set[str]:
    return marked_messages()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_message_is_in_the_catalog(marked, language):
    ids = set()
    for message in catalog(language):
        ids.update([message.id] if isinstance(message.id, str) else message.id)
    missing = sorted(marked - ids - {""})
    assert not missing, f"run `make translations` and translate: {missing[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_not_fuzzy(language):
    untranslated = [
        message.id
        for message in catalog(language)
        if message.id
        and (
            message.fuzzy
            or not all(message.string if isinstance(message.string, tuple) else (message.string,))
        )
    ]
    assert not untranslated, untranslated[:10]


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    wrong = []
    for message in catalog(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(" ".join(ids)))
        for string in strings:
            # A singular form may leave out the number ("un pays"), never add a name.
            found = set(PLACEHOLDER.findall(string))
            if found - expected or (expected - found) - {"num"}:
                wrong.append((message.id, string))
    assert not wrong, wrong[:10]


def test_the_scan_reaches_partials_and_macros(marked):
    assert "Your progress" in marked  # templates/_partials/steps.html
    assert "Please correct the highlighted fields" in marked  # templates/_macros/forms.html


def test_the_checks_catch_a_missing_and_a_broken_translation(tmp_path):
    """The checks above fail on a catalog with such faults (so they cannot pass vacuously)."""
    po = tmp_path / "messages.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Hello %(name)s"\nmsgstr "Bonjour %(nom)s"\n\n'
        'msgid "Untranslated"\nmsgstr ""\n',
        encoding="utf-8",
    )
    with po.open("rb") as po_file:
        messages = [m for m in read_po(po_file, locale="fr") if m.id]
    assert [m.id for m in messages if not m.string] == ["Untranslated"]
    broken = messages[0]
    assert PLACEHOLDER.findall(broken.id) != PLACEHOLDER.findall(broken.string)
