"""Evaluation's HTTP API: thin routes that parse, call one handler and shape the answer."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Response, status

from cnnt_shared.auth import CurrentPrincipal
from cnnt_shared.service import RuntimeDep, UowDep
from evaluation.domain.batch import MAX_REQUEST_ID
from evaluation.domain.progress import WorkStatus
from evaluation.entrypoints import http_memberships
from evaluation.entrypoints.batch_schemas import SheetBatchResult, SheetBatchSubmit
from evaluation.entrypoints.schemas import (
    CloseJudging,
    ConflictCreate,
    ConflictPublic,
    EntryPublic,
    JudgingPublic,
    JudgingSettings,
    JuryCreate,
    JuryPublic,
    MemberCreate,
    MemberPublic,
    ProgressPublic,
    RecusalCreate,
    RecusalPublic,
    SheetHistory,
    SheetRevisionPublic,
    SheetSubmit,
    WorklistEntry,
)
from evaluation.service_layer import batch_scoring, judging, jury, progress, scoring

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


def build_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1")
    router.include_router(http_memberships.router)

    @router.get("/rounds/{round_id}/entries", tags=["entries"])
    async def list_entries(
        round_id: UUID, runtime: RuntimeDep, who: CurrentPrincipal
    ) -> list[EntryPublic]:
        """The round's standing entries: for the ministry, the organising province's officers
        and the round's own jury members (docs/read-policy.md)."""
        async with runtime.uow() as uow:
            rows = await progress.round_entries(uow, who, round_id)
        return [EntryPublic.model_validate(r) for r in rows]

    @router.post("/rounds/{round_id}/jury", status_code=status.HTTP_201_CREATED, tags=["jury"])
    async def form_jury(
        round_id: UUID, body: JuryCreate, uow: UowDep, who: CurrentPrincipal
    ) -> JuryPublic:
        members = await jury.form_jury(uow, who, round_id, body)
        return JuryPublic(
            round_id=round_id, members=[MemberPublic.model_validate(m) for m in members]
        )

    @router.get("/rounds/{round_id}/jury", tags=["jury"])
    async def get_jury(round_id: UUID, uow: UowDep, who: CurrentPrincipal) -> JuryPublic:
        members, conflicts, recusals = await jury.jury_view(uow, who, round_id)
        return JuryPublic(
            round_id=round_id,
            members=[MemberPublic.model_validate(m) for m in members],
            conflicts=[ConflictPublic.model_validate(c) for c in conflicts],
            recusals=[RecusalPublic.model_validate(r) for r in recusals],
        )

    @router.post(
        "/rounds/{round_id}/jury/members", status_code=status.HTTP_201_CREATED, tags=["jury"]
    )
    async def add_member(
        round_id: UUID, body: MemberCreate, uow: UowDep, who: CurrentPrincipal
    ) -> MemberPublic:
        return MemberPublic.model_validate(await jury.add_member(uow, who, round_id, body))

    @router.post("/conflicts", status_code=status.HTTP_201_CREATED, tags=["jury"])
    async def declare_conflict(
        body: ConflictCreate, uow: UowDep, who: CurrentPrincipal
    ) -> ConflictPublic:
        return ConflictPublic.model_validate(await jury.declare_conflict(uow, who, body))

    @router.post("/recusals", status_code=status.HTTP_201_CREATED, tags=["jury"])
    async def recuse(body: RecusalCreate, uow: UowDep, who: CurrentPrincipal) -> RecusalPublic:
        return RecusalPublic.model_validate(await jury.recuse(uow, who, body))

    @router.post("/score-sheets", status_code=status.HTTP_201_CREATED, tags=["score sheets"])
    async def submit_sheet(
        body: SheetSubmit,
        uow: UowDep,
        who: CurrentPrincipal,
        response: Response,
        idempotency_key: IdempotencyKey = None,
    ) -> SheetRevisionPublic:
        request_id = body.request_id or idempotency_key
        revision, new = await scoring.submit_sheet(uow, who, body, request_id)
        if not new:
            response.status_code = status.HTTP_200_OK
        return SheetRevisionPublic.model_validate(revision)

    @router.post("/score-sheets/batch", tags=["score sheets"])
    async def submit_sheets(
        body: SheetBatchSubmit,
        runtime: RuntimeDep,
        who: CurrentPrincipal,
        idempotency_key: BatchIdempotencyKey = None,
    ) -> SheetBatchResult:
        """Many sheets in one request (a worklist): each accepted or refused on its own, with
        the codes of ``POST /score-sheets``; the accepted ones commit together."""
        request_id = body.request_id or idempotency_key
        outcomes = await batch_scoring.submit_sheets(runtime.uow, who, body.sheets, request_id)
        return SheetBatchResult.of(outcomes)

    @router.get("/rounds/{round_id}/entries/{entry_id}/sheets", tags=["score sheets"])
    async def sheet_history(
        round_id: UUID, entry_id: UUID, uow: UowDep, who: CurrentPrincipal
    ) -> list[SheetHistory]:
        sheets = await progress.sheet_history(uow, who, round_id, entry_id)
        return [
            SheetHistory(
                sheet_id=revs[-1].sheet_id,
                member_id=revs[-1].member_id,
                latest=SheetRevisionPublic.model_validate(revs[-1]),
                revisions=[SheetRevisionPublic.model_validate(r) for r in revs],
            )
            for revs in sheets
        ]

    @router.get("/worklist", tags=["score sheets"])
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
            for line in await progress.worklist(uow, who, status)
        ]

    @router.get("/rounds/{round_id}/progress", tags=["score sheets"])
    async def jury_progress(round_id: UUID, uow: UowDep, who: CurrentPrincipal) -> ProgressPublic:
        return await progress.jury_progress(uow, who, round_id)

    @router.put("/rounds/{round_id}/judging-settings", tags=["judging"])
    async def configure(
        round_id: UUID, body: JudgingSettings, uow: UowDep, who: CurrentPrincipal
    ) -> JudgingPublic:
        return JudgingPublic.model_validate(await judging.configure(uow, who, round_id, body))

    @router.post("/rounds/{round_id}/close-judging", tags=["judging"])
    async def close_judging(
        round_id: UUID, body: CloseJudging, uow: UowDep, who: CurrentPrincipal
    ) -> JudgingPublic:
        return JudgingPublic.model_validate(await judging.close_judging(uow, who, round_id, body))

    return router
