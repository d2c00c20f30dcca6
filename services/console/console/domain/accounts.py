"""Accounts (tài khoản): who signs in, with which role and over which scope."""

from __future__ import annotations

import re
from dataclasses import dataclass
from uuid import UUID

from cnnt_runtime.tokens import Role

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
MIN_PASSWORD_LENGTH = 10


class AccountRefused(ValueError):
    """An account rule broken: a stable code and the form field it concerns."""

    def __init__(self, code: str, field: str) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class Account:
    id: UUID
    username: str
    display_name: str
    role: Role
    scope: str
    disabled: bool

    @property
    def token_scope(self) -> str:
        """The scope the services see: a judge is one person across rounds, known to the
        evaluation service by their account id; other roles act on their province or VN."""
        return str(self.id) if self.role is Role.JUDGE else self.scope


def check_new_account(username: str, role: str, scope: str, password: str) -> Role:
    if not USERNAME.match(username):
        raise AccountRefused("username_invalid", "username")
    try:
        known = Role(role)
    except ValueError as exc:
        raise AccountRefused("role_unknown", "role") from exc
    if not scope.strip():
        raise AccountRefused("scope_missing", "scope")
    check_password(password)
    return known


def check_password(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountRefused("password_too_short", field)
