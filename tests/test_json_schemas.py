"""Models written as OpenAPI 3.0 schemas: nullable fields, nullable enums, references, titles."""

import enum

import pytest
from pydantic import ValidationError

from tracker.json_schemas import Schema, openapi_schema


class Colour(enum.StrEnum):
    RED = "red"
    BLUE = "blue"


class Inner(Schema):
    title: str  # a field named like a JSON Schema keyword


class Outer(Schema):
    note: str | None
    colour: Colour | None
    inner: Inner
    inners: list[Inner]


def test_or_null_is_written_as_nullable():
    schema = openapi_schema(Outer)
    assert schema["properties"]["note"] == {"type": "string", "nullable": True}
    assert "anyOf" not in str(schema)


def test_a_nullable_enum_lists_null_among_its_values():
    colour = openapi_schema(Outer)["properties"]["colour"]
    assert colour["enum"] == ["red", "blue", None]
    assert colour["nullable"] is True


def test_nested_models_are_written_in_place_or_referenced():
    in_place = openapi_schema(Outer)
    assert in_place["properties"]["inner"]["properties"] == {"title": {"type": "string"}}
    referenced = openapi_schema(Outer, {Inner: "Inner"})
    assert referenced["properties"]["inner"] == {"$ref": "#/components/schemas/Inner"}
    assert referenced["properties"]["inners"]["items"] == {"$ref": "#/components/schemas/Inner"}


def test_titles_are_dropped_but_a_field_named_title_is_kept():
    schema = openapi_schema(Inner)
    assert schema == {
        "type": "object",
        "additionalProperties": False,
        "properties": {"title": {"type": "string"}},
        "required": ["title"],
    }


def test_a_key_the_model_does_not_name_is_refused():
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Inner(title="x", colour="red")
