"""``cnnt report``: the figures a province (or region, or the nation) publishes for a period,
gathered from the services' report APIs — recognition from registration's records, support
from the support service — as terminal tables, CSV, XLSX and a PNG chart."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from openpyxl import Workbook
from rich.console import Console
from rich.table import Table

from cnnt_shared.contracts.vocabulary import NATION_SCOPE, Region
from cnnt_shared.db.freshness import AS_OF_HEADER
from cnnt_shared.settings import Settings
from cnnt_shared.tokens import Role, issue_token

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
LEVEL_NAMES = {"provincial": "Cấp tỉnh", "regional": "Cấp khu vực", "national": "Cấp quốc gia"}
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
KIND_NAMES = {
    "machinery": "Máy móc, thiết bị",
    "trade_fair": "Hội chợ, triển lãm",
    "showroom": "Phòng trưng bày",
    "training": "Đào tạo",
    "technology_transfer": "Chuyển giao công nghệ",
    "cleaner_production": "Sản xuất sạch hơn",
    "branding_packaging": "Thương hiệu, bao bì",
    "ecommerce": "Thương mại điện tử",
    "all": "Tổng cộng",
}


@dataclass
class Report:
    scope: str
    scope_name: str
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


def gather(settings: Settings, scope: str, first: int, last: int) -> Report:
    token = issue_token(settings, subject="cnnt-report", role=Role.MINISTRY, scope=NATION_SCOPE)
    headers = {"Authorization": f"Bearer {token}"}
    period = {"from_year": first, "to_year": last}
    with httpx.Client(headers=headers, timeout=60) as client:
        recognition = _ok(
            client.get(
                f"{settings.base_url('registration')}/api/v1/reports/recognition",
                params={"scope": scope, **period},
            )
        )
        regions = _ok(client.get(f"{settings.base_url('registration')}/api/v1/province-regions"))
        one_province = scope not in {NATION_SCOPE, *(r.value for r in Region)}
        support_response = client.get(
            f"{settings.base_url('support')}/api/v1/reports/support",
            params={**period, **({"province": scope} if one_province else {})},
        )
        support = _ok(support_response)
    if scope in {r.value for r in Region}:
        units = {r["unit_code"] for r in regions if r["region"] == scope}
        support = [row for row in support if row.get("province_code") in units]
    return Report(
        scope,
        recognition["scope_name"],
        first,
        last,
        recognition["levels"],
        recognition["by_year"],
        support,
        _moment(recognition.get("as_of")),
        _moment(support_response.headers.get(AS_OF_HEADER)),
    )


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
    title = f"{report.scope_name}, {report.first}–{report.last}"
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


def write_csv(report: Report, path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(RECOGNITION_HEADERS)
    writer.writerows(report.recognition_rows())
    writer.writerow([])
    writer.writerow(SUPPORT_HEADERS)
    writer.writerows(report.support_rows())
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def write_xlsx(report: Report, path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Công nhận"
    for row in [RECOGNITION_HEADERS, *report.recognition_rows()]:
        sheet.append(row)
    support = book.create_sheet("Khuyến công")
    for row in [SUPPORT_HEADERS, *report.support_rows()]:
        support.append(row)
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
    ax.set_title(f"Sản phẩm CNNT tiêu biểu được công nhận — {report.scope_name}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
