"""Routes for entries' dossiers (hồ sơ): parts and limits, uploads, reading files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile, status
from fastapi.responses import RedirectResponse, StreamingResponse
from pydantic import BaseModel, Field

from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.errors import Conflict
from cnnt_runtime.service import ClockDep, RuntimeDep, UowDep
from registration.adapters.blobs import BlobStore, build_store, disposition
from registration.service_layer import dossiers
from registration.settings import FileSettings, get_file_settings

router = APIRouter(prefix="/api/v1", tags=["dossiers"])


async def _file_settings() -> FileSettings:
    return get_file_settings()


FileSettingsDep = Annotated[FileSettings, Depends(_file_settings)]


async def _store(request: Request, runtime: RuntimeDep, settings: FileSettingsDep) -> BlobStore:
    """One store per process and backend, made on first use (with the runtime's database
    sessions for the PostgreSQL adapter)."""
    stores: dict[str, BlobStore] = getattr(request.app.state, "blob_stores", {})
    request.app.state.blob_stores = stores
    key = f"{settings.files_backend}:{settings.s3_endpoint}:{settings.s3_bucket}"
    if key not in stores:
        stores[key] = build_store(settings, runtime.sessions)
    return stores[key]


StoreDep = Annotated[BlobStore, Depends(_store)]


@router.get("/dossier-parts")
async def dossier_parts(settings: FileSettingsDep, who: CurrentPrincipal) -> dict[str, Any]:
    """Each level's dossier parts (required or optional, file kinds, how many files) and the
    size limits, shown before an upload."""
    return dossiers.parts_table(settings)


@router.get("/entries/{entry_id}/dossier")
async def get_dossier(
    entry_id: UUID, uow: UowDep, who: CurrentPrincipal, settings: FileSettingsDep
) -> dict[str, Any]:
    """The entry's dossier: its parts with their files, what is missing, the desk's steps.
    An entry with nothing uploaded yet has an empty, open dossier."""
    return await dossiers.read_dossier(uow, who, entry_id, settings)


@router.post(
    "/entries/{entry_id}/dossier/files",
    status_code=status.HTTP_201_CREATED,
    responses={
        413: {"description": "Over the per-file or per-dossier size limit"},
        422: {"description": "Not a PDF, JPEG, PNG or WebP by content, or a damaged file"},
    },
)
async def upload_file(
    entry_id: UUID,
    part: Annotated[str, Form(max_length=40, description="The part's code")],
    file: Annotated[UploadFile, File(description="PDF, JPEG, PNG or WebP")],
    uow: UowDep,
    who: CurrentPrincipal,
    store: StoreDep,
    settings: FileSettingsDep,
) -> dict[str, Any]:
    """Add a file to a part. The type is judged by content; images are re-encoded without
    their metadata (EXIF, GPS) and get a thumbnail; a refused file leaves nothing stored."""
    row = await dossiers.upload_file(
        uow, store, who, entry_id, part, file.filename or "", file.file, settings
    )
    return dossiers.file_public(row)


@router.delete("/entries/{entry_id}/dossier/files/{file_id}", status_code=204)
async def delete_file(entry_id: UUID, file_id: UUID, uow: UowDep, who: CurrentPrincipal) -> None:
    await dossiers.delete_file(uow, who, entry_id, file_id)


async def _stream(store: BlobStore, sha256: str) -> AsyncIterator[bytes]:
    async for chunk in store.read(sha256):
        yield chunk


def _file_response(store: BlobStore, found: dossiers.Readable, *, inline: bool) -> Response:
    return StreamingResponse(
        _stream(store, found.sha256),
        media_type=found.content_type,
        headers={
            "Content-Disposition": disposition(found.file_name, inline=inline),
            "Content-Length": str(found.size),
            "X-Content-Type-Options": "nosniff",
            # A PDF opened inline runs no script and reaches nothing (it is data, not a page).
            "Content-Security-Policy": "sandbox; default-src 'none'",
            "Cache-Control": "private, max-age=300",
        },
    )


@router.get("/dossier-files/{file_id}/content")
async def file_content(
    file_id: UUID,
    uow: UowDep,
    who: CurrentPrincipal,
    store: StoreDep,
    download: bool = False,
) -> Response:
    """The file itself, streamed (inline unless ``download``), to those the read policy
    admits (docs/read-policy.md)."""
    found = await dossiers.readable_file(uow, who, file_id)
    await uow.session.close()
    return _file_response(store, found, inline=not download)


@router.get("/dossier-files/{file_id}/thumbnail")
async def file_thumbnail(
    file_id: UUID, uow: UowDep, who: CurrentPrincipal, store: StoreDep
) -> Response:
    found = await dossiers.readable_file(uow, who, file_id, thumbnail=True)
    await uow.session.close()
    return _file_response(store, found, inline=True)


@router.get("/dossier-files/{file_id}/link")
async def file_link(
    file_id: UUID, uow: UowDep, who: CurrentPrincipal, store: StoreDep, redirect: bool = False
) -> Any:
    """A presigned URL of the object store (S3 backend), valid for ``CNNT_S3_PRESIGN_SECONDS``;
    409 ``presign_unsupported`` with the PostgreSQL backend, whose files are streamed."""
    found = await dossiers.readable_file(uow, who, file_id)
    url = await store.presigned_url(
        found.sha256, file_name=found.file_name, content_type=found.content_type, inline=True
    )
    if url is None:
        raise Conflict(
            "presign_unsupported",
            "kho tệp PostgreSQL không cấp liên kết ký sẵn; hãy tải qua /content",
            field="file_id",
        )
    if redirect:
        return RedirectResponse(url, status_code=307)
    return {"url": url}


@router.post("/dossier-files/orphans/clean")
async def clean_orphans(
    uow: UowDep, who: CurrentPrincipal, store: StoreDep, settings: FileSettingsDep
) -> dict[str, int]:
    """Operators: remove stored blobs no file references, older than the grace period."""
    grace = timedelta(minutes=settings.files_orphan_grace_minutes)
    return {"removed": await dossiers.clean_orphans(uow, who, store, grace)}


class ReceiveBody(BaseModel):
    received_on: date | None = Field(
        default=None, description="The day it was received (default: today in Vietnam)"
    )
    receiver: str = Field(default="", max_length=200, description="Who received it")


class SampleBody(BaseModel):
    movement: Literal["received", "returned"]
    on: date | None = Field(default=None, description="Default: today in Vietnam")


class ReturnBody(BaseModel):
    reasons: dict[str, Annotated[str, Field(max_length=1000)]] = Field(
        description="Per part code, what the facility must supplement"
    )
    deadline: date


@router.get("/rounds/{round_id}/dossiers")
async def round_dossiers(
    round_id: UUID, uow: UowDep, who: CurrentPrincipal, settings: FileSettingsDep
) -> dict[str, Any]:
    """The receiving desk: the round's standing entries of the provinces the reader covers,
    each with its dossier's status and completeness."""
    return await dossiers.round_desk(uow, who, round_id, settings)


