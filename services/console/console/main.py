"""The console's app: wiring only (database, HTTP client to the services, templates, CSRF,
language, error pages, areas)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import structlog
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from cnnt_runtime.db.engine import service_engine
from cnnt_runtime.http import security_headers
from cnnt_runtime.logging import configure_logging
from cnnt_runtime.settings import Settings, get_settings
from cnnt_runtime.telemetry import Telemetry, setup_tracing
from cnnt_runtime.uploads import BodyTooLarge, MaxBodySize
from console.adapters.dossier_files import TableLimits
from console.domain.accounts import AccountRefused
from console.entrypoints.http import navigation, routers
from console.entrypoints.http.auth import LANGUAGE_COOKIE
from console.service_layer.import_jobs import ImportJobs
from console.web import csrf, i18n
from console.web.errors import error_message
from console.web.pages import build_templates, is_htmx, render
from console.web.services import ServiceRefused
from console.web.session import RoleRefused, SignInNeeded, optional_account

NAME = "console"
STATIC_DIR = Path(__file__).resolve().parent / "static"
log = structlog.get_logger("cnnt.console")
# Room for a form's own fields (and the multipart framing) beside its largest file.
FORM_ALLOWANCE = 256 * 1024


def create_app(
    settings: Settings | None = None, tracer_provider: TracerProvider | None = None
) -> FastAPI:
    """The console; traced as the services are when tracing is on (cnnt_runtime.telemetry), or
    into ``tracer_provider`` when one is given (a test's in-memory exporter)."""
    settings = settings or get_settings()
    telemetry = setup_tracing(settings, NAME, tracer_provider)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_format, settings.log_level, NAME)
        telemetry.start()
        app.state.engine = service_engine(settings, NAME)
        telemetry.instrument_engine(app.state.engine)
        app.state.http = traced_client(httpx.AsyncClient(timeout=30), telemetry)
        app.state.imports.start()
        log.info("service_started", service=NAME)
        try:
            yield
        finally:
            app.state.imports.stop()
            await app.state.http.aclose()
            await app.state.engine.dispose()
            await telemetry.stop()
            log.info("service_stopped", service=NAME)

    csrf.configure(settings)
    app = FastAPI(
        title="CNNT console",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf.verify)],
    )
    app.state.settings = settings
    app.state.imports = ImportJobs(
        settings.console_import_workers, TableLimits.for_entries(settings.console_import_max_rows)
    )
    app.state.templates = build_templates(navigation())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.middleware("http")
    async def language(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        chosen = request.cookies.get(LANGUAGE_COOKIE, i18n.DEFAULT_LANGUAGE)
        i18n.language.set(chosen if chosen in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE)
        return await call_next(request)

    _install_error_pages(app)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> JSONResponse:
        """A status word only: what failed goes to the log, never to whoever asks."""
        try:
            async with asyncio.timeout(2):
                async with request.app.state.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001 - readiness reports any failure, never raises
            log.warning("not_ready", check="database", error=f"{type(exc).__name__}: {exc}")
            return JSONResponse({"status": "not_ready"}, status_code=503)
        return JSONResponse({"status": "ready"})

    for router in routers():
        app.include_router(router)
    # A body is never read past the largest upload and its form fields.
    app.add_middleware(MaxBodySize, max_bytes=settings.max_upload_bytes + FORM_ALLOWANCE)
    trusted = settings.trusted_proxy_list()
    if trusted:  # X-Forwarded-For believed from these peers only (launcher: uvicorn never does)
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=trusted)
    telemetry.instrument_app(app)  # outermost: the request's log line carries its trace id
    security_headers.install(app, hsts=settings.environment == "production")
    return app


