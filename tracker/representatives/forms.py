"""Forms for representative organisations, the permission table and members' assignment."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Email, Length, Optional

from tracker.auth.models import Decision
from tracker.countries import country_choices
from tracker.formutils import BaseForm, select_choices, strip_whitespace


class RepresentativeForm(BaseForm):
    name = StringField(_l("Organisation name"), validators=[DataRequired(), Length(max=200)])
    countries = SelectMultipleField(
        _l("Countries"),
        choices=lambda: select_choices(country_choices()),  # in the reader's language
        description=_l("Hold Ctrl (or Cmd) to choose several."),
        render_kw={"size": 8},
        validators=[DataRequired(message=_l("Choose at least one country."))],
    )
    website = StringField(
        _l("Website"),
        validators=[
            Optional(),
            Length(max=255),
            URL(message=_l("Enter a full address, e.g. https://example.org")),
        ],
        render_kw={"inputmode": "url"},  # type=url would make a mistyped value invalid HTML
    )
    email = EmailField(
        _l("Public contact e-mail"),
        validators=[Optional(), Length(max=254), Email()],
        filters=[strip_whitespace],
    )
    phone = StringField(_l("Public contact phone"), validators=[Optional(), Length(max=40)])


class PermissionsForm(BaseForm):
    """One checkbox per editable decision; ECPAT-only decisions are listed, not offered."""

    return_application = BooleanField(Decision.RETURN_APPLICATION.label)
    return_report = BooleanField(Decision.RETURN_REPORT.label)
    recommend_approval = BooleanField(Decision.RECOMMEND_APPROVAL.label)
    return_plan = BooleanField(Decision.RETURN_PLAN.label)

    def allowed(self) -> dict[Decision, bool]:
        return {
            decision: self[decision.value].data for decision in Decision if decision.is_editable
        }


class AssignForm(BaseForm):
    representative = SelectField(
        _l("Local Code Representative"),
        choices=[],
        default="",
        invalid_choice_message=_l("Choose a representative from the list."),
    )

    def set_organisations(self, organisations) -> "AssignForm":
        pairs = [(str(org.id), org.name) for org in organisations]
        self.representative.choices = select_choices(pairs, _l("None: supported by ECPAT"))
        return self


class RecommendForm(BaseForm):
    comment = TextAreaField(
        _l("Why you recommend approval (ECPAT staff read this)"),
        validators=[DataRequired(message=_l("Say why you recommend approval.")), Length(max=2000)],
        # The panel's textarea id (representatives/_recommend.html): the summary links to it.
        id="recommend-comment",
    )
