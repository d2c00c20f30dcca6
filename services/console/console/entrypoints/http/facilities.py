"""The province officer's facilities (cơ sở CNNT) and their products: list, search without
diacritics, create, edit; the registration service's refusals shown next to their field."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cnnt_contracts.identifiers import Kind, refusal
from console.domain.accounts import Account
from console.service_layer import access
from console.web.errors import error_message
from console.web.i18n import N_
from console.web.nav import SELECTION, item
from console.web.pages import field_errors, is_htmx, render
from console.web.services import ServiceRefused, ServicesDep
from console.web.session import roles

router = APIRouter(tags=["facilities"])
NAV = [item(N_("Facilities"), "/facilities", access.MAY_ORGANISE, group=SELECTION)]
Officer = Annotated[Account, Depends(roles(access.MAY_ORGANISE))]
FACILITY_FIELDS = (
    "name",
    "kind",
    "business_code",
    "province_code",
    "commune_code",
    "address",
    "phone",
    "email",
)
PRODUCT_FIELDS = ("name", "group", "is_set", "description")
PAGE_SIZE = 25


class FacilityForm:
    """The facility form's fields as posted (a dependency, so routes stay short)."""

    def __init__(
        self,
        name: Annotated[str, Form()] = "",
        kind: Annotated[str, Form()] = "",
        business_code: Annotated[str, Form()] = "",
        province_code: Annotated[str, Form()] = "",
        commune_code: Annotated[str, Form()] = "",
        address: Annotated[str, Form()] = "",
        phone: Annotated[str, Form()] = "",
        email: Annotated[str, Form()] = "",
    ) -> None:
        self.values = {
            "name": name.strip(),
            "kind": kind,
            "business_code": business_code.strip(),
            "province_code": province_code.strip(),
            "commune_code": commune_code.strip(),
            "address": address.strip(),
            "phone": phone.strip(),
            "email": email.strip(),
        }

    def refusals(self, *, creating: bool) -> dict[str, str]:
        """The fields breaking their rule (``cnnt_contracts.identifiers``, the one registration
        applies to its API and its import), worded for the form; an empty optional field
        passes (an empty required one is the service's to refuse)."""
        checked: dict[str, Kind] = {"phone": "phone", "email": "email"}
        if creating:
            checked["business_code"] = "tax_code"
        return {
            name: error_message(code)
            for name, kind in checked.items()
            if self.values[name] and (code := refusal(kind, self.values[name])) is not None
        }

    def body(self, *, creating: bool) -> dict[str, Any]:
        v = self.values
        contacts = {k: v[k] for k in ("phone", "email") if v[k]}
        body: dict[str, Any] = {
            "name": v["name"],
            "kind": v["kind"] or None,
            "province_code": v["province_code"],
            "address": v["address"],
            "contacts": contacts,
        }
        if v["commune_code"] or creating:  # a commune once recorded is changed, not cleared
            body["commune_code"] = v["commune_code"] or None
        if creating:
            body["business_code"] = v["business_code"]
        return body


class ProductForm:
    def __init__(
        self,
        name: Annotated[str, Form()] = "",
        group: Annotated[str, Form()] = "",
        is_set: Annotated[bool, Form()] = False,
        description: Annotated[str, Form()] = "",
    ) -> None:
        self.values: dict[str, Any] = {
            "name": name.strip(),
            "group": group,
            "is_set": is_set,
            "description": description.strip(),
        }

    def body(self) -> dict[str, Any]:
        return {**self.values, "group": self.values["group"] or None}


def _facility_values(facility: dict[str, Any]) -> dict[str, Any]:
    contacts = facility.get("contacts") or {}
    return {**facility, "phone": contacts.get("phone", ""), "email": contacts.get("email", "")}


