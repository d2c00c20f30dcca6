"""Reading dossier lists from XLSX and CSV: headers, row numbers, cell values, bad files."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from cnnt_runtime.errors import DomainError
from registration.adapters.spreadsheets import read_rows


def test_xlsx_rows_keep_their_numbers_and_vietnamese_text() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Business_Code ", "facility_name", "phone", "registered"])
    sheet.append(["6001", "HTX Dệt thổ cẩm Đắk Lắk", 2623851234, date(2017, 3, 15)])
    sheet["A5"] = "6002"
    buffer = io.BytesIO()
    book.save(buffer)
    header, rows = read_rows("ho-so.XLSX", buffer.getvalue())
    assert header == ["business_code", "facility_name", "phone", "registered"]
    assert rows == [
        (2, {"business_code": "6001", "facility_name": "HTX Dệt thổ cẩm Đắk Lắk",
             "phone": "2623851234", "registered": "2017-03-15"}),
        (5, {"business_code": "6002", "facility_name": "", "phone": "", "registered": ""}),
    ]  # fmt: skip


def test_csv_with_a_byte_order_mark_reads_as_utf8() -> None:
    content = "business_code,product_name\n6001,Cà phê bột\n".encode("utf-8-sig")
    assert read_rows("ho-so.csv", content) == (
        ["business_code", "product_name"],
        [(2, {"business_code": "6001", "product_name": "Cà phê bột"})],
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("ho-so.xlsx", b"not a workbook"), ("ho-so.csv", "Cà phê".encode("cp1258")), ("a.csv", b"")],
)
def test_an_unreadable_file_is_refused_naming_the_file(name: str, content: bytes) -> None:
    with pytest.raises(DomainError) as caught:
        read_rows(name, content)
    assert (caught.value.code, caught.value.field) == ("file_unreadable", "file")
