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
        field = getattr(form, field_name, None) if field_name else None
        if field is None:
            flash(message, "error")
        else:
            field.errors = [*field.errors, message]
