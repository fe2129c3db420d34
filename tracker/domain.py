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


def find_field(form: FlaskForm, name: str):
    """The field called `name`, also inside a list of rows ("training-2-trained"), or None."""
    field = getattr(form, name, None)
    if field is not None or "-" not in name:
        return field
    list_name, index, sub_name = (name.split("-", 2) + ["", ""])[:3]
    rows = getattr(form, list_name, None)
    if rows is None or not index.isdigit() or int(index) >= len(getattr(rows, "entries", [])):
        return None
    return getattr(rows.entries[int(index)].form, sub_name, None)
