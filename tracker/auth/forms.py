"""Account forms."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from tracker.formutils import BaseForm, strip_whitespace

PASSWORD_RULES = [
    DataRequired(),
    Length(min=10, max=128, message=_l("Use between 10 and 128 characters.")),
]


def email_field(label=None) -> EmailField:
    return EmailField(
        label or _l("E-mail address"),
        validators=[DataRequired(), Length(max=254), Email()],
        filters=[strip_whitespace],
        render_kw={"autocomplete": "email"},
    )


def new_password_fields():
    password = PasswordField(
        _l("Password"),
        validators=PASSWORD_RULES,
        description=_l("At least 10 characters; a few words make a strong password."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class EmptyForm(BaseForm):
    """CSRF protection for POST-only buttons."""


class RegisterForm(BaseForm):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = email_field()
    password, confirm = new_password_fields()


class LoginForm(BaseForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))


class ResetRequestForm(BaseForm):
    email = email_field()


class ResetPasswordForm(BaseForm):
    password, confirm = new_password_fields()


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = new_password_fields()


class AcceptInvitationForm(BaseForm):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    password, confirm = new_password_fields()


class InviteForm(BaseForm):
    email = email_field(_l("Colleague's e-mail address"))
