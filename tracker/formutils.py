"""Small helpers shared by the feature forms."""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import Form, HiddenField, PasswordField, SelectChoice, StringField, TextAreaField
from wtforms.fields.choices import Choice
from wtforms.validators import ValidationError
from wtforms.widgets import Select, html_params

from tracker.text_rules import is_control

# Invisible format characters (Unicode category Cf) are refused in text: bidirectional overrides
# and isolates (U+202A-U+202E, U+2066-U+2069) make a name display as something else, and
# zero-width characters (U+200B, U+2060, U+FEFF) and the soft hyphen (U+00AD) make two names that
# look alike differ. ZWNJ (U+200C) and ZWJ (U+200D) stay allowed: names need them, as Persian
# writes ZWNJ inside words and Indic scripts (Devanagari, Bengali, ...) use both to choose
# between conjunct and half forms.
ALLOWED_FORMAT_CHARACTERS = frozenset("\u200c\u200d")
# Line breaks a single-line field refuses: CR and LF, and the Unicode line and paragraph
# separators that text processing (e-mail headers, CSV exports) may also treat as breaks.
LINE_BREAKS = frozenset("\r\n\u2028\u2029")
LINE_BREAK_RUN = re.compile("[\r\n\u2028\u2029]+")
# A web address typed without its scheme: a host name with a dot first ("example.org",
# "www.example.org/about"). A scheme of its own ("javascript:...", "mailto:...") has no dot
# before its colon, so it is left as typed, for the URL validator to refuse.
BARE_HOST = re.compile(r"[\w-]+(\.[\w-]+)+(?=[:/?#]|$)")
# Fields that are no box to fill in: they are never marked required (see `marks_required`).
UNMARKED_TYPES = frozenset({"BooleanField", "HiddenField", "CSRFTokenField", "SubmitField"})


