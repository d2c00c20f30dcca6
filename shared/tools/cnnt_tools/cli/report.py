"""``cnnt report``: the figures a province (or region, or the nation) publishes for a period,
gathered from the services' report APIs — recognition from registration's records, support
from the support service — as terminal tables, CSV, XLSX and a PNG chart."""

from __future__ import annotations

import csv
import io
import textwrap
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from rich.console import Console
from rich.table import Table

from cnnt_contracts.vocabulary import NATION_SCOPE, Region
from cnnt_runtime import labels
from cnnt_runtime.clock import VIETNAM
from cnnt_runtime.db.freshness import AS_OF_HEADER
from cnnt_runtime.settings import Settings
from cnnt_runtime.tokens import Role, issue_token

LEVEL_NAMES = labels.LEVELS
KIND_NAMES = labels.SCHEME_KINDS
RECOGNITION_HEADERS = [
    "Cấp",
    "Năm",
    "Số đợt",
    "Cơ sở tham gia",
    "Sản phẩm tham gia",
    "Được công nhận",
]
SUPPORT_KEYS = [
    "province_name",
    "kind",
    "schemes",
    "facilities_supported",
    "granted_national",
    "granted_local",
    "granted_counterpart",
    "granted_total",
]
SUPPORT_HEADERS = [
    "Tỉnh/thành phố",
    "Loại đề án",
    "Số đề án",
    "Cơ sở được hỗ trợ",
    "Trung ương (đồng)",
    "Địa phương (đồng)",
    "Đối ứng (đồng)",
    "Tổng (đồng)",
]


@dataclass
class Report:
    scope: str
    scope_name: str
    scope_title: str  # the unit and what it includes (merged provinces, or as recorded)
    first: int
    last: int
    levels: list[dict[str, Any]]
    by_year: list[dict[str, Any]]
    support: list[dict[str, Any]]
    # How fresh each part is: the time of the last event it includes (None: no event yet).
    recognition_as_of: datetime | None = None
    support_as_of: datetime | None = None

    def freshness_line(self) -> str:
        return (
            f"Số liệu công nhận tính đến {vietnam_time(self.recognition_as_of)}; "
            f"số liệu khuyến công tính đến {vietnam_time(self.support_as_of)} (giờ Việt Nam)"
        )

    def recognition_rows(self) -> list[list[Any]]:
        rows = [
            [
                LEVEL_NAMES[r["level"]],
                r["year"],
                r["rounds"],
                r["facilities"],
                r["products"],
                r["recognised"],
            ]
            for r in self.by_year
        ]
        rows += [
            [
                LEVEL_NAMES[r["level"]],
                f"{self.first}–{self.last}",
                r["rounds"],
                r["facilities"],
                r["products"],
                r["recognised"],
            ]
            for r in self.levels
        ]
        return rows

    def support_rows(self) -> list[list[Any]]:
        rows = [[row.get(k, 0) for k in SUPPORT_KEYS] for row in self.support]
        return [[r[0], KIND_NAMES.get(str(r[1]), r[1]), *r[2:]] for r in rows]


def sources(
    scope: str, first: int, last: int, *, as_recorded: bool = False
) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """What a report asks of which service: name → (service, path, query). Shared by ``cnnt
    report`` and the console's report page, so both show the same figures. A province is rolled
    up to its 2025 unit, or ``as_recorded`` (a province dissolved in 2025 on its own records)."""
    period = {"from_year": first, "to_year": last}
    recorded = {"as_recorded": "true"} if as_recorded else {}
    one_province = scope not in {NATION_SCOPE, *(r.value for r in Region)}
    return {
        "recognition": (
            "registration",
            "/api/v1/reports/recognition",
            {"scope": scope, **period, **recorded},
        ),
        "regions": ("registration", "/api/v1/province-regions", {}),
        "support": (
            "support",
            "/api/v1/reports/support",
            {**period, **({"province": scope, **recorded} if one_province else {})},
        ),
    }


def assemble(
    scope: str,
    first: int,
    last: int,
    answers: dict[str, Any],
    *,
    support_as_of: datetime | None = None,
) -> Report:
    """The report from the services' answers to ``sources`` (``support_as_of``: the support
    report's freshness header, when the caller read it)."""
    recognition, regions, support = (
        answers["recognition"],
        answers["regions"],
        answers["support"],
    )
    if scope in {r.value for r in Region}:
        units = {r["unit_code"] for r in regions if r["region"] == scope}
        support = [row for row in support if row.get("province_code") in units]
    return Report(
        scope,
        recognition["scope_name"],
        recognition["scope_title"],
        first,
        last,
        recognition["levels"],
        recognition["by_year"],
        support,
        _moment(recognition.get("as_of")),
        support_as_of,
    )


