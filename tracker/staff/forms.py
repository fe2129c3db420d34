"""Staff account forms."""

from wtforms import SelectField, SelectMultipleField
from wtforms.validators import DataRequired

from tracker.auth.forms import email_field
from tracker.auth.models import Role
from tracker.countries import country_choices
from tracker.formutils import BaseForm, select_choices

STAFF_ROLES = [(role.value, role.label) for role in Role if role.is_staff]


def countries_field() -> SelectMultipleField:
    return SelectMultipleField(
        "Countries (representatives only)",
        choices=select_choices(country_choices()),
        description="Hold Ctrl (or Cmd) to choose several.",
        render_kw={"size": 8},
    )


class StaffInviteForm(BaseForm):
    email = email_field("New staff member's e-mail address")
    role = SelectField(
        "Role",
        choices=select_choices(STAFF_ROLES, "Choose a role"),
        validators=[DataRequired(message="Choose a role from the list.")],
        invalid_choice_message="Choose a role from the list.",
    )
    countries = countries_field()


class CountriesForm(BaseForm):
    countries = countries_field()
