"""The upload bounds (cnnt_runtime.uploads) and the dossier list's bounded reader: every bad
file is refused with a code before or while it is parsed, never with a parser's exception."""

from __future__ import annotations

import pytest

from cnnt_runtime.uploads import ArchiveLimits, UploadRefused, check_archive, sniff
from console.adapters.dossier_files import TableLimits, template_xlsx, to_service_csv
from tests.support.spreadsheets import bomb, workbook


def refusal(filename: str, content: bytes, limits: TableLimits | None = None) -> str:
    with pytest.raises(UploadRefused) as caught:
        to_service_csv(filename, content, limits)
    return caught.value.code


def test_the_kind_of_a_file_is_read_from_its_bytes() -> None:
    assert sniff(template_xlsx()) == "zip"
    assert sniff(b"%PDF-1.7\n") == "pdf"
    assert sniff("Mã số thuế,Tên cơ sở\n".encode()) == "text"
    assert sniff(bytes(range(256)) * 4) == "unknown"


def test_the_200000_row_bomb_is_refused_from_its_central_directory() -> None:
    content = bomb()
    assert len(content) < 1024 * 1024
    with pytest.raises(UploadRefused) as caught:
        check_archive(content)
    assert caught.value.code == "archive_too_large"
    assert caught.value.limits == {"limit_mb": 32}
    assert refusal("danh-sach.xlsx", content) == "archive_too_large"


def test_a_highly_packed_member_is_refused_by_its_ratio() -> None:
    content = bomb(rows=40_000, cells=1)  # 2.3 MB unpacked, packed some 300 times
    assert refusal("danh-sach.xlsx", content) == "archive_ratio"
    check_archive(content, ArchiveLimits(max_ratio=1000))  # the same file under a looser rule


def test_bad_files_named_xlsx_are_refused_with_a_code() -> None:
    template = template_xlsx()
    assert refusal("danh-sach.xlsx", template[: len(template) // 2]) == "file_unreadable"
    assert refusal("danh-sach.xlsx", b"%PDF-1.7\n" + b"0" * 100) == "file_not_spreadsheet"
    assert refusal("danh-sach.xlsx", bytes(range(256)) * 4) == "file_not_spreadsheet"
    assert refusal("danh-sach.xlsx", "Mã số thuế\n".encode()) == "file_not_spreadsheet"
    assert refusal("danh-sach.csv", "Mã số thuế".encode("utf-16")) == "file_not_spreadsheet"
    not_a_workbook = workbook([["a"]]).replace(b"xl/workbook.xml", b"xl/workbook.xmx")
    assert refusal("danh-sach.xlsx", not_a_workbook) == "file_not_spreadsheet"


def test_rows_and_cells_are_counted_while_streaming() -> None:
    limits = TableLimits.for_entries(3)
    rows = [["Mã số thuế", "Tên cơ sở"], *[[f"600000000{i}", f"HTX {i}"] for i in range(3)]]
    assert to_service_csv("danh-sach.xlsx", workbook(rows), limits).count(b"\n") == 4
    assert refusal("danh-sach.xlsx", workbook([*rows, ["6000000009", "HTX 9"]]), limits) == (
        "too_many_rows"
    )
    wide = [["x"] * 200, ["y"] * 200]
    assert refusal("danh-sach.csv", "\n".join(",".join(r) for r in wide).encode(), limits) == (
        "too_many_cells"
    )