def gather(
    settings: Settings, scope: str, first: int, last: int, *, as_recorded: bool = False
) -> Report:
    token = issue_token(settings, subject="cnnt-report", role=Role.MINISTRY, scope=NATION_SCOPE)
    headers = {"Authorization": f"Bearer {token}"}
    responses: dict[str, httpx.Response] = {}
    with httpx.Client(headers=headers, timeout=60) as client:
        for name, (service, path, query) in sources(
            scope, first, last, as_recorded=as_recorded
        ).items():
            responses[name] = client.get(f"{settings.base_url(service)}{path}", params=query)
    answers = {name: _ok(response) for name, response in responses.items()}
    support_as_of = _moment(responses["support"].headers.get(AS_OF_HEADER))
    return assemble(scope, first, last, answers, support_as_of=support_as_of)


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def vietnam_time(moment: datetime | None) -> str:
    """dd/MM/yyyy HH:mm:ss in Vietnam's time; a dash while no event has happened."""
    if moment is None:
        return "—"
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S")


def _ok(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        raise SystemExit(f"{response.request.url}: {response.status_code} {response.text}")
    return response.json()


def show(report: Report, console: Console) -> None:
    title = f"{report.scope_title}, {report.first}–{report.last}"
    table = Table(title=f"Bình chọn sản phẩm CNNT tiêu biểu — {title}")
    for i, header in enumerate(RECOGNITION_HEADERS):
        table.add_column(header, justify="right" if i > 1 else "left")
    for row in report.recognition_rows():
        table.add_row(*(str(c) for c in row), style="bold" if "–" in str(row[1]) else None)
    console.print(table)
    support = Table(title=f"Khuyến công — {title}", expand=False)
    for i, header in enumerate(SUPPORT_HEADERS):
        support.add_column(header, justify="right" if i > 1 else "left")
    for row in report.support_rows():
        support.add_row(
            *(f"{c:,}".replace(",", ".") if isinstance(c, int) else str(c) for c in row)
        )
    console.print(support)
    console.print(report.freshness_line())


def csv_paths(path: Path) -> tuple[Path, Path]:
    """One table per CSV file: ``r.csv`` becomes ``r-cong-nhan.csv`` (recognition) and
    ``r-khuyen-cong.csv`` (support)."""
    stem = path.with_suffix("")
    return stem.with_name(f"{stem.name}-cong-nhan.csv"), stem.with_name(
        f"{stem.name}-khuyen-cong.csv"
    )


def _write_table(path: Path, headers: list[str], rows: list[list[Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def write_csv(report: Report, path: Path) -> list[Path]:
    recognition, support = csv_paths(path)
    _write_table(recognition, RECOGNITION_HEADERS, report.recognition_rows())
    _write_table(support, SUPPORT_HEADERS, report.support_rows())
    return [recognition, support]


MONEY_COLUMNS = 4  # the last four support columns are whole VND


def _sheet(sheet: Worksheet, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    """A titled table: the title on row 1, bold headers on row 2 frozen above the rows,
    columns as wide as their longest text, money as ``#,##0``."""
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A3"
    money_from = len(headers) - MONEY_COLUMNS + 1 if headers is SUPPORT_HEADERS else None
    for i, header in enumerate(headers, 1):
        money = money_from is not None and i >= money_from
        shown = [f"{r[i - 1]:,}" if money else str(r[i - 1]) for r in rows]
        width = max([len(header), *(len(text) for text in shown)])
        sheet.column_dimensions[get_column_letter(i)].width = min(60, width + 2)
        if money:
            for (cell,) in sheet.iter_rows(min_row=3, min_col=i, max_col=i):
                cell.number_format = "#,##0"


def write_xlsx(report: Report, path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Công nhận"
    period = f"{report.first}–{report.last}"
    _sheet(
        sheet,
        f"Bình chọn sản phẩm CNNT tiêu biểu — {report.scope_title}, {period}",
        RECOGNITION_HEADERS,
        report.recognition_rows(),
    )
    _sheet(
        book.create_sheet("Khuyến công"),
        f"Khuyến công — {report.scope_title}, {period}",
        SUPPORT_HEADERS,
        report.support_rows(),
    )
    book.save(path)


def write_chart(report: Report, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    years = list(range(report.first, report.last + 1))
    fig, ax = plt.subplots(figsize=(9, 4.8), dpi=120)
    width = 0.27
    for i, level in enumerate(("provincial", "regional", "national")):
        counts = {r["year"]: r["recognised"] for r in report.by_year if r["level"] == level}
        bars = ax.bar(
            [y + (i - 1) * width for y in years],
            [counts.get(y, 0) for y in years],
            width,
            label=LEVEL_NAMES[level],
        )
        ax.bar_label(bars, labels=[str(counts.get(y, "")) if counts.get(y) else "" for y in years])
    ax.set_xticks(years)
    ax.set_ylabel("Sản phẩm được công nhận")
    title = f"Sản phẩm CNNT tiêu biểu được công nhận — {report.scope_title}"
    ax.set_title("\n".join(textwrap.wrap(title, 90)), fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
