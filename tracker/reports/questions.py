"""The annual report's questions as its form asks them, section by section, for reading ahead.

Everything is read from `ReportForm` itself (labels, hints, choices, the training rows'
counts), so the list cannot drift from the form: a new field shows up here, and a field no
section claims fails loudly (see `section_of`).
"""

from dataclasses import dataclass

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields import FileField

from tracker.numbers import LocaleFloatField, LocaleIntegerField
from tracker.reports.content import FIELDS
from tracker.reports.forms import STAFF_GROUPS, ReportForm
from tracker.reports.models import Section
from tracker.reports.training import StaffGroup

# The form's answers `content.FIELDS` names differently: the document is kept by its file's
# name, the training as rows. Every other question's section is the one FIELDS gives it.
SECTIONS = {field.name: field.section for field in FIELDS} | {
    "policy_document": Section.POLICY,
    "training": Section.TRAINING,
}
# How each kind of field is answered, most specific class first (an integer field is a float
# field, a text area a string field).
KINDS = (
    (BooleanField, "tick"),
    (RadioField, "one"),
    (SelectMultipleField, "any"),
    (DateField, "date"),
    (LocaleIntegerField, "whole_number"),
    (LocaleFloatField, "number"),
    (FileField, "file"),
    (StringField, "text"),
)


@dataclass(frozen=True)
class Question:
    label: str
    hint: str | None
    kind: str  # see KINDS; "rows" for the training rows
    choices: tuple[str, ...] = ()
    # The training rows: `parts` asked per country or property and staff group (`groups`),
    # then `row_parts` once per country or property.
    parts: tuple["Question", ...] = ()
    groups: tuple[StaffGroup, ...] = ()
    row_parts: tuple["Question", ...] = ()


@dataclass(frozen=True)
class SectionQuestions:
    section: Section
    questions: tuple[Question, ...]


def report_questions() -> list[SectionQuestions]:
    """Every section of the report with its questions in the form's order, the "does not
    apply" box and its reason first, as the form shows them. Needs a request context."""
    form = ReportForm(formdata=None, meta={"csrf": False})
    by_section = {section: list(form.not_applicable_fields(section) or ()) for section in Section}
    claimed = {field.name for fields in by_section.values() for field in fields}
    for field in form:
        if is_asked(field) and field.name not in claimed:
            by_section[section_of(field.name)].append(field)
    return [
        SectionQuestions(section, tuple(question_of(field) for field in fields))
        for section, fields in by_section.items()
    ]


# The box that drops a file kept from a failed save (see pending_files) answers no question.
KEPT_FILE_CHOICES = {"discard_pending_document"}


def is_asked(field) -> bool:
    """A question the member answers, not the form's bookkeeping (version, row ids, CSRF, the
    kept file)."""
    return not isinstance(field, HiddenField) and field.name not in KEPT_FILE_CHOICES


def section_of(name: str) -> Section:
    """:raises KeyError: for a form field no section claims (add it to `SECTIONS`)."""
    return SECTIONS[name]


def question_of(field) -> Question:
    if isinstance(field, FieldList):
        return training_question(field)
    return Question(
        label=str(field.label.text),
        hint=str(field.description) if field.description else None,
        kind=kind_of(field),
        choices=tuple(str(choice.label.text) for choice in field) if has_choices(field) else (),
    )


def kind_of(field) -> str:
    """:raises LookupError: for a kind of field the page does not know how to describe."""
    for field_class, kind in KINDS:
        if isinstance(field, field_class):
            return kind
    raise LookupError(f"no kind for {type(field).__name__}")


def has_choices(field) -> bool:
    return isinstance(field, RadioField | SelectMultipleField)


def training_question(rows: FieldList) -> Question:
    """The training rows: the counts asked for each staff group, then what is asked per row."""
    row = rows.append_entry().form  # a row of this throwaway form, never saved
    group = row.groups.entries[0].form
    per_row = [field for field in row if is_asked(field) and not isinstance(field, FieldList)]
    return Question(
        label=str(Section.TRAINING.label),
        hint=None,
        kind="rows",
        parts=tuple(question_of(field) for field in group if is_asked(field)),
        groups=STAFF_GROUPS,
        row_parts=tuple(question_of(field) for field in per_row),
    )
