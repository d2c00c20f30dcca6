"""Errors with a stable code, the rule they enforce and the field they concern.

Raised by domain and service code; the HTTP layer maps them to a 4xx response whose body is
``{"error": {"code", "message", "field"}}``. Codes are part of the API: never rename one.
"""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    status: ClassVar[int] = 422

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}


class NotFound(DomainError):
    status: ClassVar[int] = 404


class Conflict(DomainError):
    status: ClassVar[int] = 409


class Forbidden(DomainError):
    status: ClassVar[int] = 403


class Unauthorized(DomainError):
    status: ClassVar[int] = 401
