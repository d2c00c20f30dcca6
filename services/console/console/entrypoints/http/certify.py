"""The certifier's pages (cơ quan công nhận): the results preview with its completeness, the
decision (quyết định công nhận), the round's certificates, their PDF and their revocation."""

from __future__ import annotations

import asyncio
import io
import zipfile
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cnnt_runtime.http.exports import XLSX_TYPE, Column, to_csv, to_xlsx
from console.domain.accounts import Account
from console.domain.collation import vietnamese_key
from console.entrypoints.http.jury import rounds_in_scope
from console.service_layer import access
from console.web import dates
from console.web.errors import error_message
from console.web.i18n import N_, gettext
from console.web.labels import label
from console.web.nav import RECOGNITION, item
from console.web.pages import field_errors, render
from console.web.services import ServiceRefused, Services, ServicesDep
from console.web.session import roles

router = APIRouter(prefix="/certification", tags=["certification"])
NAV = [
    item(
        N_("Results and certificates"),
        "/certification",
        access.MAY_CERTIFY,
        group=RECOGNITION,
    ),
    item(
        N_("Certificates"),
        "/certification/certificates",
        access.MAY_CERTIFY,
        group=RECOGNITION,
    ),
]
Certifier = Annotated[Account, Depends(roles(access.MAY_CERTIFY))]
DECISION_FIELDS = ["number", "decided_on", "issuer", "place", "signatory_title", "signatory_name"]
CERTIFICATE_FILTERS = ("province", "level", "year", "status")
CERTIFICATES_PER_PAGE = 25


@router.get("", response_class=HTMLResponse)
async def rounds_page(request: Request, _: Certifier, services: ServicesDep) -> Response:
    return render(request, "certify/rounds.html", {"rounds": await rounds_in_scope(services)})


