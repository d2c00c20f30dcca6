"""The judge's pages (thành viên hội đồng bình chọn): my worklist, the score sheet
(saved one at a time without a page reload), the whole worklist filled and saved in one
request, my revisions and a conflict of interest."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cnnt_contracts.score_sheet import CRITERIA, MAXIMA
from console.domain.accounts import Account
from console.entrypoints.http.dossiers import for_judges
from console.service_layer import access
from console.service_layer.judging import (
    BatchRow,
    batch_rows,
    outcomes_of,
    read_scores,
    refusal_of_batch,
    sheets_to_send,
    typed_form,
    worklist,
)
from console.web.pages import field_errors, is_htmx, render
from console.web.seats import seat
from console.web.services import ServiceRefused, Services, ServicesDep
from console.web.session import roles

router = APIRouter(prefix="/judging", tags=["judging"])
Judge = Annotated[Account, Depends(roles(access.MAY_JUDGE))]
MAX_KEY = 120  # evaluation derives each sheet's request id from it (its limit is 160)


@router.get("/{round_id}", response_class=HTMLResponse)
async def worklist_page(
    request: Request, _: Judge, services: ServicesDep, round_id: UUID
) -> Response:
    seated, jury = await seat(services, round_id)
    items = await worklist(seated, round_id, UUID(jury["member_id"]))
    context = {"jury": jury, "items": items, "round_id": round_id}
    return render(request, "judging/worklist.html", context)


async def _batch_page(
    request: Request,
    services: Services,
    round_id: UUID,
    rows: list[BatchRow] | None = None,
    *,
    seated_on: tuple[Services, dict[str, Any]] | None = None,
    errors: dict[str, str] | None = None,
    saved: int | None = None,
) -> Response:
    """The worklist as one form; ``rows`` carry what the judge typed and each sheet's outcome
    after a save (the others show where they stand now). A fresh Idempotency-Key per render:
    one key per submission, so a double click or a retry of it stores nothing twice."""
    seated, jury = seated_on or await seat(services, round_id)
    items = await worklist(seated, round_id, UUID(jury["member_id"]))
    shown = batch_rows(items, rows or [])
    refused = sum(1 for r in shown if r.errors)
    ids = [str(i.entry["id"]) for i in items]
    found = await asyncio.gather(*(for_judges(seated, entry_id) for entry_id in ids))
    dossiers = dict(zip(ids, found, strict=True))
    context = {
        "jury": jury,
        "round_id": round_id,
        "rows": shown,
        "barred": [i for i in items if i.status in ("conflict", "recused")],
        "criteria": CRITERIA,
        "maxima": MAXIMA,
        "idempotency_key": str(uuid4()),
        "errors": errors or {},
        "saved": saved,
        "refused": refused,
        "dossiers": dossiers,
    }
    failed = bool(errors) or refused > 0
    return render(
        request,
        "judging/batch.html",
        context,
        block="batch" if is_htmx(request) else None,
        status=422 if failed else 200,
    )


@router.get("/{round_id}/batch", response_class=HTMLResponse)
async def batch_page(request: Request, _: Judge, services: ServicesDep, round_id: UUID) -> Response:
    return await _batch_page(request, services, round_id)


@router.post("/{round_id}/batch", response_class=HTMLResponse)
async def save_batch(request: Request, _: Judge, services: ServicesDep, round_id: UUID) -> Response:
    """Every filled or changed line of the worklist in one ``POST /score-sheets/batch``; each
    sheet saved or refused on its own, its refusal shown next to the criterion it names."""
    form = await request.form()
    typed = {k: v for k, v in form.items() if isinstance(v, str)}
    seated_on = await seat(services, round_id)
    seated, jury = seated_on
    items = await worklist(seated, round_id, UUID(jury["member_id"]))
    rows, body = sheets_to_send(items, typed, CRITERIA)
    key = typed.get("idempotency_key", "").strip()[:MAX_KEY] or str(uuid4())
    if not body:
        return await _batch_page(request, services, round_id, rows, seated_on=seated_on, saved=0)
    try:
        answer = await seated.json(
            "POST",
            "evaluation",
            "/api/v1/score-sheets/batch",
            json={"sheets": body},
            headers={"Idempotency-Key": key},
        )
    except ServiceRefused as refused:
        errors = refusal_of_batch(refused, rows, body, CRITERIA)
        return await _batch_page(
            request, services, round_id, rows, seated_on=seated_on, errors=errors
        )
    outcomes_of(answer, rows)
    return await _batch_page(
        request, services, round_id, rows, seated_on=seated_on, saved=int(answer["accepted"])
    )


async def _sheet_context(
    services: Services,
    round_id: UUID,
    entry_id: UUID,
    seated_on: tuple[Services, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    seated, jury = seated_on or await seat(services, round_id)
    items = await worklist(seated, round_id, UUID(jury["member_id"]))
    current = next((i for i in items if i.entry["id"] == str(entry_id)), None)
    if current is None:
        raise ServiceRefused(404, "entry_not_found", "", "entry_id")
    following = next(
        (i for i in items if i.status == "to_score" and i.entry["id"] != str(entry_id)), None
    )
    return {
        "jury": jury,
        "item": current,
        "next_item": following,
        "round_id": round_id,
        "criteria": CRITERIA,
        "maxima": MAXIMA,
        "seated": seated,
    }


@router.get("/{round_id}/entries/{entry_id}", response_class=HTMLResponse)
async def sheet_page(
    request: Request, _: Judge, services: ServicesDep, round_id: UUID, entry_id: UUID
) -> Response:
    context = await _sheet_context(services, round_id, entry_id)
    latest = context["item"].latest or {}
    context["form"] = {c: typed_form(latest[c]) if c in latest else "" for c in CRITERIA}
    context["form"]["comment"] = latest.get("comment", "")
    context["dossier"] = await for_judges(context["seated"], str(entry_id))
    return render(request, "judging/sheet.html", context)


@router.post("/{round_id}/entries/{entry_id}", response_class=HTMLResponse)
async def save_sheet(
    request: Request,
    _: Judge,
    services: ServicesDep,
    round_id: UUID,
    entry_id: UUID,
    market: Annotated[str, Form()] = "",
    technical: Annotated[str, Form()] = "",
    culture: Annotated[str, Form()] = "",
    other: Annotated[str, Form()] = "",
    comment: Annotated[str, Form()] = "",
) -> Response:
    form = {"market": market, "technical": technical, "culture": culture, "other": other}
    seated_on = await seat(services, round_id)
    seated = seated_on[0]
    scores, errors = read_scores(form)
    if not errors:
        body = {
            "entry_id": str(entry_id),
            "scores": {c: str(v) for c, v in scores.items()},
            "comment": comment,
        }
        try:
            await seated.json("POST", "evaluation", "/api/v1/score-sheets", json=body)
        except ServiceRefused as refused:
            errors = field_errors(refused, [*CRITERIA, "comment"])
    context = await _sheet_context(services, round_id, entry_id, seated_on)
    # Saved: the scores as the page writes numbers ("8,5" even if "8.5" was pasted); refused:
    # as typed, to correct them.
    shown = form if errors else {c: typed_form(v) for c, v in scores.items()}
    context.update(form={**shown, "comment": comment}, errors=errors, saved=not errors)
    if not is_htmx(request) and not errors:
        return RedirectResponse(f"/judging/{round_id}/entries/{entry_id}?saved=1", 303)
    return render(
        request,
        "judging/sheet.html",
        context,
        block="sheet" if is_htmx(request) else None,
        status=422 if errors else 200,
    )


@router.post("/{round_id}/entries/{entry_id}/conflict", response_class=HTMLResponse)
async def declare_conflict(
    request: Request,
    _: Judge,
    services: ServicesDep,
    round_id: UUID,
    entry_id: UUID,
    note: Annotated[str, Form()] = "",
) -> Response:
    context = await _sheet_context(services, round_id, entry_id)
    body = {"facility_id": context["item"].entry["facility_id"], "note": note}
    await context["seated"].json("POST", "evaluation", "/api/v1/conflicts", json=body)
    return RedirectResponse(f"/judging/{round_id}", status_code=303)
