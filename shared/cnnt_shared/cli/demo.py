"""``cnnt demo``: start the four services and drive a round through their public HTTP APIs.

Only HTTP calls a province officer or the ministry could make; nothing reaches into a service's
database. The full programme cycle (regional and national rounds, juries, decisions, support)
grows here as the services gain those APIs.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from cnnt_shared.settings import Settings
from cnnt_shared.tokens import Role, issue_token

console = Console()

DECLARED = dict.fromkeys(
    ("self_produced", "no_ip_infringement", "meets_standards", "mass_producible"), True
)
DAK_LAK = "dak-lak"
PRODUCTS = [
    ("HTX Nông nghiệp Công bằng Ea Kiết", "Cà phê bột nguyên chất Buôn Ma Thuột", "agro_food"),
    ("HTX Dệt thổ cẩm Đắk Lắk", "Khăn thổ cẩm Ê Đê", "handicraft"),
    ("Cơ sở Rượu cần Ama Kông", "Rượu cần Buôn Đôn", "agro_food"),
]


class Api:
    def __init__(self, settings: Settings, service: str, role: Role, scope: str) -> None:
        token = issue_token(settings, subject=f"demo:{role.value}", role=role, scope=scope)
        self.client = httpx.Client(
            base_url=settings.base_url(service),
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )

    def post(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.client.post(path, json=body)
        if response.status_code >= 400:
            raise SystemExit(f"POST {path} failed: {response.status_code} {response.text}")
        result: dict[str, Any] = response.json()
        return result

    def get(self, path: str) -> Any:
        response = self.client.get(path)
        response.raise_for_status()
        return response.json()


def drive(settings: Settings) -> None:
    officer = Api(settings, "registration", Role.PROVINCE_OFFICER, DAK_LAK)
    judge_view = Api(settings, "evaluation", Role.MINISTRY, "VN")
    today = datetime.now(UTC).date()
    with console.status("opening a provincial round in Đắk Lắk") as status:
        round_ = officer.post(
            "/api/v1/rounds",
            {
                "name": "Bình chọn sản phẩm CNNT tiêu biểu tỉnh Đắk Lắk",
                "level": "provincial",
                "scope_code": DAK_LAK,
                "year": today.year,
                "opens_on": str(today - timedelta(days=1)),
                "closes_on": str(today + timedelta(days=30)),
            },
        )
        officer.post(f"/api/v1/rounds/{round_['id']}/open")
        entries = []
        for facility_name, product_name, group in PRODUCTS:
            status.update(f"registering {product_name}")
            facility = officer.post(
                "/api/v1/facilities",
                {
                    "name": facility_name,
                    "kind": "cooperative",
                    "business_code": f"60{uuid.uuid4().int % 10**8:08d}",
                    "province_code": DAK_LAK,
                },
            )
            product = officer.post(
                "/api/v1/products",
                {"facility_id": facility["id"], "name": product_name, "group": group},
            )
            entries.append(
                officer.post(
                    f"/api/v1/rounds/{round_['id']}/entries",
                    {"product_id": product["id"], "declarations": DECLARED},
                )
            )
        status.update("waiting for evaluation to receive the entries (ProductRegistered)")
        deadline = time.monotonic() + 90
        seen: list[dict[str, Any]] = []
        while len(seen) < len(entries) and time.monotonic() < deadline:
            seen = judge_view.get(f"/api/v1/rounds/{round_['id']}/entries")
            time.sleep(0.2)
    table = Table(title=f"{round_['name']} — entries as evaluation sees them")
    table.add_column("#", justify="right")
    table.add_column("product")
    table.add_column("facility")
    table.add_column("group")
    for n, entry in enumerate(seen, 1):
        table.add_row(str(n), entry["product_name"], entry["facility_name"], entry["product_group"])
    console.print(table)
    if len(seen) != len(entries):
        raise SystemExit(f"evaluation saw {len(seen)} of {len(entries)} entries")


def where_to_look(settings: Settings, services: tuple[str, ...]) -> None:
    table = Table(title="Where to look next")
    table.add_column("service")
    table.add_column("API docs (OpenAPI)")
    table.add_column("events (AsyncAPI)")
    for name in services:
        base = settings.base_url(name)
        table.add_row(name, f"{base}/docs", f"{base}/asyncapi")
    console.print(table)
