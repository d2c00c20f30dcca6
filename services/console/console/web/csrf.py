"""CSRF protection on every form and htmx request: fastapi-csrf-protect's double-submit
cookie, its token read from the form field ``csrf_token`` or, for htmx, the ``X-CSRF-Token``
header (console.js adds it to every htmx request)."""

from __future__ import annotations

from fastapi import Request
from fastapi_csrf_protect.exceptions import CsrfProtectError
from fastapi_csrf_protect.flexible import CsrfProtect
from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.exceptions import HTTPException

from cnnt_runtime.settings import Settings
from cnnt_runtime.uploads import BodyTooLarge

COOKIE = "cnnt_csrf"
FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_SALT = "fastapi-csrf-token"  # the library's salt: its cookie is read back with it


class CsrfRefused(Exception):
    """A state-changing request without a matching CSRF token."""


class FormTooLarge(Exception):
    """A form (or one of its fields) over the console's limits: answered with the console's
    own page, not the framework's JSON."""


def configure(settings: Settings) -> None:
    """The library keeps its configuration on the class (one per process): a process serves
    one console."""
    secure = settings.environment == "production"
    max_age = settings.console_session_hours * 3600

    @CsrfProtect.load_config
    def _config() -> list[tuple[str, object]]:
        return [
            ("secret_key", settings.console_secret.get_secret_value()),
            ("cookie_key", COOKIE),
            ("cookie_samesite", "strict"),
            ("cookie_secure", secure),
            ("max_age", max_age),
            ("token_key", FIELD),
            ("token_location", "body"),
        ]


def token_for(request: Request, protect: CsrfProtect, secret: str) -> tuple[str, str | None]:
    """The token to put in this page's forms, and a new signed cookie value to set when the
    visitor has none (``None``: keep theirs). Reusing the cookie's token keeps several open
    tabs working."""
    signed = request.cookies.get(COOKIE)
    if signed:
        try:
            token: str = URLSafeTimedSerializer(secret, salt=_SALT).loads(signed)
            return token, None
        except BadData:
            pass  # expired or forged: issue a fresh pair below
    token, signed = protect.generate_csrf_tokens()
    return token, signed


async def verify(request: Request) -> None:
    """App-wide dependency: state-changing requests must carry the token."""
    if request.method in SAFE_METHODS:
        return
    content_type = request.headers.get("content-type", "")
    is_form = content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))
    if is_form:
        try:
            await request.form()  # parsed once; the library and the route read the same form
        except (HTTPException, BodyTooLarge) as exc:  # a field over 1 MB, a body over the cap
            raise FormTooLarge(str(exc)) from exc
    elif not request.headers.get("x-csrf-token"):
        # Not a form and no header: nothing can carry the token (the library would try to read
        # the body as JSON and fail on an empty or non-JSON one).
        raise CsrfRefused("no token: neither a form field nor the X-CSRF-Token header")
    try:
        await CsrfProtect().validate_csrf(request)
    except CsrfProtectError as exc:
        raise CsrfRefused(str(exc)) from exc
    except ValueError as exc:  # a body the library could not read for its token
        raise CsrfRefused(f"unreadable body: {type(exc).__name__}") from exc
