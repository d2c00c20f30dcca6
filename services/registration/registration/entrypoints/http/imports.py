"""Routes for the bulk import of a round's dossier list, and its template."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, File, Query, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.http.exports import Column, ExportFormat, table_response
from cnnt_runtime.service import ClockDep, UowDep
from registration.adapters.spreadsheets import read_rows
from registration.domain.dossier_list import COLUMNS
from registration.service_layer.imports import ImportReport, import_dossier_list

COLUMN_DOCS = "\n".join(f"- `{key}`: {meaning}" for key, meaning in COLUMNS.items())
EXAMPLE = {
    "business_code": "6001234567",
    "facility_name": "HTX Dệt thổ cẩm Đắk Lắk",
    "facility_kind": "cooperative",
    "province_code": "dak-lak",
    "address": "Buôn Ma Thuột, Đắk Lắk",
    "product_name": "Cà phê bột nguyên chất Buôn Ma Thuột",
    "product_group": "agro_food",
    "is_set": "no",
    **{key: "yes" for key in list(COLUMNS)[-4:]},
}


class RowErrorPublic(BaseModel):
    row: int
    field: str
    code: str
    message: str


class RowOutcomePublic(BaseModel):
    row: int
    status: str = Field(description="accepted, existing or refused")
    business_code: str
    product_name: str
    errors: list[RowErrorPublic]
    facility_id: UUID | None = Field(
        description="The row's facility: one that existed, or after a commit the one it created"
    )
    product_id: UUID | None = Field(description="The row's product, likewise")
    entry_id: UUID | None = Field(
        description="The row's entry in the round: an existing one, or after a commit the new one"
    )
    created: list[str] = Field(
        description="What a committed row created: 'facility', 'product', 'entry'"
    )


class ImportReportPublic(BaseModel):
    dry_run: bool
    committed: bool
    accepted: int
    existing: int
    refused: int
    rows: list[RowOutcomePublic]

    @classmethod
    def of(cls, report: ImportReport) -> ImportReportPublic:
        return cls(
            dry_run=report.dry_run,
            committed=report.committed,
            accepted=report.count("accepted"),
            existing=report.count("existing"),
            refused=report.count("refused"),
            rows=[RowOutcomePublic.model_validate(asdict(o)) for o in report.outcomes],
        )


router = APIRouter(prefix="/api/v1", tags=["imports"])


@router.post(
    "/rounds/{round_id}/imports",
    description="Import a round's dossier list from an `.xlsx` or UTF-8 `.csv` file whose "
    "first row holds these column headers (template at `/api/v1/imports/template`):\n\n"
    f"{COLUMN_DOCS}\n\nWith `dry_run=true` (the default) nothing is stored: the report "
    "says row by row what would be accepted, what exists already and why each refused row "
    "fails. A commit stores every row or, if any row is refused, none (422 with the same "
    "report). Importing the same file again creates nothing new.",
    responses={422: {"description": "Some rows are refused; nothing was stored"}},
)
async def import_entries(
    round_id: UUID,
    file: Annotated[UploadFile, File(description="XLSX or CSV dossier list")],
    uow: UowDep,
    who: CurrentPrincipal,
    clock: ClockDep,
    dry_run: bool = True,
    registered_on: Annotated[
        date | None, Query(description="Ministry and operator only: historical date")
    ] = None,
) -> ImportReportPublic:
    header, rows = read_rows(file.filename or "", await file.read())
    report = await import_dossier_list(
        uow,
        who,
        round_id,
        header,
        rows,
        dry_run=dry_run,
        registered_on=registered_on,
        today=clock.today(),
    )
    public = ImportReportPublic.of(report)
    if not dry_run and not report.committed:
        return JSONResponse(  # type: ignore[return-value]
            {
                "error": {
                    "code": "import_refused",
                    "message": f"{public.refused} rows are refused; nothing was stored",
                    "field": "file",
                },
                "report": public.model_dump(mode="json"),
            },
            status_code=422,
        )
    return public


@router.get("/imports/template")
async def import_template(format: ExportFormat = ExportFormat.XLSX) -> Response:
    """An empty dossier list with the expected headers and one example row."""
    columns = [Column(key, key) for key in COLUMNS]
    return table_response(columns, [EXAMPLE], format, "dossier-list-template")
