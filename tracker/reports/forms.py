"""The company's report forms: the annual report, starting and submitting it, evidence."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker import formutils
from tracker.formutils import BaseForm, BaseSubForm, select_choices
from tracker.numbers import LocaleFloatField, LocaleIntegerField
from tracker.reports.inputs import MAX_COUNT, MAX_HOURS
from tracker.reports.models import (
    NOT_APPLICABLE_SECTIONS,
    Section,
    TravellerChannel,
    not_applicable_field,
)
from tracker.reports.training import StaffGroup, validity_first_year

TEXT_LIMIT = 4000
COUNT = NumberRange(min=0, max=MAX_COUNT, message=_l("Give a whole number from 0 to 10,000,000."))
STAFF_GROUPS = tuple(StaffGroup)  # the order of a training row's group sub-forms


class VersionedForm(formutils.VersionedForm):
    version = formutils.version_field(
        _l("This form does not say which version of the report you read. Reload the page.")
    )


def count_field(label, **kwargs) -> LocaleIntegerField:
    return LocaleIntegerField(label, validators=[Optional(), COUNT], **kwargs)


def text_area(label, **kwargs) -> TextAreaField:
    return TextAreaField(
        label, validators=[Optional(), Length(max=TEXT_LIMIT)], render_kw={"rows": 3}, **kwargs
    )


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(html_tag="ul", prefix_label=False)
    option_widget = CheckboxInput()


class TrainingGroupForm(BaseSubForm):
    """One staff group's counts in one row; which group is fixed by its place in the row
    (`STAFF_GROUPS`), set on `staff_group` when the form is built. The labels name the
    measure; the page adds the row and the group for screen readers."""

    employees = count_field(_l("Employees at year end"))
    new_in_person = count_field(_l("New training, in person"))
    new_e_learning = count_field(_l("New training, e-learning"))
    refresher_in_person = count_field(_l("Refresher training, in person"))
    refresher_e_learning = count_field(_l("Refresher training, e-learning"))
    # Its label names the years, which depend on the report: see `current_label`.
    current = count_field(_l("Currently trained"))

    staff_group: StaffGroup | None = None

    @property
    def legend(self) -> str | None:
        """The group's name, for the list of problems at the top of the page."""
        return str(self.staff_group.label) if self.staff_group else None


class TrainingRowForm(BaseSubForm):
    """One country or property; which one is fixed by the report, named by `row_id`."""

    row_id = HiddenField()
    groups = FieldList(
        FormField(TrainingGroupForm), min_entries=len(STAFF_GROUPS), max_entries=len(STAFF_GROUPS)
    )
    hours = LocaleFloatField(
        _l("Hours per person"),
        validators=[
            Optional(),
            NumberRange(
                min=0, max=MAX_HOURS, message=_l("Give a number of hours from 0 to 1,000.")
            ),
        ],
    )


def current_label(report_year: int) -> str:
    """ "Currently trained" with the years whose training still counts at the end of the
    report's year (2025 or 2026 for a 2026 report with two years' validity)."""
    first = validity_first_year(report_year)
    if first == report_year:
        return _(
            "Currently trained (trained in %(year)d and employed at year end)", year=report_year
        )
    if first == report_year - 1:
        return _(
            "Currently trained (trained in %(first)d or %(year)d and employed at year end)",
            first=first,
            year=report_year,
        )
    return _(
        "Currently trained (trained from %(first)d to %(year)d and employed at year end)",
        first=first,
        year=report_year,
    )


