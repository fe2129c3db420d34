"""The implementation plan form, and the staff forms that decide on a plan."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from tracker import formutils
from tracker.formutils import select_choices
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


class VersionedForm(formutils.VersionedForm):
    version = formutils.version_field(  # 0: the page showed a plan not started yet
        _l("This form does not say which version of the plan you read. Reload the page."), lowest=0
    )


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
