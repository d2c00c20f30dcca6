"""An entry's dossier: its parts with their files, uploads checked before anything is stored,
reading under the read policy, and the orphan cleaner.

A file is stored in three steps, each safe to stop after:
1. its blob is claimed in ``file_blobs`` (inserted, or its ``last_used_at`` renewed) and committed;
2. its bytes are written to the store unless the blob is already stored (dedupe), then marked
   stored;
3. the dossier's row is locked, the part's limits re-checked, the file row added and committed.
A crash between the steps leaves at most an unreferenced blob, which the cleaner removes once it
is older than the grace period; the cleaner locks a blob's row while it removes its bytes, and a
claim waits for that lock, so a blob being claimed is never removed under an upload.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import IO, Any, Literal
from uuid import UUID

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from cnnt_contracts import (
    DossierAccepted,
    DossierAcceptedData,
    DossierReceived,
    DossierReceivedData,
    DossierReturned,
    DossierReturnedData,
    SampleRecorded,
    SampleRecordedData,
)
from cnnt_runtime.auth import Principal, Role
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import NotFound
from registration.adapters.blobs import BlobStore
from registration.adapters.file_checks import CheckedFile, FileTooLarge, inspect
from registration.adapters.tables import (
    DossierFileRow,
    DossierRow,
    DossierStepRow,
    EntryRow,
    FacilityRow,
    FileBlobRow,
    JurySeatRow,
    ProductRow,
    RoundRow,
)
from registration.domain.dossier_parts import (
    DossierStatus,
    PartState,
    check_complete,
    check_deadline,
    check_file_name,
    check_kind,
    check_may_receive,
    check_open_for_files,
    check_received,
    check_return_reasons,
    check_room,
    check_sample_movement,
    completeness,
    missing_parts,
    part_of,
    parts_for,
)
from registration.service_layer.access import (
    may_work_desk,
    require_desk,
    require_desk_reader,
    require_dossier_reader,
    require_file_keeper,
    require_province,
)
from registration.settings import FileSettings


@dataclass(frozen=True)
class EntryContext:
    entry: EntryRow
    round: RoundRow
    facility: FacilityRow
    dossier: DossierRow | None


async def context(uow: UnitOfWork, entry_id: UUID) -> EntryContext:
    entry = await uow.row(EntryRow, entry_id, what="entry", field="entry_id")
    round_row = await uow.row(RoundRow, entry.round_id, what="round", field="entry_id")
    facility = await uow.row(FacilityRow, entry.facility_id, what="facility", field="entry_id")
    dossier = await uow.session.get(DossierRow, entry_id)
    return EntryContext(entry, round_row, facility, dossier)


async def files_of(uow: UnitOfWork, entry_ids: list[UUID]) -> dict[UUID, list[DossierFileRow]]:
    result = await uow.session.execute(
        select(DossierFileRow)
        .where(col(DossierFileRow.entry_id).in_(entry_ids))
        .order_by(col(DossierFileRow.uploaded_at), col(DossierFileRow.id))
    )
    held: dict[UUID, list[DossierFileRow]] = {}
    for row in result.scalars():
        held.setdefault(row.entry_id, []).append(row)
    return held


def states_of(
    round_row: RoundRow, files: list[DossierFileRow], settings: FileSettings
) -> tuple[PartState, ...]:
    counts: dict[str, int] = {}
    for f in files:
        counts[f.part] = counts.get(f.part, 0) + 1
    return completeness(round_row.level, counts, max_photos=settings.dossier_max_photos)


def describe(
    ctx: EntryContext,
    files: list[DossierFileRow],
    steps: list[DossierStepRow],
    settings: FileSettings,
) -> dict[str, Any]:
    """The dossier as the API answers it: parts with their files and limits, the desk's state."""
    states = states_of(ctx.round, files, settings)
    dossier = ctx.dossier or DossierRow(entry_id=ctx.entry.id)
    return {
        "entry_id": ctx.entry.id,
        "round_id": ctx.round.id,
        "level": ctx.round.level,
        "status": dossier.status,
        "complete": not missing_parts(states),
        "missing": missing_parts(states),
        "total_bytes": sum(f.size for f in files),
        "max_bytes": settings.dossier_max_bytes,
        "max_file_bytes": settings.dossier_max_file_bytes,
        "parts": [
            {
                **part_limits(s.spec),
                "complete": s.complete,
                "files": [file_public(f) for f in files if f.part == s.spec.code],
            }
            for s in states
        ],
        "received_on": dossier.received_on,
        "received_by": dossier.received_by,
        "sample_received_on": dossier.sample_received_on,
        "sample_received_by": dossier.sample_received_by,
        "sample_returned_on": dossier.sample_returned_on,
        "sample_returned_by": dossier.sample_returned_by,
        "return_reasons": dossier.return_reasons,
        "return_deadline": dossier.return_deadline,
        "returned_by": dossier.returned_by,
        "accepted_by": dossier.accepted_by,
        "accepted_at": dossier.accepted_at,
        "steps": [
            {"step": s.step, "actor": s.actor, "at": s.at, "details": s.details} for s in steps
        ],
    }


