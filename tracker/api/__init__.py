"""The open-data API (/api/v1/...): JSON in and out, described by an OpenAPI 3 document."""
