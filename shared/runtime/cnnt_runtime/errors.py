"""Errors with a stable code, the rule they enforce and the field they concern.

Raised by domain and service code; the HTTP layer maps them to a 4xx response whose body is
``{"error": {"code", "message", "field"}}``. Codes are part of the API: never rename one.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    status: ClassVar[int] = 422

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        # Figures a client acts on (e.g. how many entries are expected and held), beside the
        # three fields every error has.
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message, "field": self.field}
        if self.details is not None:
            body["details"] = self.details
        return body


class NotFound(DomainError):
    status: ClassVar[int] = 404


class Conflict(DomainError):
    status: ClassVar[int] = 409


class Forbidden(DomainError):
    status: ClassVar[int] = 403


class Unauthorized(DomainError):
    status: ClassVar[int] = 401


class Unavailable(DomainError):
    """Something the request needs is away (a signing token): retry later; nothing changed."""

    status: ClassVar[int] = 503
