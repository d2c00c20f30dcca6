"""Registration's HTTP API: thin routes that authorise, call one handler and return."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from fastapi import APIRouter, status

from cnnt_shared.auth import CurrentPrincipal
from cnnt_shared.service import UowDep
from registration.entrypoints.schemas import (
    EntryCreate,
    EntryPublic,
    FacilityCreate,
    FacilityPublic,
    ProductCreate,
    ProductPublic,
    RoundCreate,
    RoundPublic,
)
from registration.service_layer import handlers


def build_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1")

    @router.post("/facilities", status_code=status.HTTP_201_CREATED, tags=["facilities"])
    async def create_facility(
        body: FacilityCreate, uow: UowDep, who: CurrentPrincipal
    ) -> FacilityPublic:
        return FacilityPublic.model_validate(await handlers.create_facility(uow, who, body))

    @router.post("/products", status_code=status.HTTP_201_CREATED, tags=["products"])
    async def create_product(
        body: ProductCreate, uow: UowDep, who: CurrentPrincipal
    ) -> ProductPublic:
        return ProductPublic.model_validate(await handlers.create_product(uow, who, body))

    @router.post("/rounds", status_code=status.HTTP_201_CREATED, tags=["rounds"])
    async def create_round(body: RoundCreate, uow: UowDep, who: CurrentPrincipal) -> RoundPublic:
        return RoundPublic.model_validate(await handlers.create_round(uow, who, body))

    @router.post("/rounds/{round_id}/open", tags=["rounds"])
    async def open_round(round_id: UUID, uow: UowDep, who: CurrentPrincipal) -> RoundPublic:
        return RoundPublic.model_validate(await handlers.open_round(uow, who, round_id))

    @router.post(
        "/rounds/{round_id}/entries", status_code=status.HTTP_201_CREATED, tags=["entries"]
    )
    async def register_entry(
        round_id: UUID, body: EntryCreate, uow: UowDep, who: CurrentPrincipal
    ) -> EntryPublic:
        today = datetime.now(UTC).date()
        entry = await handlers.register_entry(uow, who, round_id, body, today)
        return EntryPublic.model_validate(entry)

    @router.get("/entries/{entry_id}", tags=["entries"])
    async def get_entry(entry_id: UUID, uow: UowDep, who: CurrentPrincipal) -> EntryPublic:
        return EntryPublic.model_validate(await handlers.get_entry(uow, entry_id))

    return router