def part_limits(spec: Any) -> dict[str, Any]:
    return {
        "code": spec.code,
        "title": spec.title,
        "required": spec.required,
        "kinds": sorted(spec.kinds),
        "min_files": spec.min_files,
        "max_files": spec.max_files,
        "hint": spec.hint,
    }


def file_public(row: DossierFileRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "part": row.part,
        "file_name": row.file_name,
        "kind": row.kind,
        "content_type": row.content_type,
        "size": row.size,
        "width": row.width,
        "height": row.height,
        "has_thumbnail": row.thumbnail_sha256 is not None,
        "uploaded_by": row.uploaded_by,
        "uploaded_at": row.uploaded_at,
    }


def parts_table(settings: FileSettings) -> dict[str, Any]:
    """Every level's parts and the limits, for showing before an upload."""
    from cnnt_contracts.vocabulary import Level

    return {
        "max_file_bytes": settings.dossier_max_file_bytes,
        "max_bytes": settings.dossier_max_bytes,
        "max_image_pixels": settings.dossier_max_image_pixels,
        "levels": {
            level.value: [
                part_limits(p) for p in parts_for(level, max_photos=settings.dossier_max_photos)
            ]
            for level in Level
        },
    }


async def sits_on_jury(uow: UnitOfWork, who: Principal, round_id: UUID) -> bool:
    """Whether a judge's token holds a seat on the round's jury: scoped to the seat's member id
    (the console's seat token) or to the person's account (registration knows both from
    evaluation's JuryMemberAppointed)."""
    if who.role is not Role.JUDGE:
        return False
    try:
        member: UUID | None = UUID(who.scope)
    except ValueError:
        member = None
    seat = or_(col(JurySeatRow.account_id) == who.scope)
    if member is not None:
        seat = or_(seat, col(JurySeatRow.member_id) == member)
    found = await uow.session.scalar(
        select(col(JurySeatRow.member_id)).where(col(JurySeatRow.round_id) == round_id, seat)
    )
    return found is not None


async def read_dossier(
    uow: UnitOfWork, who: Principal, entry_id: UUID, settings: FileSettings
) -> dict[str, Any]:
    ctx = await context(uow, entry_id)
    jury = await sits_on_jury(uow, who, ctx.round.id)
    require_dossier_reader(who, ctx.facility.province_code, ctx.round.scope_code, sits_on_jury=jury)
    files = (await files_of(uow, [entry_id])).get(entry_id, [])
    steps = (
        await uow.session.execute(
            select(DossierStepRow)
            .where(col(DossierStepRow.entry_id) == entry_id)
            .order_by(col(DossierStepRow.id))
        )
    ).scalars()
    return describe(ctx, files, list(steps), settings)


async def _claim_blob(
    uow: UnitOfWork, store: BlobStore, sha256: str, size: int, content_type: str
) -> bool:
    """Step 1: the blob's row exists and is fresh; whether this store holds its bytes already."""
    now = datetime.now(UTC)
    stored_in = await uow.session.scalar(
        insert(FileBlobRow)
        .values(sha256=sha256, size=size, content_type=content_type, stored_in="", last_used_at=now)
        .on_conflict_do_update(index_elements=["sha256"], set_={"last_used_at": now})
        .returning(col(FileBlobRow.stored_in))
    )
    await uow.commit()
    return stored_in == store.name


