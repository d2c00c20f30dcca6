"""Routes for score sheets (phiếu chấm điểm): submitting one or a worklist of them, their
history, a judge's worklist and the round's progress."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Response, status

from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.service import RuntimeDep, UowDep
from evaluation.domain.batch import MAX_REQUEST_ID
from evaluation.domain.progress import WorkStatus
from evaluation.entrypoints.batch_schemas import SheetBatchResult, SheetBatchSubmit
from evaluation.entrypoints.schemas import (
    EntryProgressPublic,
    EntryPublic,
    MemberProgressPublic,
    ProgressPublic,
    SheetHistory,
    SheetRevisionPublic,
    SheetSubmit,
    WorklistEntry,
)
from evaluation.service_layer import batch_scoring, commands, queries, scoring

router = APIRouter(prefix="/api/v1", tags=["score sheets"])

IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=200, description="Same key, same stored revision"),
]
BatchIdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=MAX_REQUEST_ID,
        description="Same key, same stored revisions: a retried request stores nothing twice",
    ),
]


def _command(body: SheetSubmit, request_id: str | None) -> commands.SubmitSheet:
    return commands.SubmitSheet(body.entry_id, body.scores.model_dump(), body.comment, request_id)


@router.post("/score-sheets", status_code=status.HTTP_201_CREATED)
async def submit_sheet(
    body: SheetSubmit,
    uow: UowDep,
    who: CurrentPrincipal,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> SheetRevisionPublic:
    command = _command(body, body.request_id or idempotency_key)
    revision, new = await scoring.submit_sheet(uow, who, command)
    if not new:
        response.status_code = status.HTTP_200_OK
    return SheetRevisionPublic.model_validate(revision)


@router.post("/score-sheets/batch")
async def submit_sheets(
    body: SheetBatchSubmit,
    runtime: RuntimeDep,
    who: CurrentPrincipal,
    idempotency_key: BatchIdempotencyKey = None,
) -> SheetBatchResult:
    """Many sheets in one request (a worklist): each accepted or refused on its own, with
    the codes of ``POST /score-sheets``; the accepted ones commit together."""
    request_id = body.request_id or idempotency_key
    sheets = [_command(s, s.request_id) for s in body.sheets]
    outcomes = await batch_scoring.submit_sheets(runtime.uow, who, sheets, request_id)
    return SheetBatchResult.of(outcomes)


@router.get("/rounds/{round_id}/entries/{entry_id}/sheets")
async def sheet_history(
    round_id: UUID, entry_id: UUID, uow: UowDep, who: CurrentPrincipal
) -> list[SheetHistory]:
    sheets = await queries.sheet_history(uow, who, round_id, entry_id)
    return [
        SheetHistory(
            sheet_id=revs[-1].sheet_id,
            member_id=revs[-1].member_id,
            latest=SheetRevisionPublic.model_validate(revs[-1]),
            revisions=[SheetRevisionPublic.model_validate(r) for r in revs],
        )
        for revs in sheets
    ]


@router.get("/worklist")
async def worklist(
    uow: UowDep, who: CurrentPrincipal, status: WorkStatus | None = None
) -> list[WorklistEntry]:
    """The judge's entries: to score first, then scored ones with their latest total."""
    return [
        WorklistEntry(
            **EntryPublic.model_validate(line.entry).model_dump(),
            status=line.status,
            flagged=line.flagged,
            sheet_id=line.sheet.id if line.sheet else None,
            revision=line.sheet.revision if line.sheet else None,
            total=line.sheet.total if line.sheet else None,
            submitted_at=line.sheet.submitted_at if line.sheet else None,
        )
        for line in await queries.worklist(uow, who, status)
    ]


@router.get("/rounds/{round_id}/progress")
async def jury_progress(round_id: UUID, uow: UowDep, who: CurrentPrincipal) -> ProgressPublic:
    found = await queries.jury_progress(uow, who, round_id)
    names = {e.id: e.product_name for e in found.entries}
    member_names = {m.id: m.name for m in found.members}
    return ProgressPublic(
        round_id=found.round.id,
        jury_size=len(found.members),
        spread_threshold=found.round.spread_threshold,
        open_flags=found.progress.open_flags,
        judging_closed=found.round.judging_closed_at is not None,
        registration_closed=found.held.registration_closed,
        entries_expected=found.held.expected,
        entries_held=found.held.held,
        entries_complete=found.held.complete,
        entries=[
            EntryProgressPublic(
                entry_id=e.entry_id,
                product_name=names[e.entry_id],
                eligible_members=e.eligible_members,
                sheets=e.sheets,
                complete=e.complete,
                spread=e.spread,
                flagged=e.flagged,
            )
            for e in found.progress.entries
        ],
        members=[
            MemberProgressPublic(
                member_id=m.member_id,
                name=member_names[m.member_id],
                assigned=m.assigned,
                scored=m.scored,
                remaining=m.remaining,
            )
            for m in found.progress.members
        ],
    )