@router.post("/entries/{entry_id}/dossier/receive")
async def receive_dossier(
    entry_id: UUID,
    body: ReceiveBody,
    uow: UowDep,
    who: CurrentPrincipal,
    clock: ClockDep,
    settings: FileSettingsDep,
) -> dict[str, Any]:
    """Record the dossier as received (date and receiver); announces DossierReceived."""
    await dossiers.receive(uow, who, entry_id, body.received_on or clock.today(), body.receiver)
    return await dossiers.read_dossier(uow, who, entry_id, settings)


@router.post("/entries/{entry_id}/dossier/sample")
async def record_sample(
    entry_id: UUID,
    body: SampleBody,
    uow: UowDep,
    who: CurrentPrincipal,
    clock: ClockDep,
    settings: FileSettingsDep,
) -> dict[str, Any]:
    """The physical sample's receipt or return; announces SampleRecorded."""
    await dossiers.record_sample(uow, who, entry_id, body.movement, body.on or clock.today())
    return await dossiers.read_dossier(uow, who, entry_id, settings)


@router.post("/entries/{entry_id}/dossier/return")
async def return_dossier(
    entry_id: UUID,
    body: ReturnBody,
    uow: UowDep,
    who: CurrentPrincipal,
    clock: ClockDep,
    settings: FileSettingsDep,
) -> dict[str, Any]:
    """Return for supplement (bổ sung hồ sơ) with a reason per part and a deadline; announces
    DossierReturned. The facility's files can be changed again until the next receipt."""
    await dossiers.return_for_supplement(
        uow, who, entry_id, body.reasons, body.deadline, clock.today(), settings
    )
    return await dossiers.read_dossier(uow, who, entry_id, settings)


@router.post("/entries/{entry_id}/dossier/accept")
async def accept_dossier(
    entry_id: UUID, uow: UowDep, who: CurrentPrincipal, settings: FileSettingsDep
) -> dict[str, Any]:
    """Accept a received, complete dossier; announces DossierAccepted. Its files are closed."""
    await dossiers.accept(uow, who, entry_id, settings)
    return await dossiers.read_dossier(uow, who, entry_id, settings)
