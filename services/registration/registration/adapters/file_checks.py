"""What an uploaded dossier file is, judged by its content, and the bytes that get stored.

The type comes from the first bytes (PDF, JPEG, PNG, WebP), never from the name or the declared
content type. A PDF must open in pypdf (the maintained pure-Python PDF parser) with its page
tree readable; it is stored as sent. An image is decoded by Pillow within a pixel budget (a
decompression bomb is refused before its pixels are allocated, and Pillow's own
``DecompressionBombError`` backs that up), turned upright, re-encoded without its metadata
(EXIF, GPS, XMP, comments) and given a thumbnail.

The upload arrives as a file spooled to disk by the multipart parser; everything here reads it
in chunks or lets the parser seek in it, and a re-encoded image goes to a spooled file of its
own, so a 10 MB upload is never held whole in memory twice. Decoding is CPU work: it runs in a
worker thread, at most ``DECODERS`` at once so twenty uploads do not decode twenty images at the
same time.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import warnings
from dataclasses import dataclass
from typing import IO, ClassVar

import anyio
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from cnnt_runtime import uploads
from cnnt_runtime.errors import DomainError
from registration.domain.dossier_parts import CONTENT_TYPES, IMAGES, FileKind

CHUNK = 1024 * 1024
THUMBNAIL = (320, 320)
SPOOL = 1024 * 1024
DECODERS = anyio.CapacityLimiter(2)


class FileTooLarge(DomainError):
    status: ClassVar[int] = 413


@dataclass
class CheckedFile:
    """A file that passed every check: its kind and the bytes to store (``body``, at 0)."""

    kind: FileKind
    body: IO[bytes]
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def thumbnail_sha256(self) -> str | None:
        return hashlib.sha256(self.thumbnail).hexdigest() if self.thumbnail else None


def sniff(head: bytes) -> FileKind | None:
    """The dossier kinds among what the shared upload rules' magic bytes say."""
    found = uploads.sniff(head)
    return FileKind(found) if found in {kind.value for kind in FileKind} else None


def size_of(source: IO[bytes]) -> int:
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    return size


def digest(source: IO[bytes]) -> str:
    source.seek(0)
    hasher = hashlib.sha256()
    while chunk := source.read(CHUNK):
        hasher.update(chunk)
    source.seek(0)
    return hasher.hexdigest()


def _check_pdf(source: IO[bytes]) -> None:
    try:
        reader = PdfReader(source, strict=False)
        if reader.is_encrypted:
            raise DomainError(
                "pdf_encrypted",
                "tệp PDF được đặt mật khẩu; hãy tải lên bản không mã hoá",
                field="file",
            )
        if len(reader.pages) == 0:
            raise DomainError("pdf_invalid", "tệp PDF không có trang nào", field="file")
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DomainError(
            "pdf_invalid",
            "tệp không phải là PDF hợp lệ (không đọc được cấu trúc PDF)",
            field="file",
        ) from exc
    finally:
        source.seek(0)


_SAVE: dict[FileKind, tuple[str, dict[str, object]]] = {
    FileKind.JPEG: ("JPEG", {"quality": 90, "optimize": True}),
    FileKind.PNG: ("PNG", {"optimize": True}),
    FileKind.WEBP: ("WEBP", {"quality": 90}),
}


def _bomb() -> DomainError:
    return DomainError(
        "image_too_many_pixels",
        "ảnh có số điểm ảnh vượt giới hạn (có thể là tệp nén gây tràn bộ nhớ)",
        field="file",
    )


def _reencode(
    source: IO[bytes], kind: FileKind, max_pixels: int
) -> tuple[IO[bytes], int, int, bytes]:
    """The image upright and without metadata, as the same format; and a JPEG thumbnail."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(source) as image:
                if image.format != _SAVE[kind][0]:
                    raise DomainError(
                        "image_invalid", "nội dung ảnh không khớp định dạng", field="file"
                    )
                width, height = image.size
                if width * height > max_pixels:
                    raise _bomb()
                image.load()
                upright = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _bomb() from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise DomainError(
                "image_invalid", "tệp ảnh bị hỏng hoặc không đọc được", field="file"
            ) from exc
    if kind is FileKind.JPEG and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    fmt, options = _SAVE[kind]
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 - handed to the caller
    # No exif=, no pnginfo=, no icc_profile passed on: the new file carries pixels only.
    upright.save(out, format=fmt, **options)
    out.seek(0)
    thumb = upright.copy()
    thumb.thumbnail(THUMBNAIL)
    if thumb.mode not in ("RGB", "L"):
        background = Image.new("RGB", thumb.size, (255, 255, 255))
        background.paste(thumb, mask=thumb.getchannel("A") if "A" in thumb.getbands() else None)
        thumb = background
    small = io.BytesIO()
    thumb.save(small, format="JPEG", quality=80)
    return out, upright.width, upright.height, small.getvalue()


def _inspect(source: IO[bytes], max_bytes: int, max_pixels: int) -> CheckedFile:
    size = size_of(source)
    if size == 0:
        raise DomainError("file_empty", "tệp tải lên rỗng (0 byte)", field="file")
    if size > max_bytes:
        raise FileTooLarge(
            "file_too_large",
            f"tệp vượt quá giới hạn {max_bytes // 1_000_000} MB cho mỗi tệp",
            field="file",
            details={"max_bytes": max_bytes, "size": size},
        )
    kind = sniff(source.read(16))
    source.seek(0)
    if kind is None:
        raise DomainError(
            "file_type_not_allowed",
            "chỉ nhận tệp PDF, JPEG, PNG hoặc WebP (xét theo nội dung tệp, không theo tên)",
            field="file",
        )
    if kind is FileKind.PDF:
        _check_pdf(source)
        return CheckedFile(kind, source, size, digest(source))
    assert kind in IMAGES
    body, width, height, thumbnail = _reencode(source, kind, max_pixels)
    return CheckedFile(kind, body, size_of(body), digest(body), width, height, thumbnail)


async def inspect(source: IO[bytes], *, max_bytes: int, max_pixels: int) -> CheckedFile:
    """Check an uploaded file (raises a DomainError naming the rule) in a worker thread."""
    async with DECODERS:
        return await anyio.to_thread.run_sync(_inspect, source, max_bytes, max_pixels)
