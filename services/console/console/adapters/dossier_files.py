"""Dossier lists as provinces fill them in: the console's template has Vietnamese headers and
Vietnamese values; the registration service reads its own column keys and codes. This module
translates a filled-in file (XLSX or CSV, Vietnamese or English headers) into the CSV the
service reads, row for row, so the service's row numbers still match the person's file."""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from cnnt_runtime import uploads

# (service column key, Vietnamese header); the order of the template's columns.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("business_code", "Mã số thuế"),
    ("facility_name", "Tên cơ sở"),
    ("facility_kind", "Loại hình cơ sở"),
    ("province_code", "Mã tỉnh"),
    ("address", "Địa chỉ"),
    ("phone", "Điện thoại"),
    ("email", "Thư điện tử"),
    ("product_name", "Tên sản phẩm"),
    ("product_group", "Nhóm sản phẩm"),
    ("is_set", "Bộ sản phẩm (có/không)"),
    ("description", "Mô tả sản phẩm"),
    ("self_produced", "Tự sản xuất (có/không)"),
    ("no_ip_infringement", "Không vi phạm sở hữu trí tuệ (có/không)"),
    ("meets_standards", "Đạt tiêu chuẩn chất lượng, an toàn, môi trường (có/không)"),
    ("mass_producible", "Sản xuất hàng loạt (có/không)"),
)
EXAMPLE = (
    "6001234567",
    "HTX Dệt thổ cẩm Buôn Ako Dhông",
    "Hợp tác xã",
    "dak-lak",
    "Buôn Ma Thuột, Đắk Lắk",
    "0262 3812 345",
    "",
    "Khăn thổ cẩm dệt tay",
    "Thủ công mỹ nghệ",
    "không",
    "",
    "có",
    "có",
    "có",
    "có",
)
# The values written in Vietnamese (as the template's second sheet lists them), and codes.
VIETNAMESE_LABELS: dict[str, dict[str, str]] = {
    "facility_kind": {
        "doanh nghiệp nhỏ và vừa": "sme",
        "hợp tác xã": "cooperative",
        "tổ hợp tác": "cooperative_group",
        "hộ kinh doanh": "household_business",
    },
    "product_group": {
        "thủ công mỹ nghệ": "handicraft",
        "chế biến nông, lâm, thủy sản và thực phẩm": "agro_food",
        "thiết bị, máy móc, dụng cụ và phụ tùng cơ khí": "machinery",
        "khác": "other",
    },
}


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


HEADERS = {_key(vi): key for key, vi in COLUMNS} | {key: key for key, _ in COLUMNS}


