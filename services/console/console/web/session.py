"""Who is signed in: the session cookie resolved to an account, and the guard admitting the
roles of a rule of ``console.service_layer.access`` (the rules live there, the mechanism here)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import cache
from typing import Annotated

from fastapi import Depends, Request

from cnnt_runtime.tokens import Role
from console.domain.accounts import Account
from console.service_layer.signin import session_account

COOKIE = "cnnt_session"


class SignInNeeded(Exception):
    """No live session: the visitor is sent to the sign-in page."""


class RoleRefused(Exception):
    """Signed in, but this page is for another role."""


async def optional_account(request: Request) -> Account | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    account = await session_account(request.app.state.engine, token)
    request.state.account = account
    return account


async def current_account(
    account: Annotated[Account | None, Depends(optional_account)],
) -> Account:
    if account is None:
        raise SignInNeeded
    return account


CurrentAccount = Annotated[Account, Depends(current_account)]


@cache
def roles(rule: frozenset[Role]) -> Callable[[Account], Awaitable[Account]]:
    """A dependency admitting only the roles of ``rule``, one of ``console.service_layer.access``'s:
    ``Annotated[Account, Depends(roles(access.MAY_ORGANISE))]``. One guard per rule, so the
    routes admitting a rule can be found by it."""

    async def guard(account: CurrentAccount) -> Account:
        if account.role not in rule:
            raise RoleRefused
        return account

    return guard
