"""One error shape for every response that is not 2xx: ``{"error": {"code", "message", "field"}}``.

FastAPI's own ``{"detail": ...}`` (404, 405, malformed JSON) and Starlette's plain-text
``Internal Server Error`` never reach a client. A database that is away (restarting, refusing
connections, out of connection slots) or a pool with no free connection within its timeout is
the client's cue to retry: 503 with ``Retry-After``, and the request changed nothing (its unit of
work did not commit). A value PostgreSQL refuses as data (a number out of range, a NUL byte that
slipped past the schemas) is the client's mistake: 422.
"""

from __future__ import annotations

from typing import Any

import structlog
from aiormq.exceptions import AMQPError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from cnnt_contracts.identifiers import RULES as _OWN_RULES
from cnnt_runtime.errors import DomainError

log = structlog.get_logger("cnnt.http")

RETRY_AFTER_SECONDS = 2
# SQLSTATE classes meaning "the database cannot serve you now": 08 connection exception,
# 53 insufficient resources (too many connections), 57P admin shutdown / cannot connect now.
_UNAVAILABLE = ("08", "53", "57P")
_BAD_DATA = "22"  # data exception: out of range, invalid byte sequence (NUL), bad format

_STATUS_CODES = {
    400: ("bad_request", "Yêu cầu không hợp lệ"),
    401: ("unauthorized", "Cần đăng nhập"),
    403: ("forbidden", "Không có quyền thực hiện thao tác này"),
    404: ("not_found", "Không tìm thấy địa chỉ này"),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ tại địa chỉ này"),
    406: ("not_acceptable", "Không có định dạng phù hợp"),
    413: ("body_too_large", "Nội dung gửi lên quá lớn"),
    415: ("unsupported_media_type", "Định dạng nội dung không được hỗ trợ"),
    500: ("internal_error", "Lỗi hệ thống; vui lòng thử lại sau"),
    503: ("service_unavailable", "Hệ thống tạm thời không phục vụ được; vui lòng thử lại sau"),
}


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


def error_response(
    status: int, code: str, message: str, field: str | None = None, **headers: str
) -> JSONResponse:
    return JSONResponse(error_body(code, message, field), status_code=status, headers=headers)


def unavailable(code: str = "service_unavailable") -> JSONResponse:
    """503 with ``Retry-After``: retry the same request (same Idempotency-Key / request_id)."""
    return error_response(
        503, code, _STATUS_CODES[503][1], None, **{"Retry-After": str(RETRY_AFTER_SECONDS)}
    )


# What a validation failure's rule says, in Vietnamese, per pydantic error type; ``{…}`` are
# the error's context (its bound). A type not listed says "not valid". A custom type raised by
# our own validators (``cnnt_contracts.identifiers``: tax code, phone, e-mail) carries its
# Vietnamese rule already and keeps it.
_RULES: dict[str, str] = {
    "missing": "Trường này là bắt buộc",
    "string_too_short": "Cần ít nhất {min_length} ký tự",
    "string_too_long": "Tối đa {max_length} ký tự",
    "string_pattern_mismatch": "Giá trị không đúng định dạng",
    "string_type": "Cần một chuỗi ký tự",
    "enum": "Chọn một trong các giá trị: {expected}",
    "literal_error": "Chọn một trong các giá trị: {expected}",
    "int_parsing": "Nhập một số nguyên",
    "int_type": "Nhập một số nguyên",
    "int_from_float": "Nhập một số nguyên",
    "float_parsing": "Nhập một số",
    "float_type": "Nhập một số",
    "decimal_parsing": "Nhập một số",
    "decimal_type": "Nhập một số",
    "decimal_max_digits": "Tối đa {max_digits} chữ số",
    "decimal_max_places": "Tối đa {decimal_places} chữ số thập phân",
    "finite_number": "Nhập một số hữu hạn",
    "greater_than": "Giá trị phải lớn hơn {gt}",
    "greater_than_equal": "Giá trị phải từ {ge} trở lên",
    "less_than": "Giá trị phải nhỏ hơn {lt}",
    "less_than_equal": "Giá trị tối đa là {le}",
    "multiple_of": "Giá trị phải là bội số của {multiple_of}",
    "bool_parsing": "Chọn có hoặc không",
    "bool_type": "Chọn có hoặc không",
    "date_parsing": "Nhập ngày theo dạng yyyy-mm-dd",
    "date_from_datetime_parsing": "Nhập ngày theo dạng yyyy-mm-dd",
    "date_from_datetime_inexact": "Nhập một ngày, không kèm giờ",
    "date_type": "Nhập một ngày",
    "datetime_parsing": "Nhập thời điểm theo ISO 8601 (yyyy-mm-ddThh:mm:ss+07:00)",
    "datetime_from_date_parsing": "Nhập thời điểm theo ISO 8601 (yyyy-mm-ddThh:mm:ss+07:00)",
    "datetime_type": "Nhập một thời điểm",
    "timezone_aware": "Thời điểm cần có múi giờ",
    "uuid_parsing": "Cần một mã định danh (UUID)",
    "uuid_type": "Cần một mã định danh (UUID)",
    "too_short": "Cần ít nhất {min_length} mục",
    "too_long": "Tối đa {max_length} mục",
    "list_type": "Cần một danh sách",
    "dict_type": "Cần một đối tượng",
    "model_type": "Cần một đối tượng",
    "model_attributes_type": "Cần một đối tượng",
    "extra_forbidden": "Trường này không được chấp nhận",
    "value_error": "Giá trị không hợp lệ",
    "assertion_error": "Giá trị không hợp lệ",
    "url_parsing": "Cần một địa chỉ URL",
    "json_invalid": "Nội dung không phải JSON hợp lệ",
}


