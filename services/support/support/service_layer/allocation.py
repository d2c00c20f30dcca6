"""The allocation run over a scheme's pending applications: preview, then commit.

The preview reads without locks and shows what a run would do now. The run recomputes the
same plan while holding the budget and the pending applications locked, so it is exactly what
a preview taken at that moment shows; passing the preview's digest refuses a run whose plan
changed in between. Priority is judged on the day of the run (``as_of``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from pydantic import TypeAdapter
from sqlalchemy import select
from sqlmodel import col

from cnnt_contracts.vocabulary import FundingSource
from cnnt_runtime.auth import Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import Conflict
from support.adapters.tables import AllocationRunRow, ApplicationRow, BudgetRow
from support.domain import model
from support.domain.allocation import Plan, plan_allocation
from support.domain.budget import Budget
from support.domain.priority import Candidate, best_recognition
from support.service_layer.access import authorise
from support.service_layer.commands import RunAllocation
from support.service_layer.grants import asked_of, record_grant, store_budget
from support.service_layer.queries import (
    Granted,
    Priority,
    as_budget,
    budget_rows,
    lock_scheme,
    recognitions_of,
)


@dataclass(frozen=True)
class PlannedDecision:
    """What the run does with one application, and why, with the facility it concerns."""

    rank: int
    application_id: UUID
    facility_id: UUID
    facility_name: str
    applied_at: datetime
    asked: dict[FundingSource, int]
    priority_band: str
    priority_recognition: Priority | None
    outcome: str
    reason: str
    short_source: FundingSource | None


@dataclass(frozen=True)
class AllocationPlan:
    """The plan a run would carry out now; ``digest`` names it."""

    scheme_id: UUID
    as_of: date
    digest: str
    decisions: list[PlannedDecision]
    budget: dict[FundingSource, int]
    granted_before: dict[FundingSource, int]
    granted_after: dict[FundingSource, int]


@dataclass(frozen=True)
class AllocationRun(AllocationPlan):
    """A plan carried out: the run's id and the grants it made."""

    id: UUID
    grants: list[Granted]


_RECORDED = TypeAdapter(list[PlannedDecision])


async def _pending(uow: UnitOfWork, scheme_id: UUID, *, lock: bool) -> list[ApplicationRow]:
    stmt = (
        select(ApplicationRow)
        .where(
            col(ApplicationRow.scheme_id) == scheme_id,
            col(ApplicationRow.status) == model.ApplicationStatus.PENDING,
        )
        .order_by(col(ApplicationRow.id))
        .execution_options(populate_existing=True)
    )
    return list((await uow.session.execute(stmt.with_for_update() if lock else stmt)).scalars())


async def _plan(uow: UnitOfWork, budget: Budget, apps: list[ApplicationRow], as_of: date) -> Plan:
    known = await recognitions_of(uow, (a.facility_id for a in apps))
    return plan_allocation(
        budget,
        (
            Candidate(
                a.id,
                a.applied_at,
                asked_of(a),
                best_recognition(known, a.facility_id, a.product_id, as_of),
            )
            for a in apps
        ),
    )


def _planned(
    scheme_id: UUID, plan: Plan, before: Budget, apps: list[ApplicationRow], as_of: date
) -> AllocationPlan:
    by_id = {a.id: a for a in apps}
    decisions = [
        PlannedDecision(
            rank=d.rank,
            application_id=d.candidate.application_id,
            facility_id=by_id[d.candidate.application_id].facility_id,
            facility_name=by_id[d.candidate.application_id].facility_name,
            applied_at=d.candidate.applied_at,
            asked=dict(d.candidate.asked),
            priority_band=d.candidate.band.label,
            priority_recognition=Priority.of(d.candidate.recognition),
            outcome=d.outcome.value,
            reason=d.reason,
            short_source=d.short_source,
        )
        for d in plan.decisions
    ]
    digest_text = ";".join(f"{d.application_id}:{d.outcome}" for d in decisions)
    return AllocationPlan(
        scheme_id=scheme_id,
        as_of=as_of,
        digest=hashlib.sha256(f"{as_of}|{digest_text}".encode()).hexdigest()[:32],
        decisions=decisions,
        budget={s: before.allotted.get(s, 0) for s in FundingSource},
        granted_before={s: before.granted.get(s, 0) for s in FundingSource},
        granted_after={s: plan.budget_after.granted.get(s, 0) for s in FundingSource},
    )


async def preview(uow: UnitOfWork, who: Principal, scheme_id: UUID, as_of: date) -> AllocationPlan:
    scheme = await lock_scheme(uow, scheme_id, share=True)
    authorise(who, scheme.scope_code)
    budget = as_budget(await budget_rows(uow, scheme_id, lock=False))
    apps = await _pending(uow, scheme_id, lock=False)
    return _planned(scheme_id, await _plan(uow, budget, apps, as_of), budget, apps, as_of)


async def run(
    uow: UnitOfWork, who: Principal, scheme_id: UUID, cmd: RunAllocation, as_of: date
) -> AllocationRun:
    scheme = await lock_scheme(uow, scheme_id, share=True)
    authorise(who, scheme.scope_code)
    model.check_grants_allowed(model.SchemeStatus(scheme.status))
    rows: list[BudgetRow] = await budget_rows(uow, scheme_id, lock=True)
    before = as_budget(rows)
    apps = await _pending(uow, scheme_id, lock=True)
    plan = await _plan(uow, before, apps, as_of)
    planned = _planned(scheme_id, plan, before, apps, as_of)
    if cmd.expected_digest is not None and cmd.expected_digest != planned.digest:
        raise Conflict(
            "allocation_plan_changed",
            "các đơn chờ, ngân sách hoặc thứ tự ưu tiên đã thay đổi từ khi xem trước",
            field="expected_digest",
        )
    run_id = uuid4()
    by_id = {a.id: a for a in apps}
    grants = [
        await record_grant(
            uow,
            scheme,
            by_id[d.candidate.application_id],
            d.candidate.asked,
            d.candidate.recognition,
            by=who.subject,
            run_id=run_id,
        )
        for d in plan.granted
    ]
    store_budget(rows, plan.budget_after)
    uow.session.add(
        AllocationRunRow(
            id=run_id,
            scheme_id=scheme_id,
            as_of=as_of,
            decisions=_RECORDED.dump_python(planned.decisions, mode="json"),
            run_by=who.subject,
            run_at=datetime.now(UTC),
        )
    )
    await uow.session.flush()
    return AllocationRun(**vars(planned), id=run_id, grants=grants)
