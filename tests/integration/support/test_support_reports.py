"""The support report from the service's own data: the seeds' 2016 regional fair in Đắk Lắk
(1,056 million VND national funds plus 1,044 million counterpart funds) reports exactly those
totals, as JSON, CSV and XLSX; earlier provinces roll up under their 2025 unit.

The whole run shares one database, so the support tests each use their own scheme years and the
reports here ask only for the years these tests own (2016, 2012)."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
from openpyxl import load_workbook

from cnnt_runtime.settings import Settings
from tests.support.khuyen_cong import apply, key, officer, open_scheme
from tests.support.scenario import ok
from tests.support.stack import running_service

FAIR_NATIONAL = 1_056_000_000
FAIR_COUNTERPART = 1_044_000_000
FAIR_TITLE = "Hội chợ triển lãm hàng CNNT tiêu biểu khu vực miền Trung – Tây Nguyên năm 2016"


async def _report(
    client: httpx.AsyncClient, settings: Settings, fmt: str, **params: Any
) -> httpx.Response:
    response = await client.get(
        "/api/v1/reports/support",
        params={"format": fmt, **params},
        headers=officer(settings, "VN"),
    )
    assert response.status_code == 200, response.text
    return response


async def test_the_seeds_regional_fair_reports_exactly_its_national_and_counterpart_funds(
    stack: Settings,
) -> None:
    async with running_service("support", stack) as client:
        fair = await open_scheme(
            client,
            stack,
            "dak-lak",
            {"national": FAIR_NATIONAL, "counterpart": FAIR_COUNTERPART},
            year=2016,
            kind="trade_fair",
            title=FAIR_TITLE,
        )
        # Three exhibitors share the fair's funds; the run spends both sources to the đồng.
        for name in ("HTX Dệt thổ cẩm Buôn Đôn", "Cơ sở Cà phê Ea Tu", "Cơ sở Rượu cần Lắk"):
            await apply(
                client,
                stack,
                fair["id"],
                "dak-lak",
                {"national": FAIR_NATIONAL // 3, "counterpart": FAIR_COUNTERPART // 3},
                name=name,
            )
        run = ok(
            await client.post(
                f"/api/v1/schemes/{fair['id']}/allocation-runs",
                json={},
                headers={**officer(stack, "dak-lak"), **key()},
            )
        )
        assert len(run["grants"]) == 3
        assert fair["title"] == FAIR_TITLE
        assert {d["facility_name"] for d in run["decisions"]} == {
            "HTX Dệt thổ cẩm Buôn Đôn",
            "Cơ sở Cà phê Ea Tu",
            "Cơ sở Rượu cần Lắk",
        }
        params = {"from_year": 2016, "to_year": 2016, "province": "dak-lak"}
        rows = (await _report(client, stack, "json", **params)).json()
        as_csv = (await _report(client, stack, "csv", **params)).content
        as_xlsx = (await _report(client, stack, "xlsx", **params)).content

    assert [(r["province_code"], r["kind"]) for r in rows] == [
        ("dak-lak", "trade_fair"),
        ("dak-lak", "all"),
    ]
    fair_row = rows[0]
    assert fair_row["province_name"] == "Đắk Lắk"
    assert fair_row["schemes"] == 1
    assert fair_row["facilities_supported"] == 3
    assert fair_row["granted_national"] == fair_row["budget_national"] == 1_056_000_000
    assert fair_row["granted_counterpart"] == fair_row["budget_counterpart"] == 1_044_000_000
    assert fair_row["granted_local"] == 0
    assert fair_row["granted_total"] == 2_100_000_000

    table = list(csv.DictReader(io.StringIO(as_csv.decode("utf-8-sig"))))
    assert table[0]["Tỉnh/thành phố"] == "Đắk Lắk"
    assert table[0]["Đã hỗ trợ từ khuyến công quốc gia (đồng)"] == "1056000000"
    assert table[0]["Đã hỗ trợ từ đối ứng (đồng)"] == "1044000000"

    sheet = load_workbook(io.BytesIO(as_xlsx)).active
    assert sheet is not None
    header, first, *_ = list(sheet.iter_rows(values_only=True))
    cells = dict(zip(header, first, strict=True))
    assert cells["Tỉnh/thành phố"] == "Đắk Lắk"
    assert cells["Đã hỗ trợ từ khuyến công quốc gia (đồng)"] == 1_056_000_000
    assert cells["Đã hỗ trợ từ đối ứng (đồng)"] == 1_044_000_000
    assert cells["Loại đề án"] == "Hội chợ, triển lãm"  # people read the kind, not its code
    assert table[0]["Loại đề án"] == "Hội chợ, triển lãm"
    money = list(header).index("Tổng đã hỗ trợ (đồng)") + 1
    assert sheet.cell(row=2, column=money).number_format == "#,##0"
    assert sheet.freeze_panes == "A2"
    letter = sheet.cell(row=1, column=money).column_letter
    assert sheet.column_dimensions[letter].width >= len("Tổng đã hỗ trợ (đồng)")


async def test_a_scheme_of_an_earlier_province_reports_under_its_2025_unit(
    stack: Settings,
) -> None:
    async with running_service("support", stack) as client:
        scheme = await open_scheme(
            client, stack, "bac-kan", {"local": 300_000_000}, year=2012, kind="showroom"
        )
        app = await apply(client, stack, scheme["id"], "bac-kan", {"local": 300_000_000})
        ok(
            await client.post(
                f"/api/v1/applications/{app['id']}/grant",
                json={},
                headers={**officer(stack, "thai-nguyen"), **key()},
            )
        )
        await open_scheme(client, stack, "dak-lak", {"local": 5}, year=2012)
        by_old_name = (
            await _report(client, stack, "json", from_year=2012, to_year=2012, province="bac-kan")
        ).json()
        everywhere = (await _report(client, stack, "json", from_year=2012, to_year=2012)).json()
        period = {"from_year": 2012, "to_year": 2012, "as_recorded": "true"}
        as_recorded = (await _report(client, stack, "json", **period, province="bac-kan")).json()
        successor_alone = (
            await _report(client, stack, "json", **period, province="thai-nguyen")
        ).json()

    assert [(r["province_code"], r["kind"], r["granted_local"]) for r in by_old_name] == [
        ("thai-nguyen", "showroom", 300_000_000),
        ("thai-nguyen", "all", 300_000_000),
    ]
    assert by_old_name[0]["province_name"] == "Thái Nguyên"
    assert [(r["province_code"], r["province_name"], r["kind"]) for r in as_recorded] == [
        ("bac-kan", "Bắc Kạn", "showroom"),
        ("bac-kan", "Bắc Kạn", "all"),
    ]
    assert successor_alone == []  # Thái Nguyên as recorded ran no scheme that year
    assert {r["province_code"] for r in everywhere} == {"thai-nguyen", "dak-lak"}
