"""Bearer tokens: EdDSA (Ed25519) JWTs carrying a role and a scope (no web framework here, so
the command line can issue tokens without importing one).

Only a holder of the private signing key can mint a token: the console and the operators'
``cnnt token issue``. The services hold public keys only, so a leaked service configuration
mints nothing. Each key has an id (``kid``, the key file's name without ``.pem``) written in the
token's header; every public key in ``CNNT_AUTH_PUBLIC_KEYS_DIR`` is accepted, which lets two
keys be valid at once while one is rotated out (deploy/RUNBOOK.md).

The scope is what the role acts on: a province code for a province officer, the person's
account id for a judge, a province code or ``VN`` for a support officer. Ministry, certifier and
operator tokens may carry ``VN``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import jwt
import structlog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, ValidationError

from cnnt_runtime.errors import Forbidden, Unauthorized
from cnnt_runtime.scope import covers
from cnnt_runtime.settings import Settings

ALGORITHM = "EdDSA"
# Seconds a token's iat may lie ahead of this host's clock (PyJWT refuses one issued later).
CLOCK_SKEW = 30
log = structlog.get_logger("cnnt.auth")


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
            raise Forbidden(
                "role_not_allowed", f"thao tác này cần một trong các vai trò: {allowed}"
            )
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
            f"tài khoản thuộc phạm vi {self.scope!r} không được thao tác với tỉnh "
            f"{province_code!r}",
            field=field,
        )


class SigningKeyMissing(RuntimeError):
    """This process holds no private key: it can verify tokens, not mint them."""


def generate_key_pair(directory: Path, kid: str) -> tuple[Path, Path]:
    """Write ``private/<kid>.pem`` (mode 0600) and ``public/<kid>.pem`` under ``directory``."""
    if not kid.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"a key id is letters, digits, '-' and '_' only: {kid!r}")
    key = Ed25519PrivateKey.generate()
    private = directory / "private" / f"{kid}.pem"
    public = directory / "public" / f"{kid}.pem"
    for path in (private, public):
        if path.exists():
            raise FileExistsError(f"{path} exists; choose another key id")
    private.parent.mkdir(parents=True, exist_ok=True)
    public.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(pem)
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


def ensure_development_keys(settings: Settings) -> None:
    """A developer machine or a test run gets a key pair on first use; production never does
    (its keys are made and placed by an operator, RUNBOOK)."""
    if settings.environment == "production" or settings.auth_signing_key.exists():
        return
    directory = settings.auth_signing_key.parent.parent
    if settings.auth_public_keys_dir != directory / "public":
        return  # a layout of the operator's own: not ours to fill in
    generate_key_pair(directory, settings.auth_signing_key.stem)


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
    key = _signing_key(str(settings.auth_signing_key), _mtime(settings.auth_signing_key))
    return jwt.encode(
        claims, key, algorithm=ALGORITHM, headers={"kid": settings.auth_signing_key.stem}
    )


def read_token(settings: Settings, token: str) -> Principal:
    """The principal a bearer token speaks for. A token verified once is remembered until it
    expires (its signature cannot change): the signature check and claim parsing were about 5 %
    of a score submission's time, for a judge who sends the same token all day."""
    keys = _public_keys(str(settings.auth_public_keys_dir), _mtime(settings.auth_public_keys_dir))
    max_lifetime = settings.token_max_lifetime_hours * 3600
    try:
        principal, expires = _verified(token, keys, settings.auth_issuer, max_lifetime)
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("token_expired", "phiên đăng nhập đã hết hạn") from exc
    except (jwt.InvalidTokenError, KeyError, ValidationError) as exc:
        # Why is logged; the answer names nothing (no key id, no library text) an attacker
        # could learn the key set or the checks from.
        log.info("token_refused", reason=f"{type(exc).__name__}: {exc}"[:300])
        raise Unauthorized("token_invalid", "mã xác thực không hợp lệ") from exc
    if expires <= time.time():
        raise Unauthorized("token_expired", "phiên đăng nhập đã hết hạn")
    return principal


@dataclass(frozen=True)
class _PublicKeys:
    """The accepted public keys by id, as PEM (hashable, so verified tokens can be cached)."""

    pems: tuple[tuple[str, bytes], ...]

    def key(self, kid: str) -> Ed25519PublicKey:
        pem = dict(self.pems)[kid]  # KeyError: a key nobody published
        loaded = serialization.load_pem_public_key(pem)
        if not isinstance(loaded, Ed25519PublicKey):
            raise jwt.InvalidKeyError(f"public key {kid!r} is not an Ed25519 key")
        return loaded


def _mtime(path: Path) -> int:
    """Part of the cache keys below: a key written or removed is seen without a restart."""
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


@lru_cache(maxsize=8)
def _public_keys(directory: str, _mtime_ns: int) -> _PublicKeys:
    folder = Path(directory)
    found = sorted(folder.glob("*.pem")) if folder.is_dir() else []
    return _PublicKeys(tuple((path.stem, path.read_bytes()) for path in found))


@lru_cache(maxsize=4)
def _signing_key(path: str, mtime_ns: int) -> Ed25519PrivateKey:
    if not mtime_ns:
        raise SigningKeyMissing(
            f"no private signing key at {path}: only the console and operators mint tokens"
        )
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


@lru_cache(maxsize=10_000)
def _verified(
    token: str, keys: _PublicKeys, issuer: str, max_lifetime: int
) -> tuple[Principal, float]:
    """Verify and parse a token (raises if it is not valid now); its expiry as a timestamp.
    A token must say when it was issued (``iat``), not in the future, and live at most
    ``max_lifetime`` seconds. Only valid tokens are remembered: a failure raises and nothing
    is cached."""
    kid = jwt.get_unverified_header(token).get("kid")
    if not isinstance(kid, str):
        raise jwt.InvalidTokenError("the token names no key id (kid)")
    claims = jwt.decode(
        token,
        keys.key(kid),
        algorithms=[ALGORITHM],
        issuer=issuer,
        options={"require": ["exp", "iat", "sub", "iss"]},
        leeway=CLOCK_SKEW,
    )
    issued, expires = float(claims["iat"]), float(claims["exp"])
    if expires - issued > max_lifetime:
        raise jwt.InvalidTokenError(f"lifetime {expires - issued:.0f} s over {max_lifetime} s")
    principal = Principal(subject=claims["sub"], role=claims["role"], scope=claims["scope"])
    return principal, expires