async def _store_blob(
    uow: UnitOfWork, store: BlobStore, sha256: str, body: IO[bytes], size: int, ctype: str
) -> None:
    if await _claim_blob(uow, store, sha256, size, ctype):
        return  # the same content is stored already: nothing is written twice
    await store.write(sha256, body, size, ctype)
    await uow.session.execute(
        update(FileBlobRow).where(col(FileBlobRow.sha256) == sha256).values(stored_in=store.name)
    )
    await uow.commit()


async def _lock_dossier(uow: UnitOfWork, entry_id: UUID) -> DossierRow:
    await uow.session.execute(
        insert(DossierRow).values(entry_id=entry_id, return_reasons={}).on_conflict_do_nothing()
    )
    row = await uow.session.get(DossierRow, entry_id, with_for_update=True, populate_existing=True)
    assert row is not None
    return row


async def upload_file(
    uow: UnitOfWork,
    store: BlobStore,
    who: Principal,
    entry_id: UUID,
    part_code: str,
    file_name: str,
    source: IO[bytes],
    settings: FileSettings,
) -> DossierFileRow:
    name = check_file_name(file_name)
    ctx = await context(uow, entry_id)
    require_province(who, ctx.facility.province_code, field="entry_id")
    if ctx.dossier is not None:
        check_open_for_files(ctx.dossier.status)
    part = part_of(ctx.round.level, part_code, max_photos=settings.dossier_max_photos)
    files = (await files_of(uow, [entry_id])).get(entry_id, [])
    check_room(part, sum(1 for f in files if f.part == part.code))
    checked = await inspect(
        source,
        max_bytes=settings.dossier_max_file_bytes,
        max_pixels=settings.dossier_max_image_pixels,
    )
    check_kind(part, checked.kind)
    _check_dossier_size(files, checked, settings)
    await uow.session.rollback()  # end the reads' transaction before the blob's own commits
    await _store_blob(uow, store, checked.sha256, checked.body, checked.size, checked.content_type)
    if checked.thumbnail is not None:
        thumb_sha = checked.thumbnail_sha256
        assert thumb_sha is not None
        await _store_blob(
            uow,
            store,
            thumb_sha,
            io.BytesIO(checked.thumbnail),
            len(checked.thumbnail),
            "image/jpeg",
        )
    dossier = await _lock_dossier(uow, entry_id)  # one upload at a time re-checks the limits
    check_open_for_files(DossierStatus(dossier.status))
    files = (await files_of(uow, [entry_id])).get(entry_id, [])
    check_room(part, sum(1 for f in files if f.part == part.code))
    _check_dossier_size(files, checked, settings)
    now = datetime.now(UTC)
    row = DossierFileRow(
        entry_id=entry_id,
        part=part.code,
        file_name=name,
        kind=checked.kind,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        thumbnail_sha256=checked.thumbnail_sha256,
        width=checked.width,
        height=checked.height,
        uploaded_by=who.subject,
        uploaded_at=now,
    )
    uow.session.add(row)
    dossier.updated_at = now
    uow.session.add(
        DossierStepRow(
            entry_id=entry_id,
            step="file_added",
            actor=who.subject,
            at=now,
            details={"part": part.code, "file_id": str(row.id), "file_name": name},
        )
    )
    await uow.commit()
    return row


def _check_dossier_size(
    files: list[DossierFileRow], checked: CheckedFile, settings: FileSettings
) -> None:
    total = sum(f.size for f in files) + checked.size
    if total > settings.dossier_max_bytes:
        raise FileTooLarge(
            "dossier_too_large",
            f"tổng dung lượng hồ sơ vượt quá giới hạn {settings.dossier_max_bytes // 1_000_000} MB",
            field="file",
            details={"max_bytes": settings.dossier_max_bytes, "total": total},
        )


async def delete_file(uow: UnitOfWork, who: Principal, entry_id: UUID, file_id: UUID) -> None:
    """The file leaves the dossier; its blob stays until the cleaner finds it unreferenced
    (another file may hold the same content)."""
    ctx = await context(uow, entry_id)
    require_province(who, ctx.facility.province_code, field="entry_id")
    row = await uow.session.get(DossierFileRow, file_id)
    if row is None or row.entry_id != entry_id:
        raise NotFound("file_not_found", f"hồ sơ không có tệp {file_id}", field="file_id")
    dossier = await _lock_dossier(uow, entry_id)
    check_open_for_files(DossierStatus(dossier.status))
    await uow.session.delete(row)
    uow.session.add(
        DossierStepRow(
            entry_id=entry_id,
            step="file_removed",
            actor=who.subject,
            at=datetime.now(UTC),
            details={"part": row.part, "file_id": str(file_id), "file_name": row.file_name},
        )
    )
    await uow.commit()