def template_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "Danh sách hồ sơ"
    sheet.append([vi for _, vi in COLUMNS])
    sheet.append(list(EXAMPLE))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, (_, vi) in zip(sheet.columns, COLUMNS, strict=True):
        sheet.column_dimensions[column[0].column_letter].width = max(14, min(40, len(vi) + 2))
    sheet.freeze_panes = "A2"
    lists = book.create_sheet("Giá trị hợp lệ")
    lists.append(["Loại hình cơ sở", "Nhóm sản phẩm"])
    kinds = list(VIETNAMESE_LABELS["facility_kind"])
    groups = list(VIETNAMESE_LABELS["product_group"])
    for i in range(max(len(kinds), len(groups))):
        lists.append([_capital(kinds, i), _capital(groups, i)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _capital(values: list[str], i: int) -> str:
    return values[i][:1].upper() + values[i][1:] if i < len(values) else ""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a business code typed as a number
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


@dataclass(frozen=True)
class TableLimits:
    """How large a dossier list may be once read: rows (the header included) and cells."""

    max_rows: int = 5001
    max_cells: int = 5001 * 30

    @classmethod
    def for_entries(cls, entries: int) -> TableLimits:
        """A list of at most ``entries`` products: its rows and the header, 30 cells each."""
        return cls(max_rows=entries + 1, max_cells=(entries + 1) * 30)


def kind_of(filename: str, content: bytes) -> str:
    """``xlsx`` or ``csv`` by what the bytes are (the file's name proves nothing, but a file
    named ``.xlsx`` must be a workbook); refuses anything else, and a ZIP over the archive
    limits, before a byte is parsed or inflated."""
    kind = uploads.sniff(content)
    if kind != "zip" and filename.lower().endswith(".xlsx"):
        raise uploads.UploadRefused("file_not_spreadsheet", f"named .xlsx, holds {kind}")
    if kind == "zip":
        uploads.check_archive(content, uploads.XLSX_LIMITS)
        return "xlsx"
    if kind == "text":
        return "csv"
    raise uploads.UploadRefused("file_not_spreadsheet", kind)


def _bounded(rows: Iterable[Iterable[object]], limits: TableLimits) -> list[list[str]]:
    table: list[list[str]] = []
    cells = 0
    for row in rows:
        if len(table) >= limits.max_rows:
            raise uploads.UploadRefused("too_many_rows", limit=limits.max_rows - 1)
        values = [_cell(v) for v in row]
        while values and values[-1] == "":
            values.pop()  # empty trailing cells (a column formatted far to the right)
        cells += len(values)
        if cells > limits.max_cells:
            raise uploads.UploadRefused("too_many_cells", limit=limits.max_cells)
        table.append(values)
    while table and not any(table[-1]):
        table.pop()  # empty rows below the list
    return table


def _xlsx_table(content: bytes, limits: TableLimits) -> list[list[str]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise uploads.UploadRefused("file_unreadable", type(exc).__name__) from exc
    try:
        sheet = book.active
        if sheet is None:
            raise uploads.UploadRefused("file_unreadable", "the workbook has no sheet")
        return _bounded(sheet.iter_rows(values_only=True), limits)
    except uploads.UploadRefused:
        raise
    except Exception as exc:
        raise uploads.UploadRefused("file_unreadable", type(exc).__name__) from exc
    finally:
        book.close()


def _table(filename: str, content: bytes, limits: TableLimits) -> list[list[str]]:
    if kind_of(filename, content) == "xlsx":
        return _xlsx_table(content, limits)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise uploads.UploadRefused("file_unreadable", "not UTF-8") from exc
    try:
        return _bounded(([c.strip() for c in row] for row in csv.reader(io.StringIO(text))), limits)
    except csv.Error as exc:
        raise uploads.UploadRefused("file_unreadable", str(exc)) from exc


def to_service_csv(filename: str, content: bytes, limits: TableLimits | None = None) -> bytes:
    """The file as the registration service's CSV: its column keys, its codes. Unknown headers
    and values pass through unchanged, for the service to name in its report. The file's kind
    is read from its bytes (``kind_of``); a file over ``limits`` or not a spreadsheet raises
    ``UploadRefused``."""
    table = _table(filename, content, limits or TableLimits())
    if not table:
        return b""
    keys = [HEADERS.get(_key(h), h) for h in table[0]]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(keys)
    for row in table[1:]:
        writer.writerow([_value(key, cell) for key, cell in zip(keys, row, strict=False)])
    return out.getvalue().encode("utf-8")


@dataclass(frozen=True)
class Parsed:
    """What a worker process hands back: the CSV, or the refusal's code and its numbers, and
    the worker's process id (plain data: nothing to unpickle but this)."""

    csv: bytes
    refusal: str
    limits: dict[str, int]
    worker_pid: int


def parse_in_worker(filename: str, content: bytes, limits: TableLimits) -> Parsed:
    """``to_service_csv`` as a worker process runs it."""
    try:
        return Parsed(to_service_csv(filename, content, limits), "", {}, os.getpid())
    except uploads.UploadRefused as refused:
        return Parsed(b"", refused.code, dict(refused.limits), os.getpid())


def warm() -> int:
    """Run in a new worker so that its first real job finds this module (openpyxl) imported."""
    return os.getpid()


def _value(key: str, cell: str) -> str:
    known = VIETNAMESE_LABELS.get(key)
    if known is None:
        return cell
    return known.get(_key(cell), cell)
