"""Security headers on every response of a people-facing web app (the console; the portal to
come): one ASGI middleware, so no page, error page or redirect can leave without them.

- A strict Content-Security-Policy: scripts, styles, images and fonts from the app's own origin
  only, no inline script or style (the templates carry none; htmx's own indicator style is
  switched off by the ``htmx-config`` meta tag), no plugins, no ``<base>``, forms posting to the
  app only, and no framing (``frame-ancestors 'none'``, with ``X-Frame-Options: DENY`` for
  older browsers): the decision and grant forms cannot be clicked through another site's frame.
- ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin`` (a page's address, which
  may hold a search for a tax code, never leaves the site), ``Cross-Origin-Opener-Policy``.
- ``Cache-Control: no-store`` on everything but the static files: pages show tax codes,
  contacts and scores, and neither a shared proxy nor the browser's back button after sign-out
  may keep them.
- ``Strict-Transport-Security`` only when ``hsts`` is set (production, behind TLS): announced
  over plain HTTP on a developer machine it would pin that host to HTTPS.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HSTS = "max-age=31536000; includeSubDomains"
STATIC_PREFIX = "/static/"


def security_headers(*, hsts: bool) -> dict[str, str]:
    """The headers every response gets (``Cache-Control`` aside)."""
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if hsts:
        headers["Strict-Transport-Security"] = HSTS
    return headers


class SecurityHeadersMiddleware:
    """Adds :func:`security_headers` to every HTTP response, and ``Cache-Control: no-store``
    to every one outside ``cacheable_prefix`` (the static files, which hold nobody's data)."""

    def __init__(self, app: ASGIApp, *, hsts: bool, cacheable_prefix: str = STATIC_PREFIX) -> None:
        self.app = app
        self.headers = security_headers(hsts=hsts)
        self.cacheable_prefix = cacheable_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        no_store = not str(scope.get("path", "")).startswith(self.cacheable_prefix)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers[name] = value
                if no_store:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)


def install(app: Starlette, *, hsts: bool) -> None:
    """Put the middleware outside everything else in ``app``, the server-error handler
    included, so a 500 page leaves with the headers too (``add_middleware`` would place it
    inside that handler)."""
    build = app.build_middleware_stack

    def with_headers() -> ASGIApp:
        return SecurityHeadersMiddleware(build(), hsts=hsts)

    setattr(app, "build_middleware_stack", with_headers)  # noqa: B010 - replaces the method