@dataclass(frozen=True)
class Readable:
    sha256: str
    file_name: str
    content_type: str
    size: int


async def readable_file(
    uow: UnitOfWork, who: Principal, file_id: UUID, *, thumbnail: bool = False
) -> Readable:
    """A file (or its thumbnail) the principal may read under the read policy."""
    row = await uow.session.get(DossierFileRow, file_id)
    if row is None:
        raise NotFound("file_not_found", f"không có tệp {file_id}", field="file_id")
    ctx = await context(uow, row.entry_id)
    jury = await sits_on_jury(uow, who, ctx.round.id)
    require_dossier_reader(who, ctx.facility.province_code, ctx.round.scope_code, sits_on_jury=jury)
    if thumbnail:
        if row.thumbnail_sha256 is None:
            raise NotFound("thumbnail_not_found", "tệp này không có ảnh thu nhỏ", field="file_id")
        blob = await uow.session.get(FileBlobRow, row.thumbnail_sha256)
        size = blob.size if blob else 0
        return Readable(row.thumbnail_sha256, f"thumb-{row.file_name}.jpg", "image/jpeg", size)
    return Readable(row.sha256, row.file_name, row.content_type, row.size)


async def clean_orphans(uow: UnitOfWork, who: Principal, store: BlobStore, grace: timedelta) -> int:
    """Remove the blobs no file references and no upload claimed within ``grace``."""
    require_file_keeper(who)
    cutoff = datetime.now(UTC) - grace
    referenced = exists().where(
        or_(
            col(DossierFileRow.sha256) == FileBlobRow.sha256,
            col(DossierFileRow.thumbnail_sha256) == FileBlobRow.sha256,
        )
    )
    removed = 0
    while True:
        row = await uow.session.scalar(
            select(FileBlobRow)
            .where(and_(col(FileBlobRow.last_used_at) < cutoff, ~referenced))
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if row is None:
            await uow.commit()
            return removed
        await store.remove(row.sha256)
        await uow.session.delete(row)
        await uow.commit()
        removed += 1


def _step(uow: UnitOfWork, entry_id: UUID, step: str, who: Principal, **details: Any) -> datetime:
    now = datetime.now(UTC)
    uow.session.add(
        DossierStepRow(
            entry_id=entry_id,
            step=step,
            actor=who.subject,
            at=now,
            details={k: str(v) if isinstance(v, date) else v for k, v in details.items()},
        )
    )
    return now


async def _desk(uow: UnitOfWork, who: Principal, entry_id: UUID) -> tuple[EntryContext, DossierRow]:
    ctx = await context(uow, entry_id)
    require_desk(who, ctx.facility.province_code)
    return ctx, await _lock_dossier(uow, entry_id)


async def receive(
    uow: UnitOfWork, who: Principal, entry_id: UUID, received_on: date, receiver: str
) -> DossierRow:
    """The desk takes the dossier in (again, after a supplement)."""
    ctx, dossier = await _desk(uow, who, entry_id)
    check_may_receive(DossierStatus(dossier.status))
    receiver = receiver.strip() or who.subject
    dossier.status = DossierStatus.RECEIVED
    dossier.received_on = received_on
    dossier.received_by = receiver
    now = _step(uow, entry_id, "received", who, received_on=received_on, receiver=receiver)
    dossier.updated_at = now
    uow.emit(
        DossierReceived.new(
            DossierReceivedData(
                entry_id=entry_id,
                round_id=ctx.round.id,
                received_on=received_on,
                received_by=receiver,
                recorded_at=now,
            )
        )
    )
    await uow.commit()
    return dossier


async def record_sample(
    uow: UnitOfWork,
    who: Principal,
    entry_id: UUID,
    movement: Literal["received", "returned"],
    on: date,
) -> DossierRow:
    """The physical sample arrives at the desk, or is handed back to the facility."""
    ctx, dossier = await _desk(uow, who, entry_id)
    check_sample_movement(movement, received=dossier.sample_received_on is not None)
    if movement == "received":
        dossier.sample_received_on, dossier.sample_received_by = on, who.subject
    else:
        dossier.sample_returned_on, dossier.sample_returned_by = on, who.subject
    now = _step(uow, entry_id, f"sample_{movement}", who, on=on)
    dossier.updated_at = now
    uow.emit(
        SampleRecorded.new(
            SampleRecordedData(
                entry_id=entry_id,
                round_id=ctx.round.id,
                movement=movement,
                on=on,
                by=who.subject,
                recorded_at=now,
            )
        )
    )
    await uow.commit()
    return dossier


async def return_for_supplement(
    uow: UnitOfWork,
    who: Principal,
    entry_id: UUID,
    reasons: dict[str, str],
    deadline: date,
    today: date,
    settings: FileSettings,
) -> DossierRow:
    """Bổ sung hồ sơ: back to the facility with what each part lacks, due by ``deadline``."""
    ctx, dossier = await _desk(uow, who, entry_id)
    check_received(DossierStatus(dossier.status), "trả lại để bổ sung")
    cleaned = check_return_reasons(ctx.round.level, reasons, max_photos=settings.dossier_max_photos)
    check_deadline(deadline, today)
    dossier.status = DossierStatus.RETURNED
    dossier.return_reasons = cleaned
    dossier.return_deadline = deadline
    dossier.returned_by = who.subject
    now = _step(uow, entry_id, "returned", who, reasons=cleaned, deadline=deadline)
    dossier.updated_at = now
    uow.emit(
        DossierReturned.new(
            DossierReturnedData(
                entry_id=entry_id,
                round_id=ctx.round.id,
                reasons=cleaned,
                deadline=deadline,
                returned_by=who.subject,
                returned_at=now,
            )
        )
    )
    await uow.commit()
    return dossier


async def accept(
    uow: UnitOfWork, who: Principal, entry_id: UUID, settings: FileSettings
) -> DossierRow:
    """The dossier is complete: accepted, and its files closed."""
    ctx, dossier = await _desk(uow, who, entry_id)
    check_received(DossierStatus(dossier.status), "chấp nhận")
    files = (await files_of(uow, [entry_id])).get(entry_id, [])
    check_complete(states_of(ctx.round, files, settings))
    now = _step(uow, entry_id, "accepted", who)
    dossier.status = DossierStatus.ACCEPTED
    dossier.accepted_by = who.subject
    dossier.accepted_at = now
    dossier.updated_at = now
    uow.emit(
        DossierAccepted.new(
            DossierAcceptedData(
                entry_id=entry_id, round_id=ctx.round.id, accepted_by=who.subject, accepted_at=now
            )
        )
    )
    await uow.commit()
    return dossier


async def round_desk(
    uow: UnitOfWork, who: Principal, round_id: UUID, settings: FileSettings
) -> dict[str, Any]:
    """A round's dossiers with their completeness, for the desk (its province's entries)."""
    require_desk_reader(who)
    round_row = await uow.row(RoundRow, round_id, what="round", field="round_id")
    result = await uow.session.execute(
        select(EntryRow, FacilityRow, ProductRow, DossierRow)
        .join(FacilityRow, col(FacilityRow.id) == EntryRow.facility_id)
        .join(ProductRow, col(ProductRow.id) == EntryRow.product_id)
        .outerjoin(DossierRow, col(DossierRow.entry_id) == EntryRow.id)
        .where(col(EntryRow.round_id) == round_id, col(EntryRow.withdrawn_at).is_(None))
        .order_by(col(EntryRow.sequence))
    )
    found = [r for r in result.all() if may_work_desk(who, r[1].province_code)]
    files = await files_of(uow, [r[0].id for r in found])
    rows = []
    for entry, facility, product, dossier in found:
        states = states_of(round_row, files.get(entry.id, []), settings)
        rows.append(
            {
                "entry_id": entry.id,
                "product_name": product.name,
                "facility_name": facility.name,
                "province_code": facility.province_code,
                "status": (dossier.status if dossier else DossierStatus.OPEN),
                "files": len(files.get(entry.id, [])),
                "complete": not missing_parts(states),
                "missing": missing_parts(states),
                "received_on": dossier.received_on if dossier else None,
                "sample_received_on": dossier.sample_received_on if dossier else None,
                "return_deadline": dossier.return_deadline if dossier else None,
            }
        )
    return {"round_id": round_row.id, "level": round_row.level, "entries": rows}
