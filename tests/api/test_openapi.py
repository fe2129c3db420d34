"""The API does what its OpenAPI document says, for generated and hostile parameters alike.

schemathesis reads /api/v1/openapi.json from the app and calls every operation with values
made from the schemas (and, negatively, values outside them), checking each answer: no 500, a
status the document declares, a body that matches its schema, and a 4xx for what the document
does not allow.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.directory.test_signatories import members  # noqa: F401 (a fixture)


@pytest.fixture
def api_schema(app, members, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "100000 per minute")
    monkeypatch.setitem(app.config, "SUPPLIER_CHECK_RATE_LIMIT", "100000 per minute")
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", list(GenerationMode))
def test_the_api_matches_its_document(api_schema, mode):
    # One test per mode that walks every operation: schemathesis's pytest plugin cannot take
    # the app from a fixture under this pytest version.
    checked = []
    for operation in operations(api_schema):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def call(case):
            case.call_and_validate()

        try:
            call()
        except Unsatisfiable:
            # Negative mode on a parameter any string satisfies (a slug): nothing invalid to send.
            assert mode is GenerationMode.NEGATIVE, operation.label
            continue
        checked.append(operation.label)
    assert "GET /signatories" in checked
    if mode is GenerationMode.POSITIVE:
        assert {"GET /signatories/{slug}", "GET /countries"} <= set(checked)


def test_the_document_is_valid_openapi_and_lists_every_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": "https://tracker.test/api/v1"}]
    routes = {
        rule.rule.removeprefix("/api/v1").replace("<slug>", "{slug}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi_document"
    }
    assert routes == set(document["paths"])