def select_choices(
    pairs: Iterable[tuple[str, str]], placeholder: str | None = None
) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs, optionally led by an empty placeholder."""
    choices = [SelectChoice("", placeholder)] if placeholder else []
    return choices + [SelectChoice(value, label) for value, label in pairs]


def version_field(message: LazyString, lowest: int = 1) -> HiddenField:
    """The hidden version of the record the page showed, which the change is checked against:
    a whole number from `lowest` (0 for a record not started yet) below 2**31. Anything else
    was not sent by our page, and `message` (lazy, in the reader's language) says to reload."""

    def check(form, field) -> None:
        text = field.data or ""
        # Length first: int() refuses strings of over 4,300 digits with an error of its own.
        if not (
            text.isascii() and text.isdigit() and len(text) <= 10 and lowest <= int(text) < 2**31
        ):
            raise ValidationError(str(message))

    return HiddenField(validators=[check])


def strip_whitespace(value):
    """Field filter: drop surrounding spaces, which mobile keyboards add after autocompletion."""
    return value.strip() if isinstance(value, str) else value


def with_scheme(value):
    """Field filter: trim a web address and give a bare one ("example.org") https://, as people
    type it without; the field's URL validator then checks the result."""
    value = strip_whitespace(value)
    if isinstance(value, str) and BARE_HOST.match(value):
        return f"https://{value}"
    return value


def reject_spaces(form, field) -> None:
    """Refuse spaces inside a web address (the URL validator lets them through in its path)."""
    if any(ch.isspace() for ch in _text(field)):
        raise ValidationError(_("A web address has no spaces: remove them."))


def _text(field) -> str:
    return field.data if isinstance(field.data, str) else ""


def reject_control_characters(form, field) -> None:
    """Refuse NUL and other control characters, lone surrogates and noncharacters (U+FFFF):
    PostgreSQL cannot store NUL (a 500), and XML (the Atom feed) can carry none of them."""
    if any(is_control(ch) for ch in _text(field)):
        raise ValidationError(_("Remove the invisible control characters from this text."))


def reject_format_characters(form, field) -> None:
    """Refuse invisible format characters (see ALLOWED_FORMAT_CHARACTERS for the exceptions)."""
    if any(
        unicodedata.category(ch) == "Cf" and ch not in ALLOWED_FORMAT_CHARACTERS
        for ch in _text(field)
    ):
        raise ValidationError(
            _(
                "Remove the invisible formatting characters (such as text-direction marks or "
                "zero-width spaces) from this text."
            )
        )


def reject_line_breaks(form, field) -> None:
    """Refuse line breaks in a single-line field: names end up in e-mail headers and lists."""
    if not LINE_BREAKS.isdisjoint(_text(field)):
        raise ValidationError(_("Keep this on one line: remove the line breaks."))


def is_single_line(field) -> bool:
    """Text fields shown as one <input>: not a TextAreaField (a StringField that allows lines)."""
    return isinstance(field, StringField) and not isinstance(field, TextAreaField | PasswordField)


def text_checks(field: StringField) -> list:
    """The validators a text field gets besides its own, by kind of field."""
    if isinstance(field, PasswordField):
        # Passwords are never shown, so invisible characters in them spoof nothing; refusing
        # them at sign-in would lock out anyone whose password already contains one.
        return [reject_control_characters]
    checks = [reject_control_characters, reject_format_characters]
    if is_single_line(field):
        checks.append(reject_line_breaks)
    return checks


class _SafeTextMeta:
    """Form Meta mixin adding `text_checks` to every text field of the form."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        if isinstance(field, StringField):
            # A new list: the unbound field's validators are shared by every instance.
            field.validators = [*field.validators, *text_checks(field)]
        return field

    def render_field(self, field, render_kw):
        value = field._value() if is_single_line(field) else ""
        if any(is_control(ch) for ch in value):
            # HTML cannot carry a NUL or most other controls: shown as a replacement character
            # beside the message asking to remove them.
            shown = "".join("\ufffd" if is_control(ch) else ch for ch in value)
            render_kw = {"value": LINE_BREAK_RUN.sub(" ", shown), **render_kw}
        elif is_single_line(field) and not LINE_BREAKS.isdisjoint(field._value()):
            # An <input>'s value cannot hold a line break (HTML forbids it, browsers drop it):
            # the refused text is shown again on one line, beside the message saying why.
            render_kw = {"value": LINE_BREAK_RUN.sub(" ", field._value()), **render_kw}
        return super().render_field(field, render_kw)


def _boxes(form) -> Iterator:
    """The fields a person fills in, those of a list's rows included."""
    for field in form:
        if field.type == "FieldList":
            for entry in field.entries:
                yield from _boxes(entry.form) if entry.type == "FormField" else [entry]
        elif field.type == "FormField":
            yield from _boxes(field.form)
        elif field.type not in UNMARKED_TYPES:
            yield field


def marks_required(form) -> bool:
    """Whether a form marks its required fields "(required)": only when it has optional ones
    too. Where everything is required (signing in), a mark on every label says nothing."""
    return {bool(field.flags.required) for field in _boxes(form)} == {True, False}


def _typed(field) -> bool:
    return any(isinstance(value, str) and value.strip() for value in field.raw_data or ())


def validate_typed(form) -> bool:
    """Validate only the fields that hold something, and the CSRF token: what a draft keeps
    must be valid, but it may leave required fields empty. Rules across fields (validate_<name>
    methods) wait for the full validation. A list's rows are FormFields."""
    valid = True
    for field in form:
        if field.type == "FieldList":
            rows = [validate_typed(entry.form) for entry in field.entries]
            # As FieldList.validate sets them: the page's summary lists the rows' errors.
            field.errors = [] if all(rows) else [entry.errors for entry in field.entries]
            valid = valid and all(rows)
        elif field.type == "CSRFTokenField" or _typed(field):
            valid = field.validate(form) and valid
    return valid


class BaseForm(FlaskForm):
    """FlaskForm whose text fields refuse control and format characters (see `text_checks`)."""

    class Meta(_SafeTextMeta):
        pass

    @property
    def marks_required(self) -> bool:
        return marks_required(self)


class VersionedForm(BaseForm):
    """A form that carries `version` (a `version_field`) and reads it back as a number."""

    @property
    def seen_version(self) -> int:
        return int(self.version.data)


class BaseSubForm(Form):
    """Form (no CSRF, for FormField rows) whose text fields refuse what BaseForm's refuse."""

    class Meta(_SafeTextMeta):
        pass


@lru_cache(maxsize=16)
def _unselected_options(pairs: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """Each choice's <option>, not selected, rendered (and escaped) by WTForms itself."""
    return tuple(str(Select.render_option(Choice(v, label, False, {}))) for v, label in pairs)


def _plain(choices) -> bool:
    """Whether the choices are SelectChoices without groups or attributes of their own."""
    return isinstance(choices, list) and all(
        isinstance(c, SelectChoice) and not c.render_kw and c.optgroup is None for c in choices
    )


class CachedSelect(Select):
    """A Select widget that renders a list of options once and reuses it for every field.

    WTForms builds each <option> through `html_params` on every render: the country list in
    300 operation rows took 2.6 s. The options of a list of choices are cached; per field only
    the selected options are rendered again, so the HTML is the same as the default widget's.
    Other choices (groups, attributes per option, multiple) fall back to the default widget.
    """

    def __call__(self, field, **kwargs):
        if self.multiple or not _plain(field.choices):
            return super().__call__(field, **kwargs)
        pairs = tuple((choice.value, choice.label) for choice in field.choices)
        options = list(_unselected_options(pairs))
        for index, (value, label) in enumerate(pairs):
            # The same test as SelectField.iter_choices, without building a Choice per option.
            if field.coerce(value) == field.data:
                options[index] = str(self.render_option(Choice(value, label, True, {})))
        return Markup(f"<select {self._params(field, kwargs)}>{''.join(options)}</select>")

    def _params(self, field, kwargs: dict) -> str:
        """The <select>'s attributes, as the default widget sets them."""
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for name in dir(flags):
            if name in self.validation_attrs and name not in kwargs:
                kwargs[name] = getattr(flags, name)
        return html_params(name=field.name, **kwargs)
