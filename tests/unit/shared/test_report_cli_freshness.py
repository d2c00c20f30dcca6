"""``cnnt report`` says how fresh each part is, in Vietnam's time."""

from __future__ import annotations

from datetime import UTC, datetime

from cnnt_tools.cli.report import Report


def test_the_report_prints_the_time_of_the_last_event_of_each_part_in_vietnams_time() -> None:
    report = Report(
        "dak-lak",
        "Đắk Lắk",
        "Tỉnh Đắk Lắk",
        2017,
        2021,
        [],
        [],
        [],
        recognition_as_of=datetime(2021, 12, 8, 23, 30, 5, tzinfo=UTC),
        support_as_of=None,
    )
    assert report.freshness_line() == (
        "Số liệu công nhận tính đến 09/12/2021 06:30:05; "
        "số liệu khuyến công tính đến — (giờ Việt Nam)"
    )
