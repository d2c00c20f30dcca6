"""Routes for decisions (quyết định): confirming a round's results, correcting them, revoking a
certificate, and a round's decisions."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response, status

from certification.domain.decisions import Signature
from certification.entrypoints.schemas import (
    CorrectionCreate,
    DecisionCreate,
    DecisionIssued,
    DecisionPublic,
    RevocationCreate,
)
from certification.service_layer import (
    commands,
    corrections,
    decisions,
    documents,
    queries,
    revocations,
)
from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.service import RuntimeDep, UowDep

router = APIRouter(prefix="/api/v1", tags=["decisions"])


@router.get("/rounds/{round_id}/decisions")
async def list_decisions(
    round_id: UUID, runtime: RuntimeDep, who: CurrentPrincipal
) -> list[DecisionPublic]:
    async with runtime.uow() as uow:
        rows = await queries.decisions_of(uow, who, round_id)
    return [DecisionPublic.model_validate(d) for d in rows]


@router.post("/rounds/{round_id}/decision", status_code=201)
async def confirm(
    round_id: UUID, body: DecisionCreate, uow: UowDep, who: CurrentPrincipal
) -> DecisionIssued:
    """Confirm the results (Quyết định công nhận): recognitions and certificates."""
    exclusions = {x.entry_id: x.reason for x in body.exclusions}
    signature = Signature(body.issuer, body.place, body.signatory_title, body.signatory_name)
    command = commands.Decide(body.number, body.decided_on, exclusions, signature)
    decision, numbers = await decisions.confirm_results(uow, who, round_id, command)
    return DecisionIssued(
        **DecisionPublic.model_validate(decision).model_dump(), certificates=numbers
    )


@router.post("/rounds/{round_id}/corrections", status_code=201)
async def correct(
    round_id: UUID, body: CorrectionCreate, uow: UowDep, who: CurrentPrincipal
) -> DecisionIssued:
    """Recognise entries the confirmed results left out, by a new recorded decision."""
    command = commands.Correct(body.number, body.decided_on, body.reason, body.recognise)
    decision, numbers = await corrections.correct_results(uow, who, round_id, command)
    issued = DecisionPublic.model_validate(decision).model_dump()
    return DecisionIssued(**issued, certificates=numbers)


@router.post("/certificates/{number}/revocation", status_code=status.HTTP_201_CREATED)
async def revoke(
    number: str, body: RevocationCreate, uow: UowDep, runtime: RuntimeDep, who: CurrentPrincipal
) -> DecisionPublic:
    """Revoke a certificate by a new recorded decision (Quyết định thu hồi); the certificate's
    new edition, stamped and signed, is issued with it."""
    command = commands.Revoke(body.number, body.decided_on, body.reason)
    return DecisionPublic.model_validate(
        await revocations.revoke_certificate(uow, runtime.settings, who, number, command)
    )


@router.get("/decisions/{decision_id}/pdf")
async def decision_pdf(decision_id: UUID, runtime: RuntimeDep, who: CurrentPrincipal) -> Response:
    """The decision (quyết định) as a PDF signed by the issuing authority (PAdES), with the
    certificates it issues or revokes."""
    async with runtime.uow() as uow:
        document = await documents.decision_pdf(uow, runtime.settings, who, decision_id)
    headers = {
        "Content-Disposition": f'inline; filename="quyet-dinh-{decision_id}.pdf"',
        "CNNT-Document-SHA256": document.sha256,
    }
    return Response(document.content, media_type="application/pdf", headers=headers)
