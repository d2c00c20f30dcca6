"""Tables people take away: the same rows as JSON, CSV (UTF-8 with BOM, so Excel shows
Vietnamese correctly) or XLSX, chosen by ``?format=``.

JSON keeps the codes (``agro_food``, ``true``); CSV and XLSX are read by people, so a column
with labels shows the Vietnamese word instead. XLSX money columns are numbers shown ``#,##0``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


MONEY_FORMAT = "#,##0"


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    labels: Mapping[Any, str] | None = None  # code -> the Vietnamese word people read
    money: bool = False  # whole VND


def _value(column: Column, row: Mapping[str, Any]) -> Any:
    value = row.get(column.key)
    if column.labels is not None and value is not None:
        return column.labels.get(value, value)
    return value


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str):
        return value
    encoded = jsonable_encoder(value)
    return encoded if isinstance(encoded, int | float | str) else str(encoded)


def to_csv(columns: Sequence[Column], rows: Sequence[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.title for c in columns])
    for row in rows:
        writer.writerow([_cell(_value(c, row)) for c in columns])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(columns: Sequence[Column], rows: Sequence[dict[str, Any]], sheet: str) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet[:31]
    ws.append([c.title for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    cells = [[_cell(_value(c, row)) for c in columns] for row in rows]
    for values in cells:
        ws.append(values)
    for i, column in enumerate(columns, 1):
        shown = [_shown(values[i - 1], column.money) for values in cells]
        width = max([len(column.title), *(len(s) for s in shown)])
        ws.column_dimensions[get_column_letter(i)].width = min(60, width + 2)
        if column.money:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = MONEY_FORMAT
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _shown(value: Any, money: bool) -> str:
    """The text a cell shows, for its column's width."""
    if money and isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def table_response(
    columns: Sequence[Column],
    rows: Sequence[dict[str, Any]],
    fmt: ExportFormat,
    filename: str,
) -> Response:
    if fmt is ExportFormat.JSON:
        return JSONResponse(jsonable_encoder(rows))
    disposition = {"Content-Disposition": f'attachment; filename="{filename}.{fmt.value}"'}
    if fmt is ExportFormat.CSV:
        return Response(
            to_csv(columns, rows), media_type="text/csv; charset=utf-8", headers=disposition
        )
    return Response(to_xlsx(columns, rows, filename), media_type=XLSX_TYPE, headers=disposition)


def declare_export_types(app: FastAPI) -> None:
    """Every operation with a ``format`` query parameter of ``ExportFormat`` documents the CSV
    and XLSX bodies it may answer with, beside JSON (clients and the fuzz run rely on the
    document). Done once here, on the generated document, rather than on each route."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        document = generate()
        for operation in (op for path in document["paths"].values() for op in path.values()):
            if not any(
                p.get("in") == "query" and "ExportFormat" in json.dumps(p.get("schema", {}))
                for p in operation.get("parameters", [])
            ):
                continue
            content = operation["responses"].setdefault("200", {}).setdefault("content", {})
            content.setdefault("text/csv", {"schema": {"type": "string"}})
            content.setdefault(XLSX_TYPE, {"schema": {"type": "string", "format": "binary"}})
        return document

    app.openapi = openapi  # type: ignore[method-assign]
