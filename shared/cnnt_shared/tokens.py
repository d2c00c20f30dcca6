"""Bearer tokens: signed (HS256) JWTs carrying a role and a scope (no web framework here, so
the command line can issue tokens without importing one).

The scope is what the role acts on: a province code for a province officer, a judge id for a
judge, a province code or ``VN`` for a support officer. Ministry, certifier and operator tokens
may carry ``VN``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

import jwt
from pydantic import BaseModel, ConfigDict, ValidationError

from cnnt_shared.errors import Forbidden, Unauthorized
from cnnt_shared.scope import covers
from cnnt_shared.settings import Settings


class Role(StrEnum):
    MINISTRY = "ministry"
    PROVINCE_OFFICER = "province_officer"
    JUDGE = "judge"
    CERTIFIER = "certifier"
    SUPPORT_OFFICER = "support_officer"
    OPERATOR = "operator"


class Principal(BaseModel):
    model_config = ConfigDict(frozen=True)  # one instance may serve many requests

    subject: str
    role: Role
    scope: str

    def require(self, *roles: Role) -> Principal:
        if self.role not in roles:
            allowed = ", ".join(r.value for r in roles)
            raise Forbidden("role_not_allowed", f"this action needs one of the roles: {allowed}")
        return self

    def require_province(self, province_code: str, *, field: str = "province_code") -> Principal:
        """A province officer acts only in the provinces their scope covers (``scope.covers``:
        a current unit covers the earlier provinces merged into it); the ministry everywhere."""
        if self.role is Role.MINISTRY:
            return self
        if self.role is Role.PROVINCE_OFFICER and covers(self.scope, province_code):
            return self
        raise Forbidden(
            "province_out_of_scope",
            f"a token scoped to {self.scope!r} cannot act on province {province_code!r}",
            field=field,
        )


def issue_token(
    settings: Settings, *, subject: str, role: Role, scope: str, ttl: timedelta | None = None
) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": subject,
        "role": role.value,
        "scope": scope,
        "iss": settings.auth_issuer,
        "iat": now,
        "exp": now + (ttl or timedelta(hours=settings.token_ttl_hours)),
    }
    return jwt.encode(claims, settings.auth_secret.get_secret_value(), algorithm="HS256")


def read_token(settings: Settings, token: str) -> Principal:
    """The principal a bearer token speaks for. A token verified once is remembered until it
    expires (its signature cannot change): the HMAC check and claim parsing were about 5 % of a
    score submission's time, for a judge who sends the same token all day."""
    try:
        principal, expires = _verified(
            token, settings.auth_secret.get_secret_value(), settings.auth_issuer
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("token_expired", "the bearer token has expired") from exc
    except (jwt.InvalidTokenError, KeyError, ValidationError) as exc:
        raise Unauthorized("token_invalid", f"the bearer token is not valid: {exc}") from exc
    if expires <= time.time():
        raise Unauthorized("token_expired", "the bearer token has expired")
    return principal


@lru_cache(maxsize=10_000)
def _verified(token: str, secret: str, issuer: str) -> tuple[Principal, float]:
    """Verify and parse a token (raises if it is not valid now); its expiry as a timestamp.
    Only valid tokens are remembered: a failure raises and nothing is cached."""
    claims = jwt.decode(
        token,
        secret,
        algorithms=["HS256"],
        issuer=issuer,
        options={"require": ["exp", "sub", "iss"]},
    )
    principal = Principal(subject=claims["sub"], role=claims["role"], scope=claims["scope"])
    return principal, float(claims["exp"])
