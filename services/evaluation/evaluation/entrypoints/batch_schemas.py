"""HTTP schemas of the batch score submission (a judge's worklist in one request)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from evaluation.domain.batch import MAX_REQUEST_ID, MAX_SHEETS_PER_REQUEST
from evaluation.entrypoints.schemas import SheetRevisionPublic, SheetSubmit
from evaluation.service_layer.batch_scoring import SheetOutcome


class SheetBatchSubmit(BaseModel):
    sheets: list[SheetSubmit] = Field(
        min_length=1,
        description=f"At most {MAX_SHEETS_PER_REQUEST} sheets, one per entry",
    )
    request_id: str | None = Field(
        default=None,
        max_length=MAX_REQUEST_ID,
        description=(
            "Client request id (the Idempotency-Key header does the same): a retry of the "
            "request stores nothing twice. A sheet's own request_id takes precedence for it."
        ),
    )


class SheetResult(BaseModel):
    """One sheet's answer, at its position in the request."""

    index: int
    entry_id: UUID
    status: Literal["accepted", "refused"]
    replayed: bool = Field(
        default=False, description="Stored by an earlier try of the same request; nothing new"
    )
    code: str | None = Field(default=None, description="As the single-sheet endpoint's error")
    message: str | None = None
    field: str | None = None
    revision: SheetRevisionPublic | None = None

    @classmethod
    def of(cls, outcome: SheetOutcome) -> SheetResult:
        if outcome.error is not None:
            error = outcome.error
            return cls(
                index=outcome.index,
                entry_id=outcome.entry_id,
                status="refused",
                code=error.code,
                message=error.message,
                field=error.field,
            )
        return cls(
            index=outcome.index,
            entry_id=outcome.entry_id,
            status="accepted",
            replayed=outcome.replayed,
            revision=SheetRevisionPublic.model_validate(outcome.revision),
        )


class SheetBatchResult(BaseModel):
    accepted: int
    refused: int
    results: list[SheetResult]

    @classmethod
    def of(cls, outcomes: list[SheetOutcome]) -> SheetBatchResult:
        results = [SheetResult.of(o) for o in outcomes]
        accepted = sum(r.status == "accepted" for r in results)
        return cls(accepted=accepted, refused=len(results) - accepted, results=results)
