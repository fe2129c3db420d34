"""Staff forms: the fee table, discounts, recording a payment, waiving or cancelling an
invoice; and the member's confirmation of its revenue band."""

from flask_babel import LazyString, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import HiddenInput

from tracker import formutils
from tracker.billing.fees import MAX_FEE
from tracker.billing.models import DiscountKind, PaymentMethod
from tracker.formutils import BaseForm, select_choices
from tracker.numbers import LocaleIntegerField

# Lazy as a whole: the largest fee is written the reader's way ("1,000,000", "1 000 000").
AMOUNT_RANGE = LazyString(
    lambda: _("Give an amount from 0 to %(most)s.", most=format_decimal(MAX_FEE))
)


class VersionedForm(formutils.VersionedForm):
    version = formutils.version_field(
        _l("This form does not say which version you read. Reload the page.")
    )


class PaymentForm(VersionedForm):
    paid_on = DateField(
        _l("Paid on"), validators=[InputRequired(_l("Give the date of the payment."))]
    )
    method = SelectField(
        _l("Method"),
        choices=select_choices(PaymentMethod.choices(), _l("Choose the method")),
        validators=[DataRequired(_l("Choose how it was paid."))],
    )
    reference = StringField(
        _l("Reference (bank or card transaction)"),
        validators=[DataRequired(_l("Give the payment's reference.")), Length(max=200)],
    )


class ApplyDiscountForm(VersionedForm):
    discount = SelectField(
        _l("Discount"), validators=[DataRequired(_l("Choose the discount to apply."))]
    )

    def __init__(self, discounts=(), **kwargs):
        super().__init__(**kwargs)
        pairs = [(str(discount.id), discount.name) for discount in discounts]
        self.discount.choices = select_choices(pairs, _l("Choose a discount"))


class WaiveForm(VersionedForm):
    reason = TextAreaField(
        _l("Why is the invoice waived?"),
        validators=[DataRequired(_l("Give the reason for waiving the invoice.")), Length(max=4000)],
    )


class CancelForm(VersionedForm):
    reason = TextAreaField(
        _l("Why is the invoice cancelled?"),
        validators=[
            DataRequired(_l("Give the reason for cancelling the invoice.")),
            Length(max=4000),
        ],
    )


class ReissueForm(BaseForm):
    """The button that issues a new joining invoice after one was cancelled (CSRF only)."""


class FeeForm(VersionedForm):
    amount = LocaleIntegerField(
        _l("Annual fee"),
        message=_l("Give the fee as a whole number."),
        validators=[
            InputRequired(_l("Give the fee as a whole number.")),
            NumberRange(0, MAX_FEE, AMOUNT_RANGE),
        ],
    )
    currency = StringField(
        _l("Currency"),
        validators=[DataRequired(_l("Give a three-letter currency code.")), Length(3, 3)],
    )


class RenewalForm(BaseForm):
    """The member confirms its revenue band for the year; the renewal invoice follows."""

    year = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    confirmed = BooleanField(
        _l("Our annual revenue is still in this band."),
        validators=[DataRequired(_l("Confirm the revenue band, or change it in your profile."))],
    )


class DiscountForm(BaseForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Name the discount.")), Length(max=120)]
    )
    kind = SelectField(
        _l("Kind"),
        choices=select_choices(DiscountKind.choices(), _l("Choose the kind")),
        validators=[DataRequired(_l("Choose the kind."))],
    )
    value = LocaleIntegerField(
        _l("Value (percent, or whole amount)"),
        message=_l("Give the value as a whole number."),
        validators=[
            InputRequired(_l("Give the value as a whole number.")),
            NumberRange(1, MAX_FEE, _l("Give a value of at least 1.")),
        ],
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(_l("Give the reason for the discount.")), Length(max=2000)],
    )
