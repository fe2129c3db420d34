"""Account forms."""

from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from tracker.formutils import BaseForm, strip_whitespace

PASSWORD_RULES = [
    DataRequired(),
    Length(min=10, max=128, message="Use between 10 and 128 characters."),
]


def email_field(label: str = "E-mail address") -> EmailField:
    return EmailField(
        label,
        validators=[DataRequired(), Length(max=254), Email()],
        filters=[strip_whitespace],
        render_kw={"autocomplete": "email"},
    )


def new_password_fields():
    password = PasswordField(
        "Password",
        validators=PASSWORD_RULES,
        description="At least 10 characters; a few words make a strong password.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The two passwords do not match.")],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class EmptyForm(BaseForm):
    """CSRF protection for POST-only buttons."""


class RegisterForm(BaseForm):
    name = StringField(
        "Your name",
        validators=[DataRequired(), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = email_field()
    password, confirm = new_password_fields()


class LoginForm(BaseForm):
    email = email_field()
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me signed in on this device")


class ResetRequestForm(BaseForm):
    email = email_field()


class ResetPasswordForm(BaseForm):
    password, confirm = new_password_fields()


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired(), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = new_password_fields()


class AcceptInvitationForm(BaseForm):
    name = StringField(
        "Your name",
        validators=[DataRequired(), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    password, confirm = new_password_fields()


class InviteForm(BaseForm):
    email = email_field("Colleague's e-mail address")
