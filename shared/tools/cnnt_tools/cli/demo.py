"""``cnnt demo``: drive the programme of ``scenario`` through the services' public HTTP APIs —
what province officers, the ministry, jury members, certifiers and support officers would do.
Nothing here reaches into a service's database."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

import httpx
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from cnnt_contracts.vocabulary import NATION_SCOPE
from cnnt_runtime.db.freshness import RECEIVED_AS_OF_HEADER
from cnnt_runtime.settings import Settings
from cnnt_runtime.tokens import Role, issue_token
from cnnt_tools.cli.scenario import DEMO_JUDGE_ACCOUNT, JUDGES, Entry, Plan, RoundPlan, Scheme

console = Console()
DECLARED = dict.fromkeys(
    ("self_produced", "no_ip_infringement", "meets_standards", "mass_producible"), True
)
JUDGE_OFFSETS = [Decimal(-1), Decimal("-0.5"), Decimal(0), Decimal("0.5"), Decimal(1)]
PATIENCE = 90.0  # seconds to wait for an event to reach another service


class DemoError(RuntimeError):
    pass


def sheet(mean: Decimal, offset: Decimal) -> dict[str, str]:
    """Split a judge's total (mean + offset) over the 40/40/10/10 criteria in half points."""
    total = mean + offset

    def half(x: Decimal) -> Decimal:
        return (x * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2

    market = technical = min(Decimal(40), half(total * Decimal("0.4")))
    culture = min(Decimal(10), half(total * Decimal("0.1")))
    other = total - market - technical - culture
    if other > 10:
        culture, other = culture + other - 10, Decimal(10)
    return {
        "market": str(market),
        "technical": str(technical),
        "culture": str(culture),
        "other": str(other),
    }


@dataclass
class Summary:
    """What the cycle produced, for the report and for comparing runs."""

    rounds: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    grants: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


class Programme:
    #: Each judge saves their whole worklist in one request, as the console does. Sheet by
    #: sheet instead (one request each) for a driver that must interleave work with the stream
    #: (the compose smoke run restarts the broker mid-stream).
    worklist_in_one_request = True

    def __init__(self, settings: Settings, plan: Plan, progress: Progress) -> None:
        self.settings = settings
        self.plan = plan
        self.progress = progress
        # Generous: a loaded 2-core machine can stall a request for a while; the demo waits.
        # Idle connections are dropped before uvicorn's 5 s keep-alive ends: a connection left
        # idle while juries score would otherwise be reused just as the server closes it.
        self.http = httpx.AsyncClient(timeout=120, limits=httpx.Limits(keepalive_expiry=2.0))
        self.ids: dict[str, str] = {}  # facility / product key -> id in registration
        self.limit = asyncio.Semaphore(8)
        self.summary = Summary()
        self.last_decision_at = ""  # when the latest decision was recorded (RFC 3339)

    def token(self, role: Role, scope: str) -> dict[str, str]:
        token = issue_token(
            self.settings, subject=f"demo:{role.value}:{scope}", role=role, scope=scope
        )
        return {"Authorization": f"Bearer {token}"}

    async def call(
        self, method: str, service: str, path: str, auth: dict[str, str], **kw: Any
    ) -> Any:
        async with self.limit:
            response = await self.http.request(
                method,
                f"{self.settings.base_url(service)}/api/v1{path}",
                headers={**auth, **kw.pop("headers", {})},
                **kw,
            )
        if response.status_code >= 400:
            raise DemoError(f"{method} {service}{path}: {response.status_code} {response.text}")
        return response.json()

    async def reading(self, service: str, path: str, auth: dict[str, str]) -> Any:
        """A GET whose round the service may not know yet: None until one of the round's
        events has reached it (it then holds none of the round), any other error raised."""
        async with self.limit:
            response = await self.http.get(
                f"{self.settings.base_url(service)}/api/v1{path}", headers=auth
            )
        if response.status_code == 404 and '"round_not_found"' in response.text:
            return None
        if response.status_code >= 400:
            raise DemoError(f"GET {service}{path}: {response.status_code} {response.text}")
        return response.json()

    async def until(self, what: str, check: Any) -> Any:
        deadline = asyncio.get_running_loop().time() + PATIENCE
        while not (value := await check()):
            if asyncio.get_running_loop().time() > deadline:
                raise DemoError(f"gave up waiting for {what}")
            await asyncio.sleep(0.2)
        return value

    async def run(self) -> Summary:
        try:
            await self.catalogue()
            rounds = self.progress.add_task(
                "rounds judged and decided", total=len(self.plan.rounds)
            )
            sheets = sum(len(r.entries) for r in self.plan.rounds) * self.plan.jury_size
            self.sheets = self.progress.add_task("score sheets submitted", total=sheets)
            for plan_round in self.plan.rounds:
                await self.round(plan_round)
                self.progress.advance(rounds)
            await self.until("support to learn the recognitions", self.support_knows_recognitions)
            schemes = self.progress.add_task(
                "support schemes allocated", total=len(self.plan.schemes)
            )
            for scheme in self.plan.schemes:
                await self.support(scheme)
                self.progress.advance(schemes)
        finally:
            await self.http.aclose()
        return self.summary

    async def catalogue(self) -> None:
        task = self.progress.add_task(
            "facilities and products registered",
            total=len(self.plan.facilities) + len(self.plan.products),
        )

        async def facility(f: Any) -> None:
            body = {
                "name": f.name,
                "kind": f.kind,
                "business_code": f.business_code,
                "province_code": f.province,
            }
            self.ids[f.key] = (
                await self.call(
                    "POST",
                    "registration",
                    "/facilities",
                    self.token(Role.PROVINCE_OFFICER, f.province),
                    json=body,
                )
            )["id"]
            self.progress.advance(task)

        async def product(p: Any) -> None:
            body = {"facility_id": self.ids[p.facility.key], "name": p.name, "group": p.group}
            self.ids[p.key] = (
                await self.call(
                    "POST",
                    "registration",
                    "/products",
                    self.token(Role.PROVINCE_OFFICER, p.facility.province),
                    json=body,
                )
            )["id"]
            self.progress.advance(task)

        await asyncio.gather(*(facility(f) for f in self.plan.facilities))
        await asyncio.gather(*(product(p) for p in self.plan.products))

    async def round(self, plan: RoundPlan) -> None:
        ministry = self.token(Role.MINISTRY, NATION_SCOPE)
        settings = {"quota": plan.quota}
        body = {
            "name": plan.name,
            "level": plan.level,
            "scope_code": plan.scope,
            "year": plan.year,
            "opens_on": str(plan.opens_on),
            "closes_on": str(plan.closes_on),
            "settings": settings,
        }
        round_id = (await self.call("POST", "registration", "/rounds", ministry, json=body))["id"]
        await self.call("POST", "registration", f"/rounds/{round_id}/open", ministry)
        entry_ids = await asyncio.gather(*(self.enter(round_id, plan, e) for e in plan.entries))
        await self.call("POST", "registration", f"/rounds/{round_id}/close", ministry)

        # Completeness signals, not guesses: evaluation says when it holds every entry
        # registration closed with, certification when its tally is what judging closed with.
        async def entries_complete() -> bool:
            progress = await self.reading("evaluation", f"/rounds/{round_id}/progress", ministry)
            return bool(progress and progress["entries_complete"])

        await self.until(f"evaluation to hold the entries of {plan.name}", entries_complete)
        members = [
            {
                "name": JUDGES[i],
                "title": "Thành viên Hội đồng bình chọn",
                "organisation": "Sở Công Thương"
                if plan.level == "provincial"
                else "Bộ Công Thương",
                "is_chair": i == 0,
                "account_id": DEMO_JUDGE_ACCOUNT if i == 0 else None,
            }
            for i in range(self.plan.jury_size)
        ]
        jury = await self.call(
            "POST", "evaluation", f"/rounds/{round_id}/jury", ministry, json={"members": members}
        )
        judges = [m["id"] for m in jury["members"]]

        async def score(judge: str, offset: Decimal) -> None:
            """The judge's whole worklist in one request, as a judge saves it in the console;
            each sheet keeps its own request id, so a retry stores nothing twice."""
            sheets = [
                {
                    "entry_id": entry_id,
                    "scores": sheet(entry.mean, offset),
                    "request_id": f"{judge}:{entry_id}",
                }
                for entry_id, entry in zip(entry_ids, plan.entries, strict=True)
            ]
            token = self.token(Role.JUDGE, judge)
            if not self.worklist_in_one_request:
                for body in sheets:
                    await self.call("POST", "evaluation", "/score-sheets", token, json=body)
                    self.progress.advance(self.sheets)
                return
            answer = await self.call(
                "POST", "evaluation", "/score-sheets/batch", token, json={"sheets": sheets}
            )
            if answer["refused"]:
                raise DemoError(f"score sheets refused in {plan.name}: {answer['results']}")
            self.progress.advance(self.sheets, len(sheets))

        await asyncio.gather(
            *(score(j, JUDGE_OFFSETS[i % len(JUDGE_OFFSETS)]) for i, j in enumerate(judges))
        )
        await self.call(
            "POST", "evaluation", f"/rounds/{round_id}/close-judging", ministry, json={}
        )

        async def tallied() -> bool:
            tally = await self.reading("certification", f"/rounds/{round_id}/tally", ministry)
            return bool(tally and tally["complete"])

        await self.until(f"certification to tally {plan.name}", tallied)
        decision = {
            "number": plan.decision,
            "decided_on": str(plan.decided_on),
            "signatory_title": plan.signatory_title,
            "signatory_name": plan.signatory_name,
        }
        issued = await self.call(
            "POST", "certification", f"/rounds/{round_id}/decision", ministry, json=decision
        )
        self.last_decision_at = str(issued["recorded_at"])
        await self.until(
            f"registration to record the recognitions of {plan.name}",
            lambda: self.recognitions_recorded(plan, len(issued["certificates"])),
        )
        results = await self.call("GET", "certification", f"/rounds/{round_id}/results", ministry)
        self.summary.rounds[plan.name] = [
            {
                k: line[k]
                for k in (
                    "product_name",
                    "facility_name",
                    "rank",
                    "mean",
                    "outcome",
                    "reason",
                    "certificate_number",
                )
            }
            for line in results
        ]

    async def enter(self, round_id: str, plan: RoundPlan, entry: Entry) -> str:
        body = {
            "product_id": self.ids[entry.product.key],
            "declarations": DECLARED,
            "registered_on": str(plan.registered_on),
        }
        ministry = self.token(Role.MINISTRY, NATION_SCOPE)
        # The prior recognition is already recorded: each round waits for registration to
        # record its recognitions before the next one opens.
        created = await self.call(
            "POST", "registration", f"/rounds/{round_id}/entries", ministry, json=body
        )
        return str(created["id"])

    async def recognitions_recorded(self, plan: RoundPlan, issued: int) -> bool:
        """Registration's report counts the round's recognitions (one round per level, scope
        and year in the plan): the news of every certificate issued has reached it."""
        report = await self.call(
            "GET",
            "registration",
            "/reports/recognition",
            self.token(Role.MINISTRY, NATION_SCOPE),
            params={"scope": plan.scope, "from_year": plan.year, "to_year": plan.year},
        )
        counted = {row["level"]: row["recognised"] for row in report["levels"]}
        return bool(counted.get(plan.level, 0) == issued)

    async def support_knows_recognitions(self) -> bool:
        """Support has taken in recognitions up to the last decision (they give priority)."""
        async with self.limit:
            response = await self.http.get(
                f"{self.settings.base_url('support')}/api/v1/reports/support",
                params={"from_year": 2000, "to_year": 2000},
                headers=self.token(Role.MINISTRY, NATION_SCOPE),
            )
        if response.status_code >= 400:
            raise DemoError(f"GET support/reports/support: {response.status_code} {response.text}")
        received = response.headers.get(RECEIVED_AS_OF_HEADER)
        return bool(
            received
            and datetime.fromisoformat(received) >= datetime.fromisoformat(self.last_decision_at)
        )

    async def known_to_support(self, key: str) -> bool:
        """Support takes applications only from facilities it learnt of from registration."""
        url = f"{self.settings.base_url('support')}/api/v1/facilities/{self.ids[key]}"
        async with self.limit:
            response = await self.http.get(url, headers=self.token(Role.MINISTRY, "VN"))
        return response.status_code == 200

    async def support(self, scheme: Scheme) -> None:
        officer = self.token(Role.SUPPORT_OFFICER, scheme.scope)
        body = {
            "code": scheme.code,
            "title": scheme.title,
            "kind": scheme.kind,
            "year": scheme.year,
            "scope_code": scheme.scope,
            "budget": scheme.budget,
        }
        scheme_id = (await self.call("POST", "support", "/schemes", officer, json=body))["id"]
        await self.call("POST", "support", f"/schemes/{scheme_id}/open", officer)
        for facility in scheme.applicants:
            await self.until(
                f"support to know {facility.name}", partial(self.known_to_support, facility.key)
            )
            application = {
                "facility_id": self.ids[facility.key],
                "facility_name": facility.name,
                "province_code": facility.province,
                "purpose": scheme.title,
                "asked": scheme.asked,
            }
            await self.call(
                "POST", "support", f"/schemes/{scheme_id}/applications", officer, json=application
            )
        plan = await self.call(
            "GET", "support", f"/schemes/{scheme_id}/allocation-preview", officer
        )
        run = await self.call(
            "POST",
            "support",
            f"/schemes/{scheme_id}/allocation-runs",
            officer,
            json={"expected_digest": plan["digest"]},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        key_of = {v: k for k, v in self.ids.items()}  # compare runs by plan key, not by id
        self.summary.grants[scheme.code] = sorted(
            (key_of[g["facility_id"]], g["total"]) for g in run["grants"]
        )


async def drive(settings: Settings, plan: Plan, quiet: bool = False) -> Summary:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, disable=quiet) as progress:
        return await Programme(settings, plan, progress).run()


def where_to_look(settings: Settings, services: tuple[str, ...]) -> None:
    table = Table(title="Where to look next")
    table.add_column("service")
    table.add_column("API docs (OpenAPI)")
    table.add_column("events (AsyncAPI)")
    for name in services:
        base = settings.base_url(name)
        table.add_row(name, f"{base}/docs", f"{base}/asyncapi")
    console.print(table)
    console.print(
        "RabbitMQ management UI: http://127.0.0.1:15672 "
        "(here it may need `rabbitmq-plugins enable rabbitmq_management`)"
    )
    console.print(
        "More: `uv run cnnt report dak-lak --from 2017 --to 2021 --xlsx out/report.xlsx "
        "--chart out/report.png`, `uv run cnnt dlq list`"
    )
