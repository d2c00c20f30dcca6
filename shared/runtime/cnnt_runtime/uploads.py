"""Bounds every uploaded file is held to before anything parses it: one module, so each upload
the console, the portal or the dossiers add applies the same rules.

- ``MaxBodySize``: an ASGI middleware that stops reading a request body past a byte limit
  (``BodyTooLarge`` raised from ``receive``), whatever ``Content-Length`` claims or omits.
- ``sniff``: what the first bytes say the file is (a name ending ``.xlsx`` proves nothing).
- ``check_archive``: a ZIP container (XLSX, DOCX, ODS …) judged from its central directory
  alone, before one byte is inflated: readable, few enough members, a bounded total
  uncompressed size and compression ratio — a zip bomb is refused in microseconds. The sizes
  it checks bound the inflating too: Python's ``zipfile`` never returns more than a member's
  declared size (a member that lies about it fails its CRC check).

Each refusal is an ``UploadRefused`` with a stable code and the numbers it is about, for the
caller to show in the person's language.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Literal

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Kind = Literal["zip", "pdf", "png", "jpeg", "webp", "text", "unknown"]


class UploadRefused(ValueError):
    """``file_unreadable``, ``file_not_spreadsheet``, ``file_too_large``,
    ``archive_too_large``, ``archive_ratio``, ``archive_members``, ``too_many_rows`` or
    ``too_many_cells``; ``limits`` holds the numbers the message may name."""

    def __init__(self, code: str, detail: str = "", **limits: int) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.limits = limits


class BodyTooLarge(Exception):
    """A request body past ``MaxBodySize``'s limit (raised while it is being read)."""


@dataclass(frozen=True)
class ArchiveLimits:
    """What a ZIP container may hold. The defaults fit a spreadsheet of a few thousand rows
    with room to spare (the console's template filled in with 5,000 rows is about 4 MB
    inflated, at a ratio near 8)."""

    max_members: int = 100
    max_uncompressed: int = 32 * 1024 * 1024
    max_ratio: int = 100
    # Members smaller than this are not judged by their ratio: a tiny XML of repeated
    # whitespace compresses a thousandfold and harms nobody.
    ratio_floor: int = 1024 * 1024
    required: tuple[str, ...] = field(default=())


XLSX_LIMITS = ArchiveLimits(required=("[Content_Types].xml", "xl/workbook.xml"))


def sniff(content: bytes) -> Kind:
    """The file's kind by its magic bytes; ``text`` when it decodes as UTF-8 with no NUL."""
    if content.startswith(b"PK\x03\x04") or content.startswith(b"PK\x05\x06"):
        return "zip"
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "webp"
    head = content[:65536]
    if b"\x00" in head:
        return "unknown"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the 64 KiB boundary
            return "unknown"
    return "text"


def check_archive(content: bytes, limits: ArchiveLimits = XLSX_LIMITS) -> None:
    """Refuse a ZIP container that is unreadable or over ``limits``, reading only its central
    directory (nothing is inflated)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UploadRefused("file_unreadable", f"{type(exc).__name__}: {exc}") from exc
    if len(members) > limits.max_members:
        raise UploadRefused("archive_members", str(len(members)), limit=limits.max_members)
    names = {m.filename for m in members}
    missing = [name for name in limits.required if name not in names]
    if missing:
        raise UploadRefused("file_not_spreadsheet", f"lacks {', '.join(missing)}")
    total = 0
    for member in members:
        total += member.file_size
        if total > limits.max_uncompressed:
            raise UploadRefused(
                "archive_too_large",
                f"over {limits.max_uncompressed} bytes inflated",
                limit_mb=limits.max_uncompressed // (1024 * 1024),
            )
        if member.file_size > limits.ratio_floor and (
            member.file_size > limits.max_ratio * max(member.compress_size, 1)
        ):
            raise UploadRefused(
                "archive_ratio",
                f"{member.filename}: {member.file_size} from {member.compress_size}",
                limit=limits.max_ratio,
            )


class MaxBodySize:
    """Refuse to read more than ``max_bytes`` of any request body: a ``Content-Length`` over
    it, or a body that grows past it while streamed, raises ``BodyTooLarge`` from ``receive``
    (for the app's form parsing to turn into its own page)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        too_long = declared is not None and declared.isdigit() and int(declared) > self.max_bytes
        seen = 0

        async def bounded() -> Message:
            nonlocal seen
            if too_long:
                raise BodyTooLarge(f"Content-Length {declared!r} over {self.max_bytes}")
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(f"body over {self.max_bytes} bytes")
            return message

        await self.app(scope, bounded, send)
