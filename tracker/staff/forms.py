"""Staff account forms."""

from wtforms import SelectField
from wtforms.validators import DataRequired

from tracker.auth.forms import email_field
from tracker.auth.models import Role
from tracker.formutils import BaseForm, select_choices

STAFF_ROLES = [(role.value, role.label) for role in Role if role.is_staff]


class StaffInviteForm(BaseForm):
    email = email_field("New staff member's e-mail address")
    role = SelectField(
        "Role",
        choices=select_choices(STAFF_ROLES, "Choose a role"),
        validators=[DataRequired(message="Choose a role from the list.")],
        invalid_choice_message="Choose a role from the list.",
    )
    # Choices are the organisations, set by the view; representatives take its countries.
    representative = SelectField(
        "Organisation (representatives only)",
        choices=[],
        default="",
        invalid_choice_message="Choose an organisation from the list.",
    )

    def set_organisations(self, organisations) -> "StaffInviteForm":
        choices = [(str(org.id), org.name) for org in organisations]
        self.representative.choices = select_choices(choices, "None (ECPAT staff)")
        return self
