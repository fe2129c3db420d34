"""The base of the API's pydantic models, and their JSON Schemas as OpenAPI 3.0 writes them.

One model per shape: the code builds each JSON body from it and /api/v1/openapi.json describes
the body from the same model, so the two cannot drift apart.
"""

from pydantic import BaseModel, ConfigDict

NULL = {"type": "null"}


class Schema(BaseModel):
    """A JSON object with exactly these fields: a key the model does not name is an error."""

    model_config = ConfigDict(extra="forbid")


def openapi_schema(model: type[BaseModel], refs: dict[type[BaseModel], str] | None = None) -> dict:
    """The model's schema for an OpenAPI 3.0 document: nested models written out in place but
    those in `refs` (a reference to that component), `nullable` for pydantic's "or null", and
    no titles (pydantic's, made from the class names, are not the document's)."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})
    components = {item.__name__: name for item, name in (refs or {}).items()}
    return _converted(schema, definitions, components)


def _converted(node, definitions: dict, components: dict[str, str]):
    if isinstance(node, list):
        return [_converted(item, definitions, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in components:
            return {"$ref": f"#/components/schemas/{components[name]}"}
        node = definitions[name] | {key: value for key, value in node.items() if key != "$ref"}
    converted = {
        key: _properties(value, definitions, components)
        if key == "properties"  # its keys are field names ("title" among them), not keywords
        else _converted(value, definitions, components)
        for key, value in node.items()
        if key != "title"
    }
    return _nullable(converted)


def _properties(properties: dict, definitions: dict, components: dict[str, str]) -> dict:
    return {name: _converted(item, definitions, components) for name, item in properties.items()}


def _nullable(schema: dict) -> dict:
    """JSON Schema's `anyOf: [X, {"type": "null"}]` as OpenAPI 3.0 says it: X, nullable (and
    an enum lists null among its values, as OpenAPI 3.0.3 asks of a nullable enum)."""
    choices = schema.get("anyOf", [])
    if len(choices) != 2 or NULL not in choices:
        return schema
    [kept] = [choice for choice in choices if choice != NULL]
    if "enum" in kept:
        kept = kept | {"enum": [*kept["enum"], None]}
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return kept | {"nullable": True} | rest
