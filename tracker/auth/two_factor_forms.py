"""Forms of the second factor: a code, typed or from a recovery sheet."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from tracker.formutils import BaseForm, strip_whitespace


def code_field(label, description=None, numeric: bool = True) -> StringField:
    render_kw = {"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
    if numeric:
        render_kw["inputmode"] = "numeric"
    return StringField(
        label,
        validators=[DataRequired(), Length(max=40)],
        filters=[strip_whitespace],
        description=description,
        render_kw=render_kw,
    )


class CodeForm(BaseForm):
    """The sign-in step: a code from the app or one of the recovery codes."""

    code = code_field(
        _l("Code"),
        _l("The six digits your authenticator app shows, or one of your recovery codes."),
        numeric=False,
    )


class SetupForm(BaseForm):
    code = code_field(_l("Code from the app"), _l("The six digits the app shows now."))


class SignedInSetupForm(SetupForm):
    """Turning it on from a signed-in session asks for the password: whoever took over a
    session left open must not lock the owner out with a phone of their own."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )


class ConfirmForm(BaseForm):
    """Turning the second factor off or making new recovery codes asks for a current code."""

    code = code_field(
        _l("Current code"),
        _l("Six digits from your app, or one of your recovery codes."),
        numeric=False,
    )