def traced_client(client: httpx.AsyncClient, telemetry: Telemetry) -> httpx.AsyncClient:
    """The console's one client to the services: with tracing on, each call is a client span
    whose context travels in the request's ``traceparent``, so the service's spans continue the
    page's trace instead of starting their own."""
    if telemetry.provider is not None:
        from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

        HTTPXClientInstrumentor.instrument_client(
            client, tracer_provider=telemetry.provider, meter_provider=NoOpMeterProvider()
        )
    return client


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, _: SignInNeeded) -> Response:
        if is_htmx(request):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(RoleRefused)
    async def role_refused(request: Request, _: RoleRefused) -> Response:
        message = error_message("role_not_allowed")
        return render(request, "error.html", {"message": message}, status=403)

    @app.exception_handler(csrf.CsrfRefused)
    async def csrf_refused(request: Request, exc: csrf.CsrfRefused) -> Response:
        log.warning("csrf_refused", path=request.url.path, reason=str(exc))
        message = error_message("csrf_failed")
        return render(request, "error.html", {"message": message}, status=403)

    @app.exception_handler(StarletteHTTPException)
    async def body_unreadable(request: Request, exc: StarletteHTTPException) -> Response:
        """FastAPI reads a route's form before any dependency and answers a part over 1 MB,
        or a body past MaxBodySize, with a 400 in JSON: those get the console's page. Any
        other HTTP exception (an unknown address: 404, a method not served: 405) gets the
        console's error page in its layout, never FastAPI's JSON."""
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, BaseExceptionGroup):  # the multipart stream's task group
            cause = cause.subgroup((MultiPartException, BodyTooLarge))
            while isinstance(cause, BaseExceptionGroup):
                cause = cause.exceptions[0]
        if isinstance(cause, MultiPartException | BodyTooLarge):
            return await form_too_large(request, csrf.FormTooLarge(str(cause)))
        code = {404: "page_not_found", 405: "page_not_found"}.get(exc.status_code, "bad_request")
        return await _error_page(request, code, exc.status_code)

    @app.exception_handler(AccountRefused)
    async def account_refused(request: Request, exc: AccountRefused) -> Response:
        """An account use case's refusal no page placed next to a field (an account id in a
        form that names no account): a page of its own, never a 500."""
        status = 404 if exc.code == "account_not_found" else 422
        return render(request, "error.html", {"message": error_message(exc.code)}, status=status)

    @app.exception_handler(csrf.FormTooLarge)
    async def form_too_large(request: Request, exc: csrf.FormTooLarge) -> Response:
        log.warning("form_too_large", path=request.url.path, reason=str(exc))
        message = error_message("form_too_large")
        return render(request, "error.html", {"message": message}, status=413)

    @app.exception_handler(ServiceRefused)
    async def service_refused(request: Request, exc: ServiceRefused) -> Response:
        """A refusal no page placed next to a field: shown on a page of its own."""
        if exc.code in ("token_missing", "token_invalid", "token_expired"):
            return RedirectResponse("/login", status_code=303)
        message = error_message(exc.code)
        status = exc.status if 400 <= exc.status < 600 else 502
        return render(request, "error.html", {"message": message}, status=status)

    # The console's own refusals and faults, in its layout and words (never FastAPI's JSON):
    # a malformed address (/facilities/abc), a fault.
    @app.exception_handler(RequestValidationError)
    async def invalid_address(request: Request, exc: RequestValidationError) -> Response:
        if any(e["loc"][:1] == ("path",) for e in exc.errors()):
            return await _error_page(request, "page_not_found", 404)
        return await _error_page(request, "address_invalid", 422)

    @app.exception_handler(Exception)
    async def fault(request: Request, exc: Exception) -> Response:
        log.error("unhandled_error", error_type=type(exc).__name__, error=str(exc))
        return await _error_page(request, "internal_error", 500)


async def _error_page(request: Request, code: str, status: int) -> Response:
    """The error page with the menu of whoever is signed in (an unknown address has run no
    dependency that would have looked them up)."""
    if getattr(request.state, "account", None) is None:
        try:
            await optional_account(request)
        except Exception as exc:  # noqa: BLE001 - the error page shows even without a database
            log.warning("error_page_account_unknown", error=str(exc))
    context = {"message": error_message(code), "code": code}
    return render(request, "error.html", context, status=status)
