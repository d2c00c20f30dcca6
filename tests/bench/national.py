"""The synthetic national cycle's set-up: one provincial round per current province, its dossier
list imported through registration's bulk import, and its jury formed through evaluation."""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

import httpx
from rich.progress import Progress

from cnnt_runtime.auth import Role
from cnnt_runtime.reference import units
from cnnt_runtime.settings import Settings
from tests.bench.api import Probe, body, bounded, dead_letter_count, headers
from tests.support.identifiers import tax_code

HEADER = [
    "business_code", "facility_name", "facility_kind", "province_code", "address", "phone",
    "email", "product_name", "product_group", "is_set", "description", "self_produced",
    "no_ip_infringement", "meets_standards", "mass_producible",
]  # fmt: skip
_CYCLES = itertools.count(1)
GROUPS = ["handicraft", "agro_food", "machinery", "other"]


@dataclass
class Round:
    province: str
    id: str = ""
    entries: list[str] = field(default_factory=list)
    judges: list[dict[str, str]] = field(default_factory=list)  # Authorization headers


def dossier_list(run: str, province: str, count: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, HEADER)
    writer.writeheader()
    for n in range(count):
        writer.writerow(
            {
                "business_code": tax_code(f"{run}-{province}-{n}"),
                "facility_name": f"Cơ sở làng nghề Đồng Tháp số {n}",
                "facility_kind": "cooperative",
                "province_code": province,
                "address": "Sa Đéc",
                "phone": f"0277{n:06d}",
                "email": "",
                "product_name": f"Bánh phồng tôm Sa Giang – mẫu {n}",
                "product_group": GROUPS[n % 4],
                "is_set": "no",
                "description": "Đặc sản miền Tây",
                "self_produced": "yes",
                "no_ip_infringement": "yes",
                "meets_standards": "yes",
                "mass_producible": "yes",
            }
        )
    return buffer.getvalue().encode("utf-8")


def provinces(count: int) -> list[str]:
    codes = sorted(units())
    if count > len(codes):
        raise SystemExit(f"--provinces at most {len(codes)} (the current provincial units)")
    return codes[:count]


async def _open_and_import(
    registration: httpx.AsyncClient, settings: Settings, round_: Round, run: str, entries: int
) -> None:
    officer = headers(settings, Role.PROVINCE_OFFICER, round_.province)
    today = datetime.now(UTC).date()
    created = body(
        await registration.post(
            "/api/v1/rounds",
            json={
                "name": f"Bình chọn sản phẩm CNNT tiêu biểu – {round_.province}",
                "level": "provincial",
                "scope_code": round_.province,
                "year": today.year,
                "opens_on": str(today - timedelta(days=1)),
                "closes_on": str(today + timedelta(days=30)),
            },
            headers=officer,
        )
    )
    round_.id = created["id"]
    body(await registration.post(f"/api/v1/rounds/{round_.id}/open", headers=officer))
    upload = {"file": ("ho-so.csv", dossier_list(run, round_.province, entries), "text/csv")}
    report = body(
        await registration.post(
            f"/api/v1/rounds/{round_.id}/imports?dry_run=false", files=upload, headers=officer
        )
    )
    if report["accepted"] != entries:
        raise RuntimeError(f"{round_.province}: import accepted {report['accepted']} of {entries}")
    # Registration closes: evaluation forms a jury only on the final list of entries.
    body(await registration.post(f"/api/v1/rounds/{round_.id}/close", headers=officer), 200)


async def _form_jury(
    evaluation: httpx.AsyncClient, settings: Settings, round_: Round, size: int
) -> None:
    officer = headers(settings, Role.PROVINCE_OFFICER, round_.province)
    members = [
        {
            "name": f"Thành viên {i + 1} – Nguyễn Thị Hằng",
            "title": "Chuyên viên",
            "organisation": "Sở Công Thương",
            "is_chair": i == 0,
        }
        for i in range(size)
    ]
    jury = body(
        await evaluation.post(
            f"/api/v1/rounds/{round_.id}/jury", json={"members": members}, headers=officer
        )
    )
    round_.judges = [
        headers(settings, Role.JUDGE, m["id"], subject=f"judge:{m['id']}") for m in jury["members"]
    ]
    seen = body(
        await evaluation.get(
            f"/api/v1/rounds/{round_.id}/entries", headers=headers(settings, Role.MINISTRY)
        )
    )
    round_.entries = [e["id"] for e in seen]


async def set_up(
    settings: Settings,
    registration: httpx.AsyncClient,
    evaluation: httpx.AsyncClient,
    progress: Progress,
    *,
    provinces_: int,
    entries: int,
    jury: int,
) -> list[Round]:
    run = f"b{next(_CYCLES)}"  # its own business codes: the bench's stack is its own
    rounds = [Round(p) for p in provinces(provinces_)]
    task = progress.add_task("rounds opened, dossier lists imported", total=len(rounds))

    async def prepare(r: Round) -> None:
        await _open_and_import(registration, settings, r, run, entries)
        progress.advance(task)

    await bounded(4, [partial(prepare, r) for r in rounds])
    total = len(rounds) * entries
    for service in ("evaluation", "certification"):
        seen = progress.add_task(f"entries known to {service}", total=total)
        async with Probe(settings, service, dead_letter_count(settings)) as probe:
            await probe.until(
                f"SELECT count(*) FROM {service}.entries",
                total,
                on_value=lambda v: progress.update(seen, completed=v),  # noqa: B023 - awaited here
            )
    async with Probe(settings, "evaluation", dead_letter_count(settings)) as probe:
        await probe.until(
            "SELECT count(*) FROM evaluation.rounds WHERE expected_entries IS NOT NULL",
            len(rounds),
        )
    juries = progress.add_task("juries formed", total=len(rounds))

    async def form(r: Round) -> None:
        await _form_jury(evaluation, settings, r, jury)
        progress.advance(juries)

    await bounded(8, [partial(form, r) for r in rounds])
    return rounds