@router.get("/facilities", response_class=HTMLResponse)
async def list_facilities(
    request: Request, account: Officer, services: ServicesDep, q: str = "", page: int = 1
) -> Response:
    params: dict[str, Any] = {"page": max(page, 1), "size": PAGE_SIZE}
    if q.strip():
        params["q"] = q.strip()
    province = access.province_held_to(account)
    if province is not None:
        params["province"] = province
    found = await services.json("GET", "registration", "/api/v1/facilities", params=params)
    context = {"q": q, "found": found, "pages": -(-found["total"] // PAGE_SIZE)}
    block = "results" if is_htmx(request) else None
    return render(request, "facilities/list.html", context, block=block)


@router.get("/facilities/new", response_class=HTMLResponse)
async def new_facility(request: Request, account: Officer) -> Response:
    province = access.province_held_to(account) or ""
    return render(request, "facilities/new.html", {"form": {"province_code": province}})


@router.post("/facilities", response_class=HTMLResponse)
async def create_facility(
    request: Request, _: Officer, services: ServicesDep, form: Annotated[FacilityForm, Depends()]
) -> Response:
    if errors := form.refusals(creating=True):
        context = {"form": form.values, "errors": errors}
        return render(request, "facilities/new.html", context, status=422)
    try:
        created = await services.json(
            "POST", "registration", "/api/v1/facilities", json=form.body(creating=True)
        )
    except ServiceRefused as refused:
        errors = field_errors(refused, FACILITY_FIELDS)
        context = {"form": form.values, "errors": errors}
        return render(request, "facilities/new.html", context, status=422)
    return RedirectResponse(f"/facilities/{created['id']}?saved=1", status_code=303)


async def _detail(
    request: Request, services: ServicesDep, facility_id: UUID, status: int = 200, **extra: Any
) -> Response:
    facility = await services.json("GET", "registration", f"/api/v1/facilities/{facility_id}")
    products = await services.json(
        "GET",
        "registration",
        "/api/v1/products",
        params={"facility_id": str(facility_id), "size": 500},
    )
    context: dict[str, Any] = {
        "facility": facility,
        "form": _facility_values(facility),
        "products": products["items"],
        "product_form": {},
        "product_errors": {},
        "saved": request.query_params.get("saved") == "1",
        **extra,
    }
    return render(request, "facilities/detail.html", context, status=status)


@router.get("/facilities/{facility_id}", response_class=HTMLResponse)
async def show_facility(
    request: Request, _: Officer, services: ServicesDep, facility_id: UUID
) -> Response:
    return await _detail(request, services, facility_id)


@router.post("/facilities/{facility_id}", response_class=HTMLResponse)
async def update_facility(
    request: Request,
    _: Officer,
    services: ServicesDep,
    facility_id: UUID,
    form: Annotated[FacilityForm, Depends()],
) -> Response:
    if errors := form.refusals(creating=False):
        return await _detail(
            request, services, facility_id, status=422, errors=errors, form=form.values
        )
    try:
        await services.call(
            "PATCH",
            "registration",
            f"/api/v1/facilities/{facility_id}",
            json=form.body(creating=False),
        )
    except ServiceRefused as refused:
        errors = field_errors(refused, FACILITY_FIELDS)
        return await _detail(
            request, services, facility_id, status=422, errors=errors, form=form.values
        )
    return RedirectResponse(f"/facilities/{facility_id}?saved=1", status_code=303)


@router.post("/facilities/{facility_id}/products", response_class=HTMLResponse)
async def create_product(
    request: Request,
    _: Officer,
    services: ServicesDep,
    facility_id: UUID,
    form: Annotated[ProductForm, Depends()],
) -> Response:
    body = {**form.body(), "facility_id": str(facility_id)}
    try:
        await services.call("POST", "registration", "/api/v1/products", json=body)
    except ServiceRefused as refused:
        errors = field_errors(refused, PRODUCT_FIELDS)
        return await _detail(
            request,
            services,
            facility_id,
            status=422,
            product_errors=errors,
            product_form=form.values,
        )
    return RedirectResponse(f"/facilities/{facility_id}?saved=1#products", status_code=303)


@router.get("/products/{product_id}", response_class=HTMLResponse)
async def show_product(
    request: Request, _: Officer, services: ServicesDep, product_id: UUID
) -> Response:
    product = await services.json("GET", "registration", f"/api/v1/products/{product_id}")
    return render(request, "facilities/product.html", {"product": product, "form": product})


@router.post("/products/{product_id}", response_class=HTMLResponse)
async def update_product(
    request: Request,
    _: Officer,
    services: ServicesDep,
    product_id: UUID,
    form: Annotated[ProductForm, Depends()],
) -> Response:
    try:
        product = await services.json(
            "PATCH", "registration", f"/api/v1/products/{product_id}", json=form.body()
        )
    except ServiceRefused as refused:
        product = await services.json("GET", "registration", f"/api/v1/products/{product_id}")
        errors = field_errors(refused, PRODUCT_FIELDS)
        context = {"product": product, "form": form.values, "errors": errors}
        return render(request, "facilities/product.html", context, status=422)
    return RedirectResponse(f"/facilities/{product['facility_id']}?saved=1", status_code=303)
