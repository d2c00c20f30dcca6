"""The operator's pages: dead-letter queues with their depth (every service's, through its
``/ops`` API), a queue's messages with the reason, attempts and first/last failure, replay and
archive of one message, a filtered selection or all of them — each through a confirmation page
that says what will happen to how many messages — and the audit log.

Each service answers for the dead-letter queues of the queues it consumes, which are named
``<service>.<purpose>``; the audit log is one, and any service reads it.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

import httpx
import structlog
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cnnt_runtime.settings import SERVICE_NAMES
from console.domain.accounts import Account
from console.service_layer import access
from console.web.errors import error_message
from console.web.i18n import N_
from console.web.labels import label
from console.web.nav import OPERATIONS, item
from console.web.pages import render
from console.web.services import ServiceRefused, Services, ServicesDep
from console.web.session import roles

log = structlog.get_logger("cnnt.console")
router = APIRouter(prefix="/operations", tags=["operations"])
NAV = [
    item(N_("Dead-letter queues"), "/operations/queues", access.MAY_OPERATE, group=OPERATIONS),
    item(N_("Audit log"), "/operations/audit", access.MAY_OPERATE, group=OPERATIONS),
]
Operator = Annotated[Account, Depends(roles(access.MAY_OPERATE))]
PAGE_SIZE = 50
PREVIEW = 20  # messages listed on a confirmation page
Action = Literal["replay", "archive"]
Scope = Literal["one", "filtered", "all"]
Text = Annotated[str, Query(max_length=200)]


def _service_of(queue: str) -> str:
    """The service that consumes ``queue`` (and answers for its dead letters)."""
    service = queue.removesuffix(".dlq").split(".", 1)[0]
    if service not in SERVICE_NAMES or "." not in queue:
        raise ServiceRefused(404, "queue_not_found", queue, "queue")
    return service


def _path(queue: str) -> str:
    return f"/ops/dead-letters/{quote(queue, safe='')}"


@router.get("", include_in_schema=False)
async def operations_home(_: Operator) -> Response:
    return RedirectResponse("/operations/queues", status_code=303)


@router.get("/queues", response_class=HTMLResponse)
async def queues_page(request: Request, _: Operator, services: ServicesDep) -> Response:
    """Every service's dead-letter queues, asked at the same time; a service that does not
    answer is named rather than left out silently."""
    answers = await asyncio.gather(
        *(services.json("GET", name, "/ops/dead-letters") for name in SERVICE_NAMES),
        return_exceptions=True,
    )
    queues: list[dict[str, Any]] = []
    silent: list[str] = []
    for name, answer in zip(SERVICE_NAMES, answers, strict=True):
        if isinstance(answer, ServiceRefused) and answer.status < 500:
            raise answer  # a refusal (an expired token, a role) is not a silent service
        if isinstance(answer, BaseException):
            if not isinstance(answer, Exception):
                raise answer
            log.warning("service_silent", service=name, error=str(answer))
            silent.append(name)
        else:
            queues.extend({**q, "service": name} for q in answer["queues"])
    context = {
        "queues": queues,
        "silent": silent,
        "total": sum(q["depth"] for q in queues),
    }
    return render(request, "operations/queues.html", context)


async def _queue_facts(services: Services, queue: str) -> dict[str, Any]:
    service = _service_of(queue)
    found: dict[str, Any] = await services.json("GET", service, "/ops/dead-letters")
    for q in found["queues"]:
        if queue in (q["queue"], q["dead_letter_queue"]):
            return {**q, "service": service}
    raise ServiceRefused(404, "queue_not_found", queue, "queue")


def _filters(scope: Scope, message_id: str, event_type: str, reason: str) -> dict[str, str]:
    """The API's filter for a scope: one message, the page's filter, or nothing (all)."""
    if scope == "one":
        return {"message_id": message_id}
    if scope == "filtered":
        return {k: v for k, v in (("event_type", event_type), ("reason", reason)) if v}
    return {}


@router.get("/queues/{queue}", response_class=HTMLResponse)
async def queue_page(
    request: Request,
    _: Operator,
    services: ServicesDep,
    queue: str,
    event_type: Text = "",
    reason: Text = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    done: Annotated[Action | None, Query()] = None,
    count: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    facts = await _queue_facts(services, queue)
    filters = _filters("filtered", "", event_type.strip(), reason.strip())
    params = {**filters, "offset": (page - 1) * PAGE_SIZE, "limit": PAGE_SIZE, "body": "true"}
    letters = await services.json("GET", facts["service"], _path(facts["queue"]), params=params)
    pages = max(1, -(-letters["matching"] // PAGE_SIZE))
    context = {
        "q": facts,
        "letters": letters,
        "event_options": [(e, label("event_type", e)) for e in facts["event_types"]],
        "filters": filters,
        "event_type": filters.get("event_type", ""),
        "reason": filters.get("reason", ""),
        "page": page,
        "pages": pages,
        "query": urlencode(filters),
        "done": done,
        "count": count,
    }
    return render(request, "operations/queue.html", context)


async def _confirmation(
    services: Services,
    queue: str,
    action: Action,
    scope: Scope,
    message_id: str,
    event_type: str,
    reason: str,
) -> dict[str, Any]:
    facts = await _queue_facts(services, queue)
    filters = _filters(scope, message_id.strip(), event_type.strip(), reason.strip())
    errors: dict[str, str] = {}
    if scope != "all" and not filters:
        errors["_form"] = error_message("selection_missing")
    params = {**filters, "limit": PREVIEW}
    letters = await services.json("GET", facts["service"], _path(facts["queue"]), params=params)
    return {
        "q": facts,
        "action": action,
        "scope": scope,
        "filters": filters,
        "letters": letters,
        "count": 0 if errors else letters["matching"],
        "errors": errors,
        "back": f"/operations/queues/{quote(facts['queue'])}"
        + (f"?{urlencode(filters)}" if scope == "filtered" else ""),
    }


@router.get("/queues/{queue}/confirm", response_class=HTMLResponse)
async def confirm_page(
    request: Request,
    _: Operator,
    services: ServicesDep,
    queue: str,
    action: Annotated[Action, Query()],
    scope: Annotated[Scope, Query()],
    message_id: Text = "",
    event_type: Text = "",
    reason: Text = "",
) -> Response:
    """What will happen, to how many messages (and which), before anything moves."""
    context = await _confirmation(services, queue, action, scope, message_id, event_type, reason)
    return render(request, "operations/confirm.html", context)


@router.post("/queues/{queue}/{action}", response_class=HTMLResponse)
async def act(
    request: Request,
    _: Operator,
    services: ServicesDep,
    queue: str,
    action: Action,
    scope: Annotated[Scope, Form()],
    expected: Annotated[int, Form(ge=0, le=10_000_000)],
    message_id: Annotated[str, Form(max_length=200)] = "",
    event_type: Annotated[str, Form(max_length=200)] = "",
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Moves at most the ``expected`` messages the operator confirmed; if the selection changed
    meanwhile, the confirmation page comes back with the new count."""
    facts = await _queue_facts(services, queue)
    filters = _filters(scope, message_id.strip(), event_type.strip(), reason.strip())
    body: dict[str, Any] = {**filters, "all": scope == "all", "expected": expected}
    try:
        result = await services.json(
            "POST", facts["service"], f"{_path(facts['queue'])}/{action}", json=body
        )
    except ServiceRefused as refused:
        if refused.code not in ("dead_letters_changed", "selection_missing"):
            raise
        context = await _confirmation(
            services, queue, action, scope, message_id, event_type, reason
        )
        context["errors"] = {"_form": error_message(refused.code, refused.message)}
        return render(request, "operations/confirm.html", context, status=refused.status)
    done = urlencode({"done": action, "count": result["count"]})
    return RedirectResponse(f"/operations/queues/{quote(facts['queue'])}?{done}", status_code=303)


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(
    request: Request,
    _: Operator,
    services: ServicesDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The one audit log (command line and console alike), newest first. Any service reads it:
    the first that answers does."""
    params = {"offset": (page - 1) * PAGE_SIZE, "limit": PAGE_SIZE}
    found: dict[str, Any] | None = None
    for name in SERVICE_NAMES:
        try:
            found = await services.json("GET", name, "/ops/audit", params=params)
            break
        except ServiceRefused as refused:
            if refused.status < 500:
                raise
            log.warning("service_silent", service=name, error=str(refused))
        except httpx.HTTPStatusError as fault:
            log.warning("service_silent", service=name, error=str(fault))
    if found is None:
        raise ServiceRefused(503, "service_unavailable", "no service answered", None)
    pages = max(1, -(-found["total"] // PAGE_SIZE))
    return render(request, "operations/audit.html", {"log": found, "page": page, "pages": pages})
