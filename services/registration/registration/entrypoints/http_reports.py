"""Reports the provinces publish, from registration's records."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from cnnt_shared import labels
from cnnt_shared.auth import CurrentPrincipal
from cnnt_shared.http.exports import Column, ExportFormat, table_response
from cnnt_shared.service import UowDep
from registration.service_layer.reports import recognition_report

COLUMNS = [
    Column("level", "Cấp (level)", labels.LEVELS),
    Column("year", "Năm (year; empty: the whole period)"),
    Column("rounds", "Số đợt (rounds held)"),
    Column("facilities", "Cơ sở tham gia (facilities entered)"),
    Column("products", "Sản phẩm tham gia (products entered)"),
    Column("recognised", "Sản phẩm được công nhận (products recognised)"),
]


def build_router() -> APIRouter:
    router = APIRouter(tags=["reports"])

    @router.get(
        "/reports/recognition",
        summary="Rounds held, facilities and products entered, products recognised per level",
        response_model=None,
    )
    async def report(
        uow: UowDep,
        _: CurrentPrincipal,
        scope: Annotated[
            str, Query(description="Province code, region, or VN", examples=["dak-lak"])
        ],
        from_year: Annotated[int, Query(ge=2000, le=2100)],
        to_year: Annotated[int, Query(ge=2000, le=2100)],
        as_recorded: Annotated[
            bool,
            Query(
                description="A province as recorded: its own rounds and entries only (for a "
                "province dissolved in 2025), instead of its 2025 unit with every province "
                "merged into it"
            ),
        ] = False,
        format: Annotated[ExportFormat, Query()] = ExportFormat.JSON,
    ) -> Any:
        result = await recognition_report(uow, scope, from_year, to_year, as_recorded=as_recorded)
        if format is ExportFormat.JSON:
            return result
        rows = [*result["by_year"], *result["levels"]]
        return table_response(COLUMNS, rows, format, f"recognition-{scope}-{from_year}-{to_year}")

    return router
