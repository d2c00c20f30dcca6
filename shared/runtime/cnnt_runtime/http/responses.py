"""The error responses every route may give, declared once for the OpenAPI document.

Clients (and the fuzz run in the tests) can rely on the document: every status a route can
answer is listed with the one error shape.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code", examples=["validation_failed"])
    message: str = Field(description="What went wrong, in Vietnamese")
    field: str | None = Field(default=None, description="The field concerned, if one is")


class ErrorBody(BaseModel):
    error: ErrorDetail


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("Malformed request (e.g. a body that is not JSON)"),
    401: _error("Missing, invalid or expired bearer token"),
    403: _error("The token's role or scope does not allow this"),
    404: _error("No such resource"),
    409: _error("Conflicts with the current state (e.g. judging already closed)"),
    413: _error("Body over the size limit (JSON 1 MiB, uploads 10 MiB by default)"),
    422: _error("Invalid input; nothing was stored"),
    503: {
        **_error(
            "Database unavailable or busy: retry after Retry-After seconds with the same "
            "Idempotency-Key / request_id"
        ),
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    },
}
