from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from tracker.formutils import BaseForm


class WithdrawForm(BaseForm):
    reason = TextAreaField(
        _l("Why does your company withdraw from The Code?"),
        validators=[DataRequired(_l("Tell ECPAT why the company withdraws.")), Length(max=4000)],
    )
    # Set by the confirmation page: the first press only asks "are you sure?".
    confirmed = HiddenField()

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed.data == "yes"
