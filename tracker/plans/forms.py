"""The implementation plan form, and the staff forms that decide on a plan."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from tracker.formutils import BaseForm, select_choices
from tracker.numbers import LocaleIntegerField
from tracker.plans.models import OTHER_SECTION, PlanCriterion
from tracker.plans.services import MAX_STAFF

TEXT_LIMIT = 4000
# The sections a reviewer comments on.
STAFF_SECTION_LABELS = {
    "policy": _l("1. Policy and procedures"),
    "training": _l("2. Staff training"),
    "contracts": _l("3. Contracts"),
    "travellers": _l("4. Information for travellers"),
    "stakeholders": _l("5. Stakeholders"),
    OTHER_SECTION: _l("Staff to train and volunteering"),
}


def check_plan_version(form, field) -> None:
    """The version of the plan the page showed: a small positive whole number."""
    text = field.data or ""
    # Length first: int() refuses strings of over 4,300 digits with an error of its own.
    # 0: the page showed a plan not started yet.
    if not (text.isascii() and text.isdigit() and len(text) <= 10 and 0 <= int(text) < 2**31):
        raise ValidationError(
            _l("This form does not say which version of the plan you read. Reload the page.")
        )


class VersionedForm(BaseForm):
    version = HiddenField(validators=[check_plan_version])

    @property
    def seen_version(self) -> int:
        return int(self.version.data)


def plan_form_class():
    """The plan form: what, who and by when for each criterion, then the two questions."""

    class PlanForm(VersionedForm):
        staff_to_train = LocaleIntegerField(
            _l("Number of staff to train"),
            description=_l("Everyone who should complete training on The Code, all countries."),
            validators=[
                Optional(),
                NumberRange(
                    min=0, max=MAX_STAFF, message=_l("Give a whole number from 0 to 10,000,000.")
                ),
            ],
        )
        organises_volunteering = RadioField(
            _l("Does your company organise volunteering trips?"),
            choices=select_choices([("yes", _l("Yes")), ("no", _l("No"))]),
            validators=[Optional()],
        )

        def criterion_fields(self):
            return [
                (c, [self[f"{c.value}_{part}"] for part in ("action", "responsible", "due_on")])
                for c in PlanCriterion
            ]

    for criterion in PlanCriterion:
        key = criterion.value
        setattr(
            PlanForm,
            f"{key}_action",
            TextAreaField(
                _l("%(criterion)s: what your company will do", criterion=criterion.label),
                validators=[Optional(), Length(max=TEXT_LIMIT)],
                render_kw={"rows": 3},
            ),
        )
        setattr(
            PlanForm,
            f"{key}_responsible",
            StringField(
                _l("%(criterion)s: who is responsible", criterion=criterion.label),
                description=_l("A name and job title, or a team."),
                validators=[Optional(), Length(max=200)],
            ),
        )
        setattr(
            PlanForm,
            f"{key}_due_on",
            DateField(
                _l("%(criterion)s: by when", criterion=criterion.label),
                validators=[Optional()],
                render_kw={"type": "date"},
            ),
        )
    return PlanForm


PlanForm = plan_form_class()


class ApprovePlanForm(VersionedForm):
    approve_comment = TextAreaField(
        _l("Comment for the company (optional)"),
        validators=[Optional(), Length(max=TEXT_LIMIT)],
        render_kw={"rows": 2},
    )


def return_form_class():
    """The return form: a comment box per criterion and on the rest, and one overall."""

    class ReturnPlanForm(VersionedForm):
        return_comment = TextAreaField(
            _l("Comment on the whole plan"),
            validators=[Optional(), Length(max=TEXT_LIMIT)],
            render_kw={"rows": 2},
        )

        def section_fields(self):
            keys = [c.value for c in PlanCriterion] + [OTHER_SECTION]
            return [(key, self[f"comment_{key}"]) for key in keys]

    labels = STAFF_SECTION_LABELS
    for key, label in labels.items():
        setattr(
            ReturnPlanForm,
            f"comment_{key}",
            TextAreaField(
                _l("What needs changing in “%(section)s”", section=label),
                validators=[Optional(), Length(max=TEXT_LIMIT)],
                render_kw={"rows": 2},
            ),
        )
    return ReturnPlanForm


ReturnPlanForm = return_form_class()
