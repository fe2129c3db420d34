"""API errors are JSON with a message (and per-field messages for bad input), never HTML."""

from flask import Response, jsonify


def api_error(status: int, message: str, fields: dict[str, list[str]] | None = None) -> Response:
    """`{"error": {"status": 400, "message": "...", "fields": {"country": ["..."]}}}`."""
    body = {"status": status, "message": str(message)}
    if fields:
        body["fields"] = {name: [str(text) for text in texts] for name, texts in fields.items()}
    response = jsonify(error=body)
    response.status_code = status
    return response
