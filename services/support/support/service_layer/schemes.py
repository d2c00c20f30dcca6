"""Schemes (đề án) and applications: creation, opening, closing, reads."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy.exc import IntegrityError

from cnnt_contracts.vocabulary import NATION_SCOPE, FundingSource
from cnnt_runtime.auth import Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import Conflict, DomainError
from cnnt_runtime.scope import covers
from support.adapters.tables import ApplicationRow, BudgetRow, SchemeRow
from support.domain import model
from support.service_layer.access import authorise, check_scope_code, unit_of
from support.service_layer.commands import Apply, CreateScheme
from support.service_layer.queries import (
    SchemeView,
    as_budget,
    budget_rows,
    known_facility,
    lock_scheme,
    scheme_view,
)


async def create_scheme(uow: UnitOfWork, who: Principal, cmd: CreateScheme) -> SchemeView:
    check_scope_code(cmd.scope_code, field="scope_code")
    authorise(who, cmd.scope_code)
    budget = model.amounts(cmd.budget, field="budget")
    scheme = SchemeRow(
        code=cmd.code,
        title=cmd.title,
        kind=cmd.kind,
        year=cmd.year,
        scope_code=cmd.scope_code,
        created_by=who.subject,
    )
    uow.session.add(scheme)
    try:
        await uow.session.flush()
    except IntegrityError as exc:
        raise Conflict("scheme_code_taken", f"đã có đề án mã {cmd.code!r}", field="code") from exc
    rows = [
        BudgetRow(scheme_id=scheme.id, source=s, amount=budget.get(s, 0)) for s in FundingSource
    ]
    uow.session.add_all(rows)
    await uow.session.flush()
    return SchemeView(scheme, as_budget(rows))


async def change_status(
    uow: UnitOfWork, who: Principal, scheme_id: UUID, *, to_open: bool
) -> SchemeView:
    scheme = await lock_scheme(uow, scheme_id, share=False)
    authorise(who, scheme.scope_code)
    transition = model.open_scheme if to_open else model.close_scheme
    scheme.status = transition(model.SchemeStatus(scheme.status))
    await uow.session.flush()
    return await scheme_view(uow, scheme)


async def create_application(
    uow: UnitOfWork, who: Principal, scheme_id: UUID, cmd: Apply
) -> ApplicationRow:
    scheme = await lock_scheme(uow, scheme_id, share=True)
    check_scope_code(cmd.province_code, field="province_code")
    if cmd.province_code == NATION_SCOPE:
        raise DomainError("unknown_province", "cơ sở phải thuộc một tỉnh", field="province_code")
    authorise(who, cmd.province_code, field="province_code")
    model.check_accepts_applications(model.SchemeStatus(scheme.status))
    if not covers(scheme.scope_code, cmd.province_code):
        raise DomainError(
            "province_outside_scheme",
            f"đề án {scheme.code} chỉ hỗ trợ cơ sở của {scheme.scope_code}",
            field="province_code",
        )
    facility = await known_facility(uow, cmd.facility_id, field="facility_id")
    if unit_of(facility.province_code) != unit_of(cmd.province_code):
        raise DomainError(
            "facility_province_mismatch",
            f"cơ sở đăng ký tại {facility.province_code}, không phải {cmd.province_code}",
            field="province_code",
        )
    asked = model.amounts(cmd.asked, field="asked")
    budget = {r.source: r.amount for r in await budget_rows(uow, scheme_id, lock=False)}
    model.check_sources_funded(asked, budget, field="asked")
    row = ApplicationRow(
        facility_id=cmd.facility_id,
        facility_name=cmd.facility_name,
        province_code=cmd.province_code,
        product_id=cmd.product_id,
        purpose=cmd.purpose,
        scheme_id=scheme_id,
        asked={str(s): v for s, v in asked.items()},
        applied_at=datetime.now(UTC),
    )
    uow.session.add(row)
    await uow.session.flush()
    return row
