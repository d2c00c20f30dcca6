"""Dossier lists as provinces fill them in: the console's template has Vietnamese headers and
Vietnamese values; the registration service reads its own column keys and codes. This module
translates a filled-in file (XLSX or CSV, Vietnamese or English headers) into the CSV the
service reads, row for row, so the service's row numbers still match the person's file."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

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


def _table(filename: str, content: bytes) -> list[list[str]]:
    if filename.lower().endswith(".xlsx"):
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        if sheet is None:
            raise ValueError("the workbook has no sheet")
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    text = content.decode("utf-8-sig")
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]


def to_service_csv(filename: str, content: bytes) -> bytes:
    """The file as the registration service's CSV: its column keys, its codes. Unknown headers
    and values pass through unchanged, for the service to name in its report."""
    table = _table(filename, content)
    if not table:
        return b""
    keys = [HEADERS.get(_key(h), h) for h in table[0]]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(keys)
    for row in table[1:]:
        writer.writerow([_value(key, cell) for key, cell in zip(keys, row, strict=False)])
    return out.getvalue().encode("utf-8")


def _value(key: str, cell: str) -> str:
    known = VIETNAMESE_LABELS.get(key)
    if known is None:
        return cell
    return known.get(_key(cell), cell)
