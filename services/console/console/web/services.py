"""The console's way to the four services: their HTTP APIs only, each call with a short-lived
token minted for the signed-in person (their role and scope, nothing more)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

import httpx
from fastapi import Depends, Request

from cnnt_runtime.settings import Settings
from cnnt_runtime.tokens import issue_token
from console.domain.accounts import Account
from console.web.session import CurrentAccount


class ServiceRefused(Exception):
    """A service's 4xx answer, in its one shape ``{"error": {"code", "message", "field"}}``."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None,
        details: list[dict[str, Any]] | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.details = details or []  # per-field problems of a validation_failed
        self.body = body or {}  # the whole answer (an import's refusal carries its report)

    @property
    def form_field(self) -> str:
        """The form input the refusal names (``facility.name`` → ``name``); ``""`` if none."""
        return (self.field or "").rsplit(".", 1)[-1]


@dataclass
class Services:
    settings: Settings
    account: Account
    http: httpx.AsyncClient
    seat: str | None = None  # a jury member id: the judge acting in that one jury

    def token(self) -> str:
        return issue_token(
            self.settings,
            subject=f"console:{self.account.username}",
            role=self.account.role,
            scope=self.seat or self.account.token_scope,
            ttl=timedelta(minutes=self.settings.console_token_minutes),
        )

    async def my_juries(self) -> list[dict[str, Any]]:
        """Every jury seat the signed-in judge holds (evaluation knows them by account)."""
        seats: list[dict[str, Any]] = await self.json("GET", "evaluation", "/api/v1/juries/mine")
        return seats

    async def call(self, method: str, service: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token()}", **kwargs.pop("headers", {})}
        try:
            response = await self.http.request(
                method, f"{self.settings.base_url(service)}{path}", headers=headers, **kwargs
            )
        except httpx.TransportError as exc:
            raise ServiceRefused(503, "service_unavailable", str(exc), None) from exc
        if 400 <= response.status_code < 500:
            body = _body_of(response)
            found = body.get("error")
            error: dict[str, Any] = found if isinstance(found, dict) else {}
            raise ServiceRefused(
                response.status_code,
                str(error.get("code", f"http_{response.status_code}")),
                str(error.get("message", "")),
                error.get("field"),
                [d for d in error.get("details", []) if isinstance(d, dict)],
                body,
            )
        response.raise_for_status()  # a 5xx is a fault, not a refusal: let it show as one
        return response

    async def json(self, method: str, service: str, path: str, **kwargs: Any) -> Any:
        return (await self.call(method, service, path, **kwargs)).json()


def _body_of(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


async def services(request: Request, account: CurrentAccount) -> Services:
    return Services(request.app.state.settings, account, request.app.state.http)


ServicesDep = Annotated[Services, Depends(services)]
