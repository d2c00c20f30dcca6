"""Certification's HTTP API: thin routes that authorise, call one handler and return."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from certification.domain.decisions import Signature
from certification.entrypoints.certificate_routes import certificate_list
from certification.entrypoints.schemas import (
    CorrectionCreate,
    DecisionCreate,
    DecisionIssued,
    DecisionPublic,
    ResultLine,
    ResultsPreview,
    RevocationCreate,
    TallyPublic,
    tally_public,
)
from certification.entrypoints.verification import verification_public
from certification.service_layer import (
    certificates,
    corrections,
    decisions,
    results,
    revocations,
)
from cnnt_shared import labels
from cnnt_shared.auth import CurrentPrincipal
from cnnt_shared.http.exports import Column, ExportFormat, table_response
from cnnt_shared.service import RuntimeDep, UowDep

RESULT_COLUMNS = [
    Column("rank", "Xếp hạng (rank)"),
    Column("product_name", "Sản phẩm (product)"),
    Column("facility_name", "Cơ sở (facility)"),
    Column("province_code", "Tỉnh (province)"),
    Column("group", "Nhóm (group)", labels.PRODUCT_GROUPS),
    Column("judges", "Số thành viên chấm (judges)"),
    Column("mean", "Điểm bình quân (mean)"),
    Column("market", "Thị trường (market)"),
    Column("technical", "Kinh tế - kỹ thuật (technical)"),
    Column("culture", "Văn hóa (culture)"),
    Column("other", "Khác (other)"),
    Column("outcome", "Kết quả (outcome)", labels.OUTCOMES),
    Column("reason", "Lý do (reason)", labels.REASONS),
    Column("note", "Ghi chú (note)"),
    Column("certificate_number", "Số giấy chứng nhận (certificate)"),
    Column("entry_id", "Mã hồ sơ (entry id)"),
]


def build_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1")

    @router.get("/rounds/{round_id}/preview", tags=["results"])
    async def preview(round_id: UUID, runtime: RuntimeDep, who: CurrentPrincipal) -> ResultsPreview:
        """The round's results as the decision would confirm them (or as it confirmed them)."""
        async with runtime.uow() as uow:
            found = await results.round_results(uow, who, round_id)
        r = found.round
        return ResultsPreview(
            round_id=r.id,
            level=r.level,
            scope_code=r.scope_code,
            year=r.year,
            name=r.name,
            jury_size=found.rules.jury_size,
            members_needed=found.rules.members_needed,
            settings=found.settings,
            decision=DecisionPublic.model_validate(found.decision) if found.decision else None,
            results=[ResultLine.model_validate(row) for row in found.rows],
            tally=tally_public(found.tally),
        )

    @router.get("/rounds/{round_id}/tally", tags=["results"])
    async def tally(round_id: UUID, runtime: RuntimeDep, who: CurrentPrincipal) -> TallyPublic:
        """Whether certification holds everything judging closed with; poll it before deciding
        (a decision is refused with 409 `tally_incomplete` until `complete`)."""
        async with runtime.uow() as uow:
            return tally_public(await results.round_tally(uow, who, round_id))

    @router.get("/rounds/{round_id}/results", tags=["results"])
    async def results_table(
        round_id: UUID,
        runtime: RuntimeDep,
        who: CurrentPrincipal,
        format: Annotated[ExportFormat, Query()] = ExportFormat.JSON,
    ) -> Response:
        """Rank, mean, per-criterion means, outcome and reason of every entry; the
        `CNNT-Tally-Complete` header says whether they rest on the whole tally."""
        async with runtime.uow() as uow:
            found = await results.round_results(uow, who, round_id)
        # Spreadsheets get numbers; JSON and CSV get the exact two-place text ("70.00").
        mode = "python" if format is ExportFormat.XLSX else "json"
        rows = [ResultLine.model_validate(row).model_dump(mode=mode) for row in found.rows]
        name = f"results-{found.round.scope_code}-{found.round.year}-{found.round.level.value}"
        response = table_response(RESULT_COLUMNS, rows, format, name)
        # The body stays a table; whether it rests on the whole tally travels beside it.
        response.headers["CNNT-Tally-Complete"] = str(found.tally.complete).lower()
        return response

    @router.get("/rounds/{round_id}/decisions", tags=["decisions"])
    async def list_decisions(
        round_id: UUID, runtime: RuntimeDep, who: CurrentPrincipal
    ) -> list[DecisionPublic]:
        async with runtime.uow() as uow:
            rows = await results.decisions_of(uow, who, round_id)
        return [DecisionPublic.model_validate(d) for d in rows]

    @router.post("/rounds/{round_id}/decision", status_code=201, tags=["decisions"])
    async def confirm(
        round_id: UUID, body: DecisionCreate, uow: UowDep, who: CurrentPrincipal
    ) -> DecisionIssued:
        """Confirm the results (Quyết định công nhận): recognitions and certificates."""
        exclusions = {x.entry_id: x.reason for x in body.exclusions}
        signature = Signature(body.issuer, body.place, body.signatory_title, body.signatory_name)
        command = decisions.Decide(body.number, body.decided_on, exclusions, signature)
        decision, numbers = await decisions.confirm_results(uow, who, round_id, command)
        return DecisionIssued(
            **DecisionPublic.model_validate(decision).model_dump(), certificates=numbers
        )

    @router.post("/rounds/{round_id}/corrections", status_code=201, tags=["decisions"])
    async def correct(
        round_id: UUID, body: CorrectionCreate, uow: UowDep, who: CurrentPrincipal
    ) -> DecisionIssued:
        """Recognise entries the confirmed results left out, by a new recorded decision."""
        command = corrections.Correct(body.number, body.decided_on, body.reason, body.recognise)
        decision, numbers = await corrections.correct_results(uow, who, round_id, command)
        issued = DecisionPublic.model_validate(decision).model_dump()
        return DecisionIssued(**issued, certificates=numbers)

    @router.post(
        "/certificates/{number}/revocation", status_code=status.HTTP_201_CREATED, tags=["decisions"]
    )
    async def revoke(
        number: str, body: RevocationCreate, uow: UowDep, who: CurrentPrincipal
    ) -> DecisionPublic:
        """Revoke a certificate by a new recorded decision (Quyết định thu hồi)."""
        command = revocations.Revoke(body.number, body.decided_on, body.reason)
        return DecisionPublic.model_validate(
            await revocations.revoke_certificate(uow, who, number, command)
        )

    @router.get("/certificates/{number}/pdf", tags=["certificates"])
    async def certificate_pdf(number: str, runtime: RuntimeDep, who: CurrentPrincipal) -> Response:
        """The certificate (giấy chứng nhận) as an A4 PDF."""
        async with runtime.uow() as uow:
            public = runtime.settings.console_public_url
            pdf = await certificates.certificate_pdf(uow, who, number, public)
        headers = {"Content-Disposition": f'inline; filename="{number}.pdf"'}
        return Response(pdf, media_type="application/pdf", headers=headers)

    router.include_router(certificate_list())
    router.include_router(verification_public())
    return router
