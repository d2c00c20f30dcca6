"""The report files people open: one table per CSV file, a formatted XLSX (title, frozen
headers, widths, money as #,##0, Vietnamese words)."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

from cnnt_tools.cli.report import Report, write_csv, write_xlsx

TITLE = "Thái Nguyên (đơn vị hiện nay; gồm cả số liệu của Bắc Kạn, Thái Nguyên trước 2025)"


def _report() -> Report:
    figures = {"rounds": 1, "facilities": 12, "products": 15, "recognised": 7}
    return Report(
        scope="thai-nguyen",
        scope_name="Thái Nguyên",
        scope_title=TITLE,
        first=2019,
        last=2021,
        levels=[{"level": "provincial", "year": None, **figures}],
        by_year=[{"level": "provincial", "year": 2019, **figures}],
        support=[
            {
                "province_name": "Thái Nguyên",
                "kind": "trade_fair",
                "schemes": 1,
                "facilities_supported": 3,
                "granted_national": 1_056_000_000,
                "granted_local": 0,
                "granted_counterpart": 1_044_000_000,
                "granted_total": 2_100_000_000,
            }
        ],
    )


def test_each_csv_file_holds_one_table(tmp_path: Path) -> None:
    written = write_csv(_report(), tmp_path / "r.csv")
    assert [p.name for p in written] == ["r-cong-nhan.csv", "r-khuyen-cong.csv"]
    recognition, support = (
        list(csv.reader(p.read_text(encoding="utf-8-sig").splitlines())) for p in written
    )
    assert recognition[0][0] == "Cấp"
    assert [row[0] for row in recognition[1:]] == ["Cấp tỉnh", "Cấp tỉnh"]
    assert all(row for row in recognition)  # no blank separator: one table
    assert support[0][0] == "Tỉnh/thành phố"
    assert support[1][:2] == ["Thái Nguyên", "Hội chợ, triển lãm"]
    assert len(support) == 2


def test_the_xlsx_is_titled_frozen_sized_and_shows_money_as_whole_dong(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_xlsx(_report(), path)
    book = load_workbook(path)
    recognition, support = book["Công nhận"], book["Khuyến công"]
    assert TITLE in str(recognition["A1"].value)
    assert (recognition.freeze_panes, support.freeze_panes) == ("A3", "A3")
    assert recognition["A3"].value == "Cấp tỉnh"
    assert support["B3"].value == "Hội chợ, triển lãm"
    total = support["H3"]
    assert (total.value, total.number_format) == (2_100_000_000, "#,##0")
    assert support["C3"].number_format == "General"  # a count is not money
    assert support.column_dimensions["H"].width >= len("2,100,000,000")
    assert recognition.column_dimensions["E"].width >= len("Sản phẩm tham gia")
