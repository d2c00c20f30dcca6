"""Reading a dossier list from XLSX or CSV into rows of text keyed by column header."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from openpyxl import load_workbook

from cnnt_runtime.errors import DomainError
from cnnt_runtime.text import TextError, normalise_line

Rows = list[tuple[int, dict[str, str]]]


def _unreadable(detail: str) -> DomainError:
    return DomainError("file_unreadable", f"không đọc được tệp: {detail}", field="file")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _keyed(header: list[str], cells: list[str]) -> dict[str, str]:
    return {key: cells[i] if i < len(cells) else "" for i, key in enumerate(header) if key}


def read_rows(filename: str, content: bytes) -> tuple[list[str], Rows]:
    """The header and the non-empty data rows, each with its row number in the file (the
    header is row 1). ``.xlsx`` is read with openpyxl; anything else as UTF-8 CSV."""
    if filename.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:
            raise _unreadable(str(exc)) from exc
        if sheet is None:
            raise _unreadable("the workbook has no sheet")
        table = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _unreadable("CSV files must be UTF-8") from exc
        try:
            table = [list(row) for row in csv.reader(io.StringIO(text))]
        except csv.Error as exc:  # a field over csv's limit, a NUL byte, a broken quote
            raise _unreadable(str(exc)) from exc
    try:  # cells as the HTTP edge would have them: NFC, trimmed, single spaces
        table = [[normalise_line(cell) for cell in row] for row in table]
    except TextError as exc:
        raise _unreadable(str(exc)) from exc
    if not table:
        raise _unreadable("the file is empty")
    header = [h.strip().lower() for h in table[0]]
    rows = [
        (number, _keyed(header, cells))
        for number, cells in enumerate(table[1:], start=2)
        if any(cells)
    ]
    return header, rows
