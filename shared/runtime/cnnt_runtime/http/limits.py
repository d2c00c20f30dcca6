"""Request bodies are bounded: JSON ``CNNT_MAX_JSON_BYTES`` (1 MiB), multipart uploads (a
dossier list) ``CNNT_MAX_UPLOAD_BYTES`` (10 MiB). Larger bodies get 413 in the error shape and
are not read further, so a 10 MB field never reaches a parser, a row or the service's memory.

A declared ``Content-Length`` over the limit is refused before anything is read; a body sent
without one (chunked) is counted as it arrives and refused once it passes the limit.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cnnt_runtime.http.errors import error_response


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, json_bytes: int, upload_bytes: int) -> None:
        self.app = app
        self.json_bytes = json_bytes
        self.upload_bytes = upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        multipart = headers.get(b"content-type", b"").startswith(b"multipart/")
        limit = self.upload_bytes if multipart else self.json_bytes
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            response = error_response(413, "body_too_large", _message(limit))
            await response(scope, receive, send)
            return
        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Raised inside the route's body parsing: FastAPI re-raises HTTPExceptions
                    # as they are, and the error handlers give them the one shape.
                    raise HTTPException(413, _message(limit))
            return message

        await self.app(scope, bounded_receive, send)


def _message(limit: int) -> str:
    return f"Nội dung gửi lên vượt quá giới hạn {limit // 1024:,} KiB".replace(",", ".")
