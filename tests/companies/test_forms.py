"""The shared form rules: text fields refuse invisible and line-break characters; fast selects."""

from html.parser import HTMLParser

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import Select

from tracker import formutils
from tracker.companies.forms import OperationForm
from tracker.countries import country_choices
from tracker.formutils import BaseSubForm, CachedSelect, select_choices

ONE_LINE = "Keep this on one line: remove the line breaks."
INVISIBLE = (
    "Remove the invisible formatting characters (such as text-direction marks or zero-width "
    "spaces) from this text."
)


class TextForm(BaseSubForm):
    name = StringField("Name")
    email = EmailField("E-mail")
    token = HiddenField()
    comment = TextAreaField("Comment")
    password = PasswordField("Password")


def errors_for(field: str, value: str) -> list[str]:
    form = TextForm(MultiDict({field: value}))
    form.validate()
    return list(getattr(form, field).errors)


# -- line breaks -------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["name", "email", "token"])
@pytest.mark.parametrize("value", ["Ana\r\nLee", "Ana\nLee", "Ana\rLee", "Ana Lee\n", "A\u2028B"])
def test_single_line_fields_refuse_line_breaks(field, value):
    assert ONE_LINE in errors_for(field, value)


@pytest.mark.parametrize("value", ["Please:\r\n- add Laos\n- fix the website", "A\u2029B"])
def test_a_text_area_keeps_its_lines(value):
    assert errors_for("comment", value) == []


# -- invisible format characters ---------------------------------------------------------------

FORMAT_CHARACTERS = [
    "\u202a",  # left-to-right embedding
    "\u202b",  # right-to-left embedding
    "\u202c",  # pop directional formatting
    "\u202d",  # left-to-right override
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u2067",  # right-to-left isolate
    "\u2068",  # first strong isolate
    "\u2069",  # pop directional isolate
    "\u200b",  # zero-width space
    "\u2060",  # word joiner
    "\ufeff",  # zero-width no-break space (byte order mark)
    "\u00ad",  # soft hyphen
    "\u200e",  # left-to-right mark
    "\U000e0041",  # tag latin capital letter a
]


@pytest.mark.parametrize("character", FORMAT_CHARACTERS, ids=lambda ch: f"U+{ord(ch):04X}")
@pytest.mark.parametrize("field", ["name", "email", "token", "comment"])
def test_text_fields_refuse_invisible_format_characters(field, character):
    assert errors_for(field, f"Sunrise{character}Hotels") == [INVISIBLE]


@pytest.mark.parametrize(
    "value",
    [
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian, with a ZWNJ inside the word
        "\u0915\u094d\u200d\u0937",  # Devanagari with a ZWJ choosing the half form
        "Zoë O'Brien-Łukasiewicz",
        "\u0634\u0631\u06a9\u062a \u0622\u0644\u0641\u0627",  # right-to-left text itself is fine
    ],
)
def test_names_that_need_joiners_are_accepted(value):
    assert errors_for("name", value) == []


@pytest.mark.parametrize("value", ["pass\u200bword 1234", "line\nbreak 1234"])
def test_passwords_are_never_shown_so_they_keep_every_character(value):
    """Refusing these at sign-in would lock out whoever already has one in a password."""
    assert errors_for("password", value) == []


def test_the_unbound_fields_are_not_changed():
    """Each bound field gets its own list of validators; the shared class field keeps its own."""
    TextForm(MultiDict())
    TextForm(MultiDict())
    assert TextForm.name.kwargs.get("validators") is None
    assert len(TextForm(MultiDict()).name.validators) == 3


# -- the cached select widget ------------------------------------------------------------------


class SelectTree(HTMLParser):
    """The <select>'s attributes and its options as (value, label, selected)."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.attributes: dict = {}
        self.options: list[list] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        if tag == "select":
            self.attributes = dict(attrs)
        elif tag == "option":
            attrs = dict(attrs)
            self.options.append([attrs["value"], "", "selected" in attrs])

    def handle_data(self, data):
        if self.options:
            self.options[-1][1] += data


CHOICES = select_choices(
    [*country_choices(), ("Q1", 'Tricky <b>"name"</b> & co'), ("Q&2", "Ampersand value")],
    "Choose a country",
)


class TwoSelects(BaseSubForm):
    default = SelectField("Country", choices=CHOICES)
    cached = SelectField("Country", choices=CHOICES, widget=CachedSelect())


RENDER_KWARGS = [
    {},
    {"aria_describedby": "country-hint country-error", "aria_invalid": "true"},
    {"required": True, "class_": "wide"},
]


@pytest.mark.parametrize("kwargs", RENDER_KWARGS)
@pytest.mark.parametrize("value", ["TH", "CI", "", "XX", None, "Q1", "Q&2"])
def test_cached_select_renders_what_the_default_select_does(value, kwargs):
    form = TwoSelects(data={"default": value, "cached": value})
    default, cached = form.default(**kwargs), form.cached(**kwargs)
    default_tree, cached_tree = SelectTree(default), SelectTree(cached)
    assert cached_tree.options == default_tree.options
    assert cached_tree.attributes == {**default_tree.attributes, "id": "cached", "name": "cached"}
    selected = [option[0] for option in cached_tree.options if option[2]]
    assert selected == ([value] if value in ("TH", "CI", "", "Q1", "Q&2") else [])
    # Byte for byte the same, apart from the field's own name and id.
    assert str(cached).replace('"cached"', '"default"') == str(default)


def test_cached_select_escapes_labels_and_values():
    rendered = str(TwoSelects(data={"cached": "Q&2"}).cached())
    assert (
        '<option value="Q1">Tricky &lt;b&gt;&#34;name&#34;&lt;/b&gt; &amp; co</option>' in rendered
    )
    assert '<option selected value="Q&amp;2">Ampersand value</option>' in rendered
    assert "<b>" not in rendered


def test_cached_select_falls_back_for_grouped_or_decorated_choices():
    grouped = [SelectChoice("TH", "Thailand", optgroup="Asia"), SelectChoice("FR", optgroup="EU")]
    decorated = [SelectChoice("TH", "Thailand", {"data-flag": "th"}), SelectChoice("FR", "France")]
    for choices in (grouped, decorated):

        class Pair(BaseSubForm):
            default = SelectField(choices=choices)
            cached = SelectField(choices=choices, widget=CachedSelect())

        form = Pair(data={"default": "TH", "cached": "TH"})
        assert str(form.cached()).replace('"cached"', '"default"') == str(form.default())


def test_operation_rows_render_the_country_options_once(monkeypatch):
    """300 rows must not render 300 x 250 options: each row renders only its selected one."""
    formutils._unselected_options.cache_clear()
    calls = []
    render_option = Select.render_option.__func__

    def counted(cls, *args, **kwargs):
        calls.append(args)
        return render_option(cls, *args, **kwargs)

    monkeypatch.setattr(Select, "render_option", classmethod(counted))
    rows = [OperationForm(data={"country_code": code}) for code in ("TH", "FR", None) * 100]
    rendered = [str(row.country_code()) for row in rows]
    options = len(CHOICES) - 2  # the operation rows list the countries without the two extras
    assert len(calls) == options + 200  # the list once, then one selected option per filled row
    assert all(html.count("<option") == options for html in rendered)
