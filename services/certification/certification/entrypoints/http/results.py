"""Routes for a round's results (kết quả bình chọn): the preview, the tally and the table."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from certification.entrypoints.schemas import (
    DecisionPublic,
    ResultLine,
    ResultsPreview,
    TallyPublic,
    tally_public,
)
from certification.service_layer import queries
from cnnt_runtime import labels
from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.http.exports import Column, ExportFormat, table_response
from cnnt_runtime.service import RuntimeDep

router = APIRouter(prefix="/api/v1", tags=["results"])

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


@router.get("/rounds/{round_id}/preview")
async def preview(round_id: UUID, runtime: RuntimeDep, who: CurrentPrincipal) -> ResultsPreview:
    """The round's results as the decision would confirm them (or as it confirmed them)."""
    async with runtime.uow() as uow:
        found = await queries.round_results(uow, who, round_id)
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


@router.get("/rounds/{round_id}/tally")
async def tally(round_id: UUID, runtime: RuntimeDep, who: CurrentPrincipal) -> TallyPublic:
    """Whether certification holds everything judging closed with; poll it before deciding
    (a decision is refused with 409 `tally_incomplete` until `complete`)."""
    async with runtime.uow() as uow:
        return tally_public(await queries.round_tally(uow, who, round_id))


@router.get("/rounds/{round_id}/results")
async def results_table(
    round_id: UUID,
    runtime: RuntimeDep,
    who: CurrentPrincipal,
    format: Annotated[ExportFormat, Query()] = ExportFormat.JSON,
) -> Response:
    """Rank, mean, per-criterion means, outcome and reason of every entry; the
    `CNNT-Tally-Complete` header says whether they rest on the whole tally."""
    async with runtime.uow() as uow:
        found = await queries.round_results(uow, who, round_id)
    # Spreadsheets get numbers; JSON and CSV get the exact two-place text ("70.00").
    mode = "python" if format is ExportFormat.XLSX else "json"
    rows = [ResultLine.model_validate(row).model_dump(mode=mode) for row in found.rows]
    name = f"results-{found.round.scope_code}-{found.round.year}-{found.round.level.value}"
    response = table_response(RESULT_COLUMNS, rows, format, name)
    # The body stays a table; whether it rests on the whole tally travels beside it.
    response.headers["CNNT-Tally-Complete"] = str(found.tally.complete).lower()
    return response
