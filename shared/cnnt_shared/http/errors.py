"""One error shape for every 4xx: ``{"error": {"code", "message", "field"}}``."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from cnnt_shared.errors import DomainError


def _field(loc: tuple[object, ...]) -> str:
    # ("body", "facility", "name") -> "facility.name"; the location kind is not part of it.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_: Request, exc: DomainError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse({"error": exc.as_dict()}, status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "code": f"invalid_{e['type']}".replace(".", "_"),
                "field": _field(tuple(e["loc"])),
                "message": e["msg"],
            }
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"code": "invalid_request", "field": None}
        body = {
            "error": {
                "code": "validation_failed",
                "message": "; ".join(f"{e['field']}: {e['message']}" for e in errors),
                "field": first["field"],
                "details": errors,
            }
        }
        return JSONResponse(body, status_code=422)
