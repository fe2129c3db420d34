"""Domain errors raised by services, and copying them onto forms."""

from flask import flash
from flask_wtf import FlaskForm


class DomainError(Exception):
    """A rule a service refused to break, as (field, message) pairs; field None means the form."""

    def __init__(self, *errors: tuple[str | None, str]):
        super().__init__("; ".join(message for _, message in errors))
        self.errors = errors

    @classmethod
    def on(cls, field: str | None, message: str) -> "DomainError":
        return cls((field, message))


def populate_errors(form: FlaskForm, error: DomainError) -> None:
    """Show each message next to its field, or as a flash message when no field fits."""
    for field_name, message in error.errors:
        field = find_field(form, field_name) if field_name else None
        if field is None:
            flash(message, "error")
        else:
            field.errors = [*field.errors, message]
    _gather_row_errors(form)


def _gather_row_errors(form) -> None:
    """A list of rows keeps the errors its rows had when validated: add those put on a row's
    field since, so the page's summary lists them too (rows of rows included)."""
    for field in form:
        if field.type != "FieldList":
            continue
        for entry in field.entries:
            if hasattr(entry, "form"):
                _gather_row_errors(entry.form)
        own = [error for error in field.errors if isinstance(error, str)]
        field.errors = own + [entry.errors for entry in field.entries if entry.errors]


def find_field(form: FlaskForm, name: str):
    """The field called `name`, also inside a list of rows ("training-2-trained"), or None."""
    field = getattr(form, name, None)
    if field is not None or "-" not in name:
        return field
    list_name, index, sub_name = (name.split("-", 2) + ["", ""])[:3]
    rows = getattr(form, list_name, None)
    if rows is None or not index.isdigit() or int(index) >= len(getattr(rows, "entries", [])):
        return None
    # Rows may hold rows of their own ("training-2-groups-0-current").
    return find_field(rows.entries[int(index)].form, sub_name)
