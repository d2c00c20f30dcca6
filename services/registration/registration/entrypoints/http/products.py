"""Routes for a facility's products."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.http.pages import Page, PageDep
from cnnt_runtime.service import UowDep
from registration.adapters.tables import ProductRow
from registration.entrypoints.http.filters import FiltersDep
from registration.entrypoints.schemas import ProductCreate, ProductPublic, ProductUpdate
from registration.service_layer import commands, facilities, queries

router = APIRouter(prefix="/api/v1", tags=["products"])


@router.post("/products", status_code=status.HTTP_201_CREATED)
async def create_product(body: ProductCreate, uow: UowDep, who: CurrentPrincipal) -> ProductPublic:
    command = commands.CreateProduct(**body.model_dump())
    return ProductPublic.model_validate(await facilities.create_product(uow, who, command))


@router.get("/products")
async def list_products(
    uow: UowDep,
    who: CurrentPrincipal,
    filters: FiltersDep,
    page: PageDep,
    facility_id: UUID | None = None,
) -> Page[ProductPublic]:
    rows, total = await queries.list_products(uow, filters, page, facility_id)
    items = [ProductPublic.model_validate(r) for r in rows]
    return Page.of(items, total, page)


@router.get("/products/{product_id}")
async def get_product(product_id: UUID, uow: UowDep, who: CurrentPrincipal) -> ProductPublic:
    row = await uow.row(ProductRow, product_id, what="product", field="product_id")
    return ProductPublic.model_validate(row)


@router.patch("/products/{product_id}")
async def update_product(
    product_id: UUID, body: ProductUpdate, uow: UowDep, who: CurrentPrincipal
) -> ProductPublic:
    command = commands.UpdateProduct(**body.model_dump(exclude_unset=True, exclude_none=True))
    row = await facilities.update_product(uow, who, product_id, command)
    return ProductPublic.model_validate(row)
