"""The API's query parameters, described from the form fields that validate them."""

from wtforms import Field, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange

from tracker.directory.search.filters import DirectoryFilterForm

# What each filter does, for the document's readers; the rules come from the fields.
DESCRIPTIONS = {
    "q": "Words in the name (any case, any accents)",
    "country": "Members with an operation in this country (ISO 3166-1 alpha-2)",
    "type": "Type of business",
    "standing": "Public standing",
    "sort": "Order",
    "per_page": "Members per page",
    "page": "Page number",
}


def filter_parameters(form: DirectoryFilterForm) -> list[dict]:
    """One query parameter per field of the (bound) form, with the values it accepts."""
    return [
        {
            "name": field.name,
            "in": "query",
            "required": False,
            "schema": field_schema(field),
            "description": DESCRIPTIONS[field.name],
        }
        for field in form
    ]


def field_schema(field: Field) -> dict:
    if isinstance(field, SelectField):
        return _choices_schema([str(choice.value) for choice in field.choices if choice.value])
    if isinstance(field, IntegerField):
        return {"type": "integer", **_bounds(field, NumberRange, "minimum", "maximum")}
    if isinstance(field, StringField):
        # minLength 1: the API refuses an empty parameter (leave it out to not filter).
        return {
            "type": "string",
            "minLength": 1,
            **_bounds(field, Length, "minLength", "maxLength"),
        }
    raise TypeError(f"No schema for {type(field).__name__} {field.name}")


def _choices_schema(values: list[str]) -> dict:
    """A select's values; all digits (the page sizes) are numbers to a program."""
    if all(value.isdigit() for value in values):
        return {"type": "integer", "enum": [int(value) for value in values]}
    return {"type": "string", "enum": values}


def _bounds(field: Field, kind: type, low: str, high: str) -> dict:
    """The limits of the field's `kind` validator (NumberRange, Length), under these names."""
    bounds = {}
    for validator in field.validators:
        if isinstance(validator, kind):
            bounds |= {low: validator.min, high: validator.max}
    return {name: value for name, value in bounds.items() if value not in (None, -1)}