def rule_of(kind: str, ctx: dict[str, Any], given: str) -> str:
    """The Vietnamese rule a value broke (``kind`` is pydantic's error type)."""
    template = _RULES.get(kind)
    if template is None:
        # Our own validators' errors are Vietnamese already; pydantic's others are not.
        return given if kind in _OWN_RULES else "Giá trị không hợp lệ"
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template.split(":")[0]


def _field(loc: tuple[object, ...]) -> str:
    # ("body", "facility", "name") -> "facility.name"; the location kind is not part of it.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts)


def _sqlstate(exc: DBAPIError) -> str:
    return str(getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None) or "")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_: Request, exc: DomainError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        if exc.status == 503:
            headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        return JSONResponse({"error": exc.as_dict()}, status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "code": f"invalid_{e['type']}".replace(".", "_"),
                "field": _field(tuple(e["loc"])),
                "message": rule_of(e["type"], e.get("ctx") or {}, e["msg"]),
            }
            for e in exc.errors()
        ]
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            return error_response(400, "malformed_json", "Nội dung không phải JSON hợp lệ")
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

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        code, message = _STATUS_CODES.get(exc.status_code, ("http_error", str(exc.detail)))
        return error_response(exc.status_code, code, message, None, **(exc.headers or {}))

    @app.exception_handler(PoolTimeout)
    async def pool_exhausted(_: Request, exc: PoolTimeout) -> JSONResponse:
        log.warning("db_pool_exhausted", error=str(exc))
        return unavailable("database_busy")

    @app.exception_handler(OSError)
    async def database_unreachable(_: Request, exc: OSError) -> JSONResponse:
        # asyncpg raises the socket's own error (connection refused, reset) while connecting;
        # aiormq's connection errors (a replay's broker connection) are OSErrors too.
        what = "broker" if isinstance(exc, AMQPError) else "database"
        log.warning(f"{what}_unreachable", error=str(exc))
        return unavailable(f"{what}_unavailable")

    @app.exception_handler(DBAPIError)
    async def database_error(_: Request, exc: DBAPIError) -> JSONResponse:
        state = _sqlstate(exc)
        if exc.connection_invalidated or state.startswith(_UNAVAILABLE):
            log.warning("db_unavailable", sqlstate=state, error=str(exc.orig))
            return unavailable("database_unavailable")
        if state.startswith(_BAD_DATA):
            log.info("db_refused_value", sqlstate=state, error=str(exc.orig))
            return error_response(422, "invalid_value", "Giá trị không hợp lệ hoặc vượt giới hạn")
        log.error("db_error", sqlstate=state, exc_info=exc)
        return error_response(500, *_STATUS_CODES[500])

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        # Starlette's ServerErrorMiddleware sends this and re-raises, so the server still logs
        # the traceback; the client sees the one error shape, never plain text.
        log.error("unhandled_error", error_type=type(exc).__name__, error=str(exc))
        return error_response(500, *_STATUS_CODES[500])
