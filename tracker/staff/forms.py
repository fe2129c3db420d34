"""Staff account forms."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import DataRequired

from tracker.auth.forms import email_field
from tracker.auth.models import Role
from tracker.formutils import BaseForm, select_choices

STAFF_ROLES = [(role.value, role.label) for role in Role if role.is_staff]


class StaffInviteForm(BaseForm):
    email = email_field(_l("New staff member's e-mail address"))
    role = SelectField(
        _l("Role"),
        choices=select_choices(STAFF_ROLES, _l("Choose a role")),
        validators=[DataRequired(message=_l("Choose a role from the list."))],
        invalid_choice_message=_l("Choose a role from the list."),
    )
    # Choices are the organisations, set by the view; representatives take its countries.
    representative = SelectField(
        _l("Organisation (representatives only)"),
        choices=[],
        default="",
        invalid_choice_message=_l("Choose an organisation from the list."),
    )

    def set_organisations(self, organisations) -> "StaffInviteForm":
        choices = [(str(org.id), org.name) for org in organisations]
        self.representative.choices = select_choices(choices, _l("None (ECPAT staff)"))
        return self
