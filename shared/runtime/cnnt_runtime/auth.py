"""The HTTP side of authentication: a FastAPI dependency that reads the bearer token.

Tokens themselves (roles, scopes, signing) are in ``cnnt_runtime.tokens``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from cnnt_runtime.errors import Unauthorized
from cnnt_runtime.settings import Settings
from cnnt_runtime.tokens import Principal, Role, issue_token, read_token

__all__ = [
    "CurrentPrincipal",
    "Principal",
    "Role",
    "current_principal",
    "issue_token",
    "read_token",
]

_bearer = HTTPBearer(auto_error=False, description="A token issued by `cnnt token issue`")


async def current_principal(  # async: FastAPI runs a plain def dependency in a worker thread
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise Unauthorized("token_missing", "cần mã xác thực: tiêu đề Authorization: Bearer")
    settings: Settings = request.app.state.settings
    return read_token(settings, credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