class _ReportForm(VersionedForm):
    # 1. Policy
    policy_adopted = RadioField(
        _l("Has your company adopted a policy against the sexual exploitation of children?"),
        choices=select_choices([("yes", _l("Yes")), ("no", _l("No"))]),
        validators=[Optional()],
    )
    policy_adopted_on = DateField(
        _l("Date adopted"),
        validators=[Optional()],
        render_kw={"type": "date"},
    )
    policy_focal_person = StringField(
        _l("Focal person for child protection (name)"),
        validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    policy_focal_person_role = StringField(
        _l("Focal person's role"),
        description=_l("For example: Human Resources Manager."),
        validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "organization-title"},
    )
    policy_reporting_procedure = text_area(
        _l("How staff report a suspected case"),
        description=_l("To whom staff report inside the company, and who informs the authorities."),
    )
    policy_board_approved_on = DateField(
        _l("Date the board approved the policy"),
        validators=[Optional()],
        render_kw={"type": "date"},
    )
    policy_document = FileField(
        _l("Policy document (PDF)"),
        description=_l("A PDF of at most 5 MB. Uploading a new file replaces the one on record."),
        render_kw={"accept": "application/pdf,.pdf"},
    )
    # The file a failed save kept (see policy_upload): a signed reference, and a way to drop it.
    pending_document = HiddenField()
    discard_pending_document = BooleanField(_l("Do not keep this file"))
    # 2. Training
    training = FieldList(FormField(TrainingRowForm), min_entries=0)
    # 3. Contracts
    contracts_total = count_field(_l("Supplier contracts in force at year end"))
    contracts_with_clause = count_field(_l("Of these, contracts that include the Code clause"))
    # 4. Travellers
    traveller_channels = MultiCheckboxField(
        _l("How do you inform travellers?"), choices=select_choices(TravellerChannel.choices())
    )
    travellers_text = text_area(_l("Details, and any other way you inform them"))
    # 5. Stakeholders
    stakeholder_organisations = text_area(_l("Organisations you worked with"))
    stakeholder_activities = text_area(_l("What you did together"))
    # 6. Suspected cases
    cases_reported = count_field(_l("Suspected cases reported to authorities or hotlines"))
    cases_text = text_area(_l("What happened and to whom you reported (no names of children)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each group's place in its row says which staff group it is.
        for row in self.training.entries:
            for staff_group, group in zip(STAFF_GROUPS, row.form.groups.entries, strict=False):
                group.form.staff_group = staff_group

    def not_applicable_fields(self, section: Section):
        """The section's "not applicable" box and its reason, or None for suspected cases."""
        if not section.may_be_not_applicable:
            return None
        name = not_applicable_field(section)
        return self[f"{section.value}_na"], self[name]


def report_form_class():
    """The report form: the questions, and "not applicable, because ..." per criterion 1-5."""

    class ReportForm(_ReportForm):
        pass

    for section in NOT_APPLICABLE_SECTIONS:
        setattr(
            ReportForm,
            f"{section.value}_na",
            BooleanField(_l("This criterion does not apply to our company")),
        )
        setattr(
            ReportForm,
            not_applicable_field(section),
            text_area(
                _l("Why it does not apply"),
                description=_l("For example: we have no supplier contracts."),
            ),
        )
    return ReportForm


ReportForm = report_form_class()


class SubmitReportForm(VersionedForm):
    """Submitting a report: the version the page showed, and nothing else."""


class StartReportForm(BaseForm):
    start_from = RadioField(
        _l("Start from"),
        choices=select_choices(
            [("blank", _l("An empty report")), ("last_year", _l("Last year's answers"))]
        ),
        default="blank",
        validators=[InputRequired()],
    )


class EvidenceForm(BaseForm):
    """One file backing the answers of one criterion."""

    section = SelectField(
        _l("Criterion"),
        validators=[InputRequired(message=_l("Choose a criterion."))],
        invalid_choice_message=_l("Choose a criterion from the list."),
    )
    file = FileField(
        _l("File (PDF, PNG or JPEG)"),
        description=_l("At most 5 MB: a document, a photo of a poster, a training certificate."),
        render_kw={"accept": "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"},
    )
    # The file a failed add kept (see pending_files): a signed reference, and a way to drop it.
    pending_file = HiddenField()
    discard_pending_file = BooleanField(_l("Do not keep this file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form: the headings are in the reader's language.
        self.section.choices = select_choices(
            [(s.value, s.heading) for s in NOT_APPLICABLE_SECTIONS], _l("Choose a criterion")
        )
