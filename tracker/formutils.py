"""Small helpers shared by the feature forms."""

import unicodedata
from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import Form, SelectChoice, StringField
from wtforms.validators import ValidationError


def select_choices(
    pairs: Iterable[tuple[str, str]], placeholder: str | None = None
) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs, optionally led by an empty placeholder."""
    choices = [SelectChoice("", placeholder)] if placeholder else []
    return choices + [SelectChoice(value, label) for value, label in pairs]


def strip_whitespace(value):
    """Field filter: drop surrounding spaces, which mobile keyboards add after autocompletion."""
    return value.strip() if isinstance(value, str) else value


def reject_control_characters(form, field) -> None:
    """Refuse NUL and other control characters: PostgreSQL cannot store NUL in text (a 500)."""
    text = field.data if isinstance(field.data, str) else ""
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in text):
        raise ValidationError("Remove the invisible control characters from this text.")


class _SafeTextMeta:
    """Form Meta mixin adding `reject_control_characters` to every text field of the form."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        if isinstance(field, StringField):
            # A new list: the unbound field's validators are shared by every instance.
            field.validators = [*field.validators, reject_control_characters]
        return field


class BaseForm(FlaskForm):
    """FlaskForm whose text fields refuse control characters."""

    class Meta(_SafeTextMeta):
        pass


class BaseSubForm(Form):
    """Form (no CSRF, for FormField rows) whose text fields refuse control characters."""

    class Meta(_SafeTextMeta):
        pass