# Before "/{round_id}": a round id is a UUID, and FastAPI would refuse "certificates" as one.
@router.get("/certificates", response_class=HTMLResponse)
async def certificates_page(
    request: Request,
    _: Certifier,
    services: ServicesDep,
    province: Annotated[str, Query(max_length=40)] = "",
    level: Annotated[str, Query(max_length=20)] = "",
    year: Annotated[str, Query(max_length=10)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    """Every certificate certification lists, filtered as its ``GET /certificates`` filters
    (province as recorded or a current unit, level, round year, standing), a page at a time;
    the figures are the service's own (its total, its page)."""
    form = {"province": province, "level": level, "year": year.strip(), "status": status}
    params: dict[str, Any] = {k: v for k, v in form.items() if v}
    params |= {"page": page, "size": CERTIFICATES_PER_PAGE}
    provinces = await services.json("GET", "registration", "/api/v1/provinces")
    errors: dict[str, str] = {}
    found: dict[str, Any] = {"items": [], "total": 0, "page": page, "size": CERTIFICATES_PER_PAGE}
    try:
        found = await services.json("GET", "certification", "/api/v1/certificates", params=params)
    except ServiceRefused as refused:
        if refused.status != 422:
            raise
        errors = field_errors(refused, list(CERTIFICATE_FILTERS))
    pages = max(1, -(-int(found["total"]) // CERTIFICATES_PER_PAGE))
    query = urlencode({k: v for k, v in form.items() if v})
    context = {
        "form": form,
        "errors": errors,
        "found": found,
        "pages": pages,
        "query": query,
        "provinces": sorted(provinces, key=lambda p: (not p["current"], vietnamese_key(p["name"]))),
        "province_names": {p["code"]: p["name"] for p in provinces},
    }
    return render(request, "certify/certificates.html", context, status=422 if errors else 200)


async def _context(services: Services, round_id: UUID, today: date) -> dict[str, Any]:
    preview = await services.json("GET", "certification", f"/api/v1/rounds/{round_id}/preview")
    numbers = [r["certificate_number"] for r in preview["results"] if r["certificate_number"]]
    verified = await asyncio.gather(
        *(services.json("GET", "certification", f"/api/v1/verify/{n}") for n in numbers)
    )
    # Sheets counted per entry; certification's tally, when it gives one, says what it expects.
    lines = preview["results"]
    return {
        "round_id": round_id,
        "preview": preview,
        "received": sum(r["judges"] for r in lines),
        "certificates": verified,
        "errors": {},
        "form": {},
        "today": dates.typed(today),
    }


@router.get("/{round_id}", response_class=HTMLResponse)
async def round_page(
    request: Request, _: Certifier, services: ServicesDep, round_id: UUID
) -> Response:
    try:
        context = await _context(services, round_id, dates.today(request))
    except ServiceRefused as refused:
        if refused.code != "judging_not_closed":
            raise
        # A round still being judged is listed too: its page says so, it is no error.
        message = error_message(refused.code)
        return render(request, "certify/not_closed.html", {"message": message})
    return render(request, "certify/round.html", context)


@router.post("/{round_id}/decision", response_class=HTMLResponse)
async def decide(
    request: Request,
    _: Certifier,
    services: ServicesDep,
    round_id: UUID,
    number: Annotated[str, Form()] = "",
    decided_on: Annotated[str, Form()] = "",
    issuer: Annotated[str, Form()] = "",
    place: Annotated[str, Form()] = "",
    signatory_title: Annotated[str, Form()] = "",
    signatory_name: Annotated[str, Form()] = "",
    confirmed: Annotated[bool, Form()] = False,
) -> Response:
    form = {
        "number": number,
        "decided_on": dates.iso(decided_on) or None,
        "issuer": issuer,
        "place": place,
        "signatory_title": signatory_title,
        "signatory_name": signatory_name,
    }
    if not confirmed:
        preview = await services.json("GET", "certification", f"/api/v1/rounds/{round_id}/preview")
        recognised = sum(1 for r in preview["results"] if r["outcome"] == "recognised")
        day = dates.shown(form["decided_on"]) or decided_on
        context = {
            "heading": gettext("Record the decision and issue the certificates?"),
            "consequences": [
                gettext("Decision %(number)s of %(day)s is recorded for %(round)s.")
                % {"number": number, "day": day, "round": preview["name"]},
                gettext("%(n)s recognised entries get their certificate, numbered in order.")
                % {"n": recognised},
                gettext(
                    "The results are published: the facilities, registration and khuyến "
                    "công support see them."
                ),
            ],
            "irreversible": gettext(
                "a recorded decision and its certificates are never changed or deleted; a "
                "mistake is put right by a new decision (a correction or a revocation)."
            ),
            "action": f"/certification/{round_id}/decision",
            "fields": {**form, "decided_on": decided_on},
            "confirm_label": gettext("Record the decision and issue the certificates"),
            "back": f"/certification/{round_id}",
            "back_label": preview["name"],
        }
        return render(request, "confirm.html", context)
    try:
        await services.json(
            "POST", "certification", f"/api/v1/rounds/{round_id}/decision", json=form
        )
    except ServiceRefused as refused:
        context = await _context(services, round_id, dates.today(request))
        typed = {**form, "decided_on": decided_on}  # sent back as the person typed it
        context.update(errors=field_errors(refused, DECISION_FIELDS), form=typed)
        return render(request, "certify/round.html", context, status=refused.status)
    return RedirectResponse(f"/certification/{round_id}", status_code=303)


EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}
CERTIFICATE_COLUMNS = [
    Column("certificate_number", "Số giấy chứng nhận"),
    Column("product_name", "Sản phẩm"),
    Column("facility_name", "Cơ sở"),
    Column("rank", "Xếp hạng"),
    Column("mean", "Điểm bình quân"),
    Column("valid_until", "Có giá trị đến"),
    Column("status", "Tình trạng"),
    Column("revocation", "Quyết định thu hồi"),
]


def _download(content: bytes, media_type: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=media_type, headers=headers)


def _format(fmt: str) -> str:
    if fmt not in EXPORT_TYPES:
        raise ServiceRefused(404, "export_format_unknown", "", "format")
    return fmt


@router.get("/{round_id}/results.{fmt}")
async def results_export(_: Certifier, services: ServicesDep, round_id: UUID, fmt: str) -> Response:
    """The round's results as certification exports them (its Vietnamese headers, its
    writer): rank, means per criterion, outcome and reason of every entry."""
    found = await services.call(
        "GET",
        "certification",
        f"/api/v1/rounds/{round_id}/results",
        params={"format": _format(fmt)},
    )
    return _download(found.content, EXPORT_TYPES[fmt], f"ket-qua-{round_id}.{fmt}")


async def _certificate_rows(services: Services, round_id: UUID) -> list[dict[str, Any]]:
    preview = await services.json("GET", "certification", f"/api/v1/rounds/{round_id}/preview")
    lines = [r for r in preview["results"] if r["certificate_number"]]
    verified = await asyncio.gather(
        *(
            services.json("GET", "certification", f"/api/v1/verify/{r['certificate_number']}")
            for r in lines
        )
    )
    return [
        {
            "certificate_number": r["certificate_number"],
            "product_name": r["product_name"],
            "facility_name": r["facility_name"],
            "rank": r["rank"],
            "mean": r["mean"],
            "valid_until": dates.shown(v.get("valid_until")),
            "status": label("certificate_status", v["status"]),
            "revocation": (v.get("revocation") or {}).get("decision_number", ""),
        }
        for r, v in zip(lines, verified, strict=True)
    ]


@router.get("/{round_id}/certificates.zip")
async def certificates_zip(_: Certifier, services: ServicesDep, round_id: UUID) -> Response:
    """Every certificate PDF of the round in one ZIP, one file per certificate number."""
    rows = await _certificate_rows(services, round_id)
    pdfs = await asyncio.gather(
        *(
            services.call(
                "GET", "certification", f"/api/v1/certificates/{r['certificate_number']}/pdf"
            )
            for r in rows
        )
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for row, pdf in zip(rows, pdfs, strict=True):
            archive.writestr(f"{row['certificate_number']}.pdf", pdf.content)
    return _download(buffer.getvalue(), "application/zip", f"giay-chung-nhan-{round_id}.zip")


@router.get("/{round_id}/certificates.{fmt}")
async def certificates_export(
    _: Certifier, services: ServicesDep, round_id: UUID, fmt: str
) -> Response:
    """The round's certificate list (for the decision's annex), with the shared writers."""
    rows = await _certificate_rows(services, round_id)
    if _format(fmt) == "csv":
        content = to_csv(CERTIFICATE_COLUMNS, rows)
    else:
        content = to_xlsx(CERTIFICATE_COLUMNS, rows, "Giay chung nhan")
    return _download(content, EXPORT_TYPES[fmt], f"giay-chung-nhan-{round_id}.{fmt}")


@router.get("/certificates/{number}.pdf")
async def certificate_pdf(_: Certifier, services: ServicesDep, number: str) -> Response:
    found = await services.call("GET", "certification", f"/api/v1/certificates/{number}/pdf")
    headers = {"Content-Disposition": f'attachment; filename="{number}.pdf"'}
    return Response(found.content, media_type="application/pdf", headers=headers)


@router.get("/decisions/{decision_id}.pdf")
async def decision_pdf(_: Certifier, services: ServicesDep, decision_id: UUID) -> Response:
    found = await services.call("GET", "certification", f"/api/v1/decisions/{decision_id}/pdf")
    headers = {"Content-Disposition": f'attachment; filename="quyet-dinh-{decision_id}.pdf"'}
    return Response(found.content, media_type="application/pdf", headers=headers)


@router.post("/{round_id}/certificates/{number}/revocation", response_class=HTMLResponse)
async def revoke(
    request: Request,
    _: Certifier,
    services: ServicesDep,
    round_id: UUID,
    number: str,
    decision_number: Annotated[str, Form()] = "",
    decided_on: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    confirmed: Annotated[bool, Form()] = False,
) -> Response:
    body = {
        "number": decision_number,
        "decided_on": dates.iso(decided_on) or None,
        "reason": reason,
    }
    if not confirmed:
        found = await services.json("GET", "certification", f"/api/v1/verify/{number}")
        context = {
            "heading": gettext("Revoke certificate %(number)s?") % {"number": number},
            "consequences": [
                gettext(
                    "The certificate %(number)s of %(product)s (%(facility)s) is revoked "
                    "by decision %(decision)s of %(day)s."
                )
                % {
                    "number": number,
                    "product": found.get("product_name", ""),
                    "facility": found.get("facility_name", ""),
                    "decision": decision_number,
                    "day": dates.shown(body["decided_on"]) or decided_on,
                },
                gettext("Reason: %(reason)s") % {"reason": reason},
                gettext(
                    "The public verification page and the PDF show it revoked; the "
                    "recognition no longer counts for higher rounds or khuyến công priority."
                ),
            ],
            "irreversible": gettext("a revoked certificate is never valid again."),
            "action": f"/certification/{round_id}/certificates/{number}/revocation",
            "fields": {
                "decision_number": decision_number,
                "decided_on": decided_on,
                "reason": reason,
            },
            "confirm_label": gettext("Revoke the certificate"),
            "back": f"/certification/{round_id}#certificates",
            "back_label": gettext("Results and certificates"),
        }
        return render(request, "confirm.html", context)
    try:
        await services.json(
            "POST", "certification", f"/api/v1/certificates/{number}/revocation", json=body
        )
    except ServiceRefused as refused:
        context = await _context(services, round_id, dates.today(request))
        errors = field_errors(refused, ["decided_on", "reason"])
        if refused.form_field == "number":
            errors = {"decision_number": errors.get("_form", "")}
        typed = {**body, "decided_on": decided_on}
        context.update(revoke_errors=errors, revoking=number, revoke_form=typed)
        return render(request, "certify/round.html", context, status=refused.status)
    return RedirectResponse(f"/certification/{round_id}#certificates", status_code=303)
