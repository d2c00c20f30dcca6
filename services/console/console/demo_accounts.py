"""The demo's accounts: one per role, with a demo-only password, for `make demo`."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_tools.cli.scenario import DEMO_JUDGE_ACCOUNT, JUDGES
from console.adapters.tables import accounts
from console.service_layer.accounts import create_account

DEMO_PASSWORD = "cnnt-demo-2026"  # noqa: S105 - printed by the demo; never for real data
# username, role, scope, full name, fixed id (the judge's: the demo's juries name it)
DEMO_ACCOUNTS: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("sct.daklak", "province_officer", "dak-lak", "Cán bộ Sở Công Thương Đắk Lắk", None),
    ("giamkhao.ha", "judge", "dak-lak", JUDGES[0], DEMO_JUDGE_ACCOUNT),
    ("congnhan", "certifier", "VN", "Cán bộ công nhận", None),
    ("khuyencong.daklak", "support_officer", "dak-lak", "Trung tâm Khuyến công Đắk Lắk", None),
    ("bo.congthuong", "ministry", "VN", "Bộ Công Thương", None),
    ("vanhanh", "operator", "VN", "Cán bộ vận hành", None),
)


async def ensure_demo_accounts(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        existing = set((await conn.execute(select(accounts.c.username))).scalars())
    for username, role, scope, name, fixed in DEMO_ACCOUNTS:
        if username in existing:
            continue
        await create_account(
            engine,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            scope=scope,
            display_name=name,
            actor="demo",
            account_id=UUID(fixed) if fixed else None,
        )
