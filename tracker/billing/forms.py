"""Staff forms: the fee table, discounts, recording a payment, waiving or cancelling an
invoice; and the member's confirmation of its revenue band."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError
from wtforms.widgets import HiddenInput

from tracker.billing.fees import MAX_FEE
from tracker.billing.models import DiscountKind, PaymentMethod
from tracker.formutils import BaseForm, select_choices
from tracker.numbers import LocaleIntegerField


def check_version(form, field) -> None:
    """A version is a small positive whole number; anything else was not sent by our page."""
    text = field.data or ""
    if not (text.isascii() and text.isdigit() and len(text) <= 10 and 0 < int(text) < 2**31):
        raise ValidationError("This form does not say which version you read. Reload the page.")


class VersionedForm(BaseForm):
    version = HiddenField(validators=[check_version])

    @property
    def seen_version(self) -> int:
        return int(self.version.data)


class PaymentForm(VersionedForm):
    paid_on = DateField("Paid on", validators=[InputRequired("Give the date of the payment.")])
    method = SelectField(
        "Method",
        choices=select_choices(PaymentMethod.choices(), "Choose the method"),
        validators=[DataRequired("Choose how it was paid.")],
    )
    reference = StringField(
        "Reference (bank or card transaction)",
        validators=[DataRequired("Give the payment's reference."), Length(max=200)],
    )


class ApplyDiscountForm(VersionedForm):
    discount = SelectField("Discount", validators=[DataRequired("Choose the discount to apply.")])

    def __init__(self, discounts=(), **kwargs):
        super().__init__(**kwargs)
        pairs = [(str(discount.id), discount.name) for discount in discounts]
        self.discount.choices = select_choices(pairs, "Choose a discount")


class WaiveForm(VersionedForm):
    reason = TextAreaField(
        "Why is the invoice waived?",
        validators=[DataRequired("Give the reason for waiving the invoice."), Length(max=4000)],
    )


class CancelForm(VersionedForm):
    reason = TextAreaField(
        "Why is the invoice cancelled?",
        validators=[DataRequired("Give the reason for cancelling the invoice."), Length(max=4000)],
    )


class ReissueForm(BaseForm):
    """The button that issues a new joining invoice after one was cancelled (CSRF only)."""


class FeeForm(VersionedForm):
    amount = LocaleIntegerField(
        "Annual fee",
        message="Give the fee as a whole number.",
        validators=[
            InputRequired("Give the fee as a whole number."),
            NumberRange(0, MAX_FEE, f"Give an amount from 0 to {MAX_FEE:,}."),
        ],
    )
    currency = StringField(
        "Currency",
        validators=[DataRequired("Give a three-letter currency code."), Length(3, 3)],
    )


class RenewalForm(BaseForm):
    """The member confirms its revenue band for the year; the renewal invoice follows."""

    year = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    confirmed = BooleanField(
        _l("Our annual revenue is still in this band."),
        validators=[DataRequired(_l("Confirm the revenue band, or change it in your profile."))],
    )


class DiscountForm(BaseForm):
    name = StringField("Name", validators=[DataRequired("Name the discount."), Length(max=120)])
    kind = SelectField(
        "Kind",
        choices=select_choices(DiscountKind.choices(), "Choose the kind"),
        validators=[DataRequired("Choose the kind.")],
    )
    value = LocaleIntegerField(
        "Value (percent, or whole amount)",
        message="Give the value as a whole number.",
        validators=[
            InputRequired("Give the value as a whole number."),
            NumberRange(1, MAX_FEE, "Give a value of at least 1."),
        ],
    )
    reason = TextAreaField(
        "Reason", validators=[DataRequired("Give the reason for the discount."), Length(max=2000)]
    )
