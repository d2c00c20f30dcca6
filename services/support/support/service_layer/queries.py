"""Reads shared by the use cases: schemes with their budgets, locks, and recognitions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import select
from sqlmodel import col

from cnnt_shared.contracts.vocabulary import FundingSource
from cnnt_shared.db.unit_of_work import UnitOfWork
from cnnt_shared.errors import NotFound
from support.adapters.tables import BudgetRow, RecognitionRow, RevocationRow, SchemeRow
from support.domain.budget import Budget
from support.domain.priority import Recognition
from support.entrypoints.schemas import SchemePublic

T = TypeVar("T")


async def get_or_404(uow: UnitOfWork, model: type[T], id_: UUID, what: str, field: str) -> T:
    row = await uow.session.get(model, id_)
    if row is None:
        raise NotFound(f"{what}_not_found", f"no {what} with id {id_}", field=field)
    return row


async def lock_scheme(uow: UnitOfWork, scheme_id: UUID, *, share: bool) -> SchemeRow:
    stmt: Any = select(SchemeRow).where(col(SchemeRow.id) == scheme_id)
    stmt = stmt.with_for_update(read=share).execution_options(populate_existing=True)
    row: SchemeRow | None = (await uow.session.execute(stmt)).scalar_one_or_none()
    if row is None:
        raise NotFound("scheme_not_found", f"no scheme with id {scheme_id}", field="scheme_id")
    return row


async def budget_rows(uow: UnitOfWork, scheme_id: UUID, *, lock: bool) -> list[BudgetRow]:
    """The scheme's budget rows in one fixed order, so concurrent grants lock them alike."""
    stmt: Any = (
        select(BudgetRow)
        .where(col(BudgetRow.scheme_id) == scheme_id)
        .order_by(col(BudgetRow.source))
        .execution_options(populate_existing=True)
    )
    if lock:
        stmt = stmt.with_for_update()
    return list((await uow.session.execute(stmt)).scalars())


def as_budget(rows: Iterable[BudgetRow]) -> Budget:
    rows = list(rows)
    return Budget({r.source: r.amount for r in rows}, {r.source: r.granted for r in rows})


def scheme_public(scheme: SchemeRow, rows: Iterable[BudgetRow]) -> SchemePublic:
    budget = as_budget(rows)
    return SchemePublic(
        id=scheme.id,
        code=scheme.code,
        title=scheme.title,
        kind=scheme.kind,
        year=scheme.year,
        scope_code=scheme.scope_code,
        status=scheme.status,
        budget={s: budget.allotted.get(s, 0) for s in FundingSource},
        granted={s: budget.granted.get(s, 0) for s in FundingSource},
        remaining={s: budget.remaining(s) for s in FundingSource},
    )


async def recognitions_of(uow: UnitOfWork, facility_ids: Iterable[UUID]) -> list[Recognition]:
    ids = list(set(facility_ids))
    if not ids:
        return []
    result = await uow.session.execute(
        select(RecognitionRow, col(RevocationRow.entry_id).is_not(None))
        .outerjoin(RevocationRow, col(RevocationRow.entry_id) == col(RecognitionRow.entry_id))
        .where(col(RecognitionRow.facility_id).in_(ids))
    )
    return [
        Recognition(
            entry_id=r.entry_id,
            certificate_number=r.certificate_number,
            level=r.level,
            mean_score=r.mean_score,
            facility_id=r.facility_id,
            product_id=r.product_id,
            valid_until=r.valid_until,
            revoked=bool(revoked),
        )
        for r, revoked in result.all()
    ]
