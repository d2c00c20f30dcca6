"""Issue 29's probes of the people-facing edge, rerun: each test replays one item of the issue
(1 uploads, 2 replays, 3 forwarded addresses, 4 headers, 5 sessions and throttles, 6 CSRF and
oversize forms, 7 readiness and tokens, 8 broker loss), and a fuzz of every console form ends
the module. Each failed on the main branch the issue was filed against.

The console runs in this process behind httpx's ASGI transport, which lets a test choose the
address a request comes from (the socket's peer), so the sign-in throttles of one test never
slow another down; the four services run as uvicorn servers on a RabbitMQ vhost of this
module's own (no backlog of other tests reaches their consumers, nothing of ours theirs).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
import yaml
from asgi_lifespan import LifespanManager
from cryptography.hazmat.primitives import serialization
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from cnnt_runtime.http.security_headers import SecurityHeadersMiddleware
from cnnt_runtime.launcher import server_config
from cnnt_runtime.messaging.topology import (
    UNROUTED_QUEUE,
    UNROUTED_QUEUE_NAME,
    events_taken_by,
)
from cnnt_runtime.settings import Settings
from cnnt_runtime.tokens import Role, issue_token
from console.entrypoints.http import routers
from console.main import create_app as create_console
from console.service_layer.accounts import create_account
from tests.e2e.console.conftest import served
from tests.support.scenario import open_provincial_round
from tests.support.spreadsheets import bomb, workbook
from tests.support.stack import amqp, bearer, eventually, own_vhost, queue_depth, rows, scalar

REPO = Path(__file__).resolve().parents[3]
TEMPLATES = REPO / "services/console/console/templates"
PASSWORD = "mat-khau-thu-nghiem-29"
PROVINCE = "quang-ninh"
YEAR = 2076  # reserved for issue 29's tests
HEADER = ["Mã số thuế", "Tên cơ sở", "Loại hình cơ sở", "Mã tỉnh", "Tên sản phẩm"]
MAX_ROWS = 50  # the module's console reads lists of at most this many products


# --- the stack -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
async def stack29(stack: Settings) -> AsyncIterator[Settings]:
    """The four services on a vhost of this module's own; settings whose ports reach them."""
    with own_vhost(stack) as settings:
        # A small share of PostgreSQL's connections: the machine's server is shared.
        small = settings.model_copy(update={"db_connection_budget": 16})
        async with served(
            small, "registration", "evaluation", "certification", "support"
        ) as running:
            yield running.model_copy(update={"console_import_max_rows": MAX_ROWS})


@pytest.fixture(scope="module")
async def console(stack29: Settings) -> AsyncIterator[FastAPI]:
    app = create_console(stack29)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30):
        yield app


@pytest.fixture(scope="module")
async def round_(stack29: Settings) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=stack29.base_url("registration")) as registration:
        return await open_provincial_round(registration, stack29, PROVINCE, YEAR)


def client(app: FastAPI, address: str, **settings: Any) -> httpx.AsyncClient:
    """A browser at ``address`` (the socket peer the console sees)."""
    transport = httpx.ASGITransport(app=app, client=(address, 50029), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://console", **settings)


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


async def an_account(app: FastAPI, username: str, role: str = "province_officer") -> None:
    scope = "VN" if role == "ministry" else PROVINCE
    await create_account(
        app.state.engine, username=username, password=PASSWORD, role=role, scope=scope
    )


async def sign_in(
    browser: httpx.AsyncClient, username: str, password: str = PASSWORD, **headers: str
) -> httpx.Response:
    token = csrf_of((await browser.get("/login")).text)
    return await browser.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        headers=headers,
    )


async def signed_in(app: FastAPI, username: str, address: str) -> httpx.AsyncClient:
    browser = client(app, address)
    assert (await sign_in(browser, username)).status_code == 303
    return browser


async def audit_clients(app: FastAPI, username: str) -> list[str]:
    async with app.state.engine.connect() as conn:
        found = await conn.execute(
            text("SELECT client FROM console.audit_log WHERE username = :u ORDER BY id"),
            {"u": username},
        )
        return [row[0] for row in found]


def alert_text(page: str) -> str:
    """The page's messages (form errors, field errors, the error page's alert), tags removed."""
    parts = re.findall(
        r'<(?:small|p|div)[^>]*class="(?:field-error|form-error)"[^>]*>(.*?)</(?:small|p|div)>'
        r'|role="alert"[^>]*>(.*?)</',
        page,
        re.S,
    )
    return " ".join(re.sub(r"<[^>]+>", "", "".join(p)).strip() for p in parts)


# --- 1. uploads ----------------------------------------------------------------------------


async def upload(
    browser: httpx.AsyncClient, round_id: str, name: str, content: bytes
) -> httpx.Response:
    page = await browser.get(f"/rounds/{round_id}/import")
    assert page.status_code == 200, page.text[:500]
    return await browser.post(
        f"/rounds/{round_id}/import",
        data={"csrf_token": csrf_of(page.text)},
        files={"file": (name, content, "application/octet-stream")},
    )


async def test_1_the_200000_row_bomb_is_refused_while_another_user_signs_in(
    console: FastAPI, round_: dict[str, Any]
) -> None:
    await an_account(console, "h29.bomb")
    officer = await signed_in(console, "h29.bomb", "198.51.100.1")
    other = client(console, "198.51.100.2")
    content = bomb()  # 200,000 rows × 15 cells, 0.6 MB packed
    refused, login = await asyncio.gather(
        upload(officer, round_["id"], "danh-sach.xlsx", content), other.get("/login")
    )
    assert login.status_code == 200
    assert "Đăng nhập" in login.text
    # Refused from the workbook's central directory, on the request path: no job was made.
    assert refused.status_code == 422
    assert "Bảng tính khi giải nén lớn hơn 32 MB" in alert_text(refused.text)
    assert console.state.imports.jobs == {}


async def test_1_every_bad_file_gets_a_vietnamese_refusal_never_a_500(
    console: FastAPI, round_: dict[str, Any]
) -> None:
    await an_account(console, "h29.badfiles")
    officer = await signed_in(console, "h29.badfiles", "198.51.100.3")
    noise = b"".join(hashlib.sha256(str(i).encode()).digest() for i in range(40_000))  # 1.3 MB
    template = (await officer.get("/imports/template.xlsx")).content
    cases = {
        "a PDF named .xlsx": (b"%PDF-1.7\n" + noise[:4000], 422, "không phải bảng tính XLSX"),
        "random bytes named .xlsx": (noise, 422, "không phải bảng tính XLSX"),
        "a truncated workbook": (template[: len(template) // 2], 422, "Không đọc được tệp"),
    }
    for case, (content, status, message) in cases.items():
        answer = await upload(officer, round_["id"], "danh-sach.xlsx", content)
        assert answer.status_code == status, case
        assert message in alert_text(answer.text), (case, alert_text(answer.text))
    # 20 MB of random bytes: the body is not read past the console's limit.
    huge = noise * 16
    assert len(huge) > 20_000_000
    answer = await upload(officer, round_["id"], "danh-sach.xlsx", huge)
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "Nội dung gửi lên lớn hơn mức hệ thống chấp nhận" in answer.text


async def follow_job(browser: httpx.AsyncClient, location: str) -> httpx.Response:
    async def settled() -> httpx.Response | None:
        page = await browser.get(location)
        return None if "Đang đọc danh sách" in page.text else page

    result: httpx.Response = await eventually(settled, timeout=60, interval=0.5)
    return result


async def test_1_a_list_is_parsed_by_a_worker_process_while_the_console_answers_others(
    console: FastAPI, round_: dict[str, Any]
) -> None:
    await an_account(console, "h29.worker")
    officer = await signed_in(console, "h29.worker", "198.51.100.4")
    other = client(console, "198.51.100.5")
    too_long = [
        HEADER,
        *[
            [f"600290{i:04d}", f"HTX {i}", "Hợp tác xã", PROVINCE, f"Sản phẩm {i}"]
            for i in range(MAX_ROWS + 1)
        ],
    ]
    posted = await upload(officer, round_["id"], "danh-sach.xlsx", workbook(too_long))
    # The upload answers with the job's page at once: the parsing is not in this request.
    assert posted.status_code == 303
    location = posted.headers["location"]
    assert location.startswith(f"/rounds/{round_['id']}/import/jobs/")
    assert (await other.get("/login")).status_code == 200
    refused = await follow_job(officer, location)
    assert refused.status_code == 422
    assert f"Danh sách có hơn {MAX_ROWS} dòng" in alert_text(refused.text)
    [job] = [j for j in console.state.imports.jobs.values() if j.id in location]
    assert job.worker_pid is not None
    assert job.worker_pid != os.getpid()
    # Someone else's browser cannot read the job.
    await an_account(console, "h29.nosy")
    nosy = await signed_in(console, "h29.nosy", "198.51.100.6")
    assert (await nosy.get(location)).status_code == 404

    fits = [HEADER, ["6002900001", "HTX Gốm Quảng Ninh", "Hợp tác xã", PROVINCE, "Bình gốm"]]
    posted = await upload(officer, round_["id"], "danh-sach.xlsx", workbook(fits))
    assert posted.status_code == 303
    report = await follow_job(officer, posted.headers["location"])
    assert report.status_code == 200
    assert "Kiểm tra trước khi lưu" in report.text or "hợp lệ" in report.text


# --- 2. replays ----------------------------------------------------------------------------


async def test_2_a_replay_to_a_queue_whose_consumer_does_not_take_the_events_is_refused_and_audited(
    stack29: Settings, round_: dict[str, Any]
) -> None:
    operator = bearer(stack29, Role.OPERATOR, subject="ops.h29-refused")
    body = {"queue": "support.recognitions", "round_id": round_["id"], "event_type": "RoundOpened"}
    assert events_taken_by("support.recognitions") == frozenset(
        {"ProductRecognized", "RecognitionRevoked"}
    )
    async with httpx.AsyncClient(base_url=stack29.base_url("registration")) as registration:

        async def published() -> Any:
            return await scalar(
                stack29,
                "registration",
                "SELECT count(*) FROM registration.outbox WHERE published_at IS NOT NULL AND "
                "(payload->'data'->'round'->>'id' = :r OR payload->'data'->>'round_id' = :r)",
                r=round_["id"],
            )

        await eventually(published)
        before = await queue_depth(stack29, "support.recognitions")
        refused = await registration.post("/ops/replay", json=body, headers=operator)
        assert refused.status_code == 422
        assert refused.json()["error"]["code"] == "queue_does_not_take_events"
        assert refused.json()["error"]["details"]["refused"] == ["RoundOpened"]
        assert await queue_depth(stack29, "support.recognitions") == before
        [audit] = await rows(
            stack29,
            "operations",
            "SELECT action, outcome, count AS sent, filters FROM operations.audit_log "
            "WHERE actor = 'ops.h29-refused'",
        )
        assert (audit.action, audit.outcome, audit.sent) == ("history_replay", "refused", 0)
        assert audit.filters["round_id"] == round_["id"]
        assert audit.filters["producer"] == "registration"

        # An outside system's own queue takes what it asks for: sent, and audited with the count.
        queue = "ministry-h29.registrations"
        async with amqp(stack29) as channel:
            await channel.declare_queue(queue, durable=True)
        replayer = bearer(stack29, Role.OPERATOR, subject="ops.h29-sent")
        sent = await registration.post(
            "/ops/replay", json={**body, "queue": queue}, headers=replayer
        )
        assert sent.status_code == 200, sent.text
        assert sent.json()["published"] >= 1
        [audit] = await rows(
            stack29,
            "operations",
            "SELECT outcome, count AS sent, filters FROM operations.audit_log "
            "WHERE actor = 'ops.h29-sent'",
        )
        assert (audit.outcome, audit.sent) == ("completed", sent.json()["published"])
        assert await queue_depth(stack29, queue) == sent.json()["published"]

        # A dead-letter queue takes no events at all: refused whatever the filter.
        dlq = await registration.post(
            "/ops/replay",
            json={"queue": "evaluation.registrations.dlq", "round_id": round_["id"]},
            headers=replayer,
        )
        assert dlq.status_code == 422
        assert dlq.json()["error"]["code"] == "queue_does_not_take_events"
        assert await queue_depth(stack29, "evaluation.registrations.dlq") == 0


# --- 3. forwarded addresses ----------------------------------------------------------------


async def test_3_forwarded_addresses_are_believed_from_trusted_proxies_only(
    console: FastAPI, stack29: Settings
) -> None:
    await an_account(console, "h29.spoofed")
    browser = client(console, "198.51.100.10")
    answers = []
    for i in range(40):
        answer = await sign_in(
            browser, f"h29.guess-{i}", "sai", **{"X-Forwarded-For": f"203.0.113.{i + 1}"}
        )
        answers.append(answer.status_code)
    # Twenty failures from the one real address, then it waits: the header changed nothing.
    assert answers[:20] == [401] * 20
    assert answers[20:] == [429] * 20
    async with console.state.engine.connect() as conn:
        clients = set(
            (
                await conn.scalars(
                    text("SELECT client FROM console.audit_log WHERE username LIKE 'h29.guess-%'")
                )
            ).all()
        )
    assert clients == {"198.51.100.10"}

    trusting = create_console(stack29.model_copy(update={"trusted_proxies": "198.51.100.11"}))
    async with LifespanManager(trusting, startup_timeout=60, shutdown_timeout=30):
        behind = client(trusting, "198.51.100.11")
        await sign_in(behind, "h29.spoofed", "sai", **{"X-Forwarded-For": "203.0.113.77"})
        assert (await audit_clients(trusting, "h29.spoofed"))[-1] == "203.0.113.77"

    # The server itself believes no header (uvicorn's default trusts 127.0.0.1).
    config = server_config(console, stack29, 8000)
    assert config.proxy_headers is False
    assert config.forwarded_allow_ips == ""


# --- 4. headers ----------------------------------------------------------------------------


async def test_4_every_console_response_carries_the_security_headers(
    console: FastAPI, round_: dict[str, Any]
) -> None:
    await an_account(console, "h29.headers")
    officer = await signed_in(console, "h29.headers", "198.51.100.12")
    anonymous = client(console, "198.51.100.13")
    answers = {
        "login": await anonymous.get("/login"),
        "facilities (tax codes)": await officer.get("/facilities"),
        "round": await officer.get(f"/rounds/{round_['id']}"),
        "not found": await officer.get("/no-such-page"),
        "redirect": await anonymous.get("/facilities"),
    }
    for name, answer in answers.items():
        policy = answer.headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in policy, name
        assert "script-src 'self'" in policy, name
        assert "unsafe-inline" not in policy, name
        assert answer.headers["x-frame-options"] == "DENY", name
        assert answer.headers["x-content-type-options"] == "nosniff", name
        assert answer.headers["referrer-policy"] == "same-origin", name
        assert answer.headers["cache-control"] == "no-store", name
        assert "strict-transport-security" not in answer.headers, name  # not production
    static = await anonymous.get("/static/console.css")
    assert static.headers["x-content-type-options"] == "nosniff"
    assert static.headers.get("cache-control") != "no-store"


async def test_4_hsts_is_sent_when_the_setting_says_tls() -> None:
    async def hello(_: Any) -> PlainTextResponse:
        return PlainTextResponse("xin chào")

    app = SecurityHeadersMiddleware(Starlette(routes=[Route("/", hello)]), hsts=True)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://console"
    ) as browser:
        answer = await browser.get("/")
    assert answer.headers["strict-transport-security"].startswith("max-age=31536000")


def test_4_no_template_has_inline_script_style_or_handlers() -> None:
    found = []
    for template in TEMPLATES.rglob("*.html"):
        source = template.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"\son[a-z]+\s*=",
            r"\sstyle\s*=",
            "<style",
        ):
            found += [f"{template.name}: {m}" for m in re.findall(pattern, source)]
    assert found == []
    assert "includeIndicatorStyles" in (TEMPLATES / "base.html").read_text()


# --- 5. sessions and throttles -------------------------------------------------------------


async def test_5_a_password_change_ends_every_other_session(console: FastAPI) -> None:
    await an_account(console, "h29.sessions")
    phone = await signed_in(console, "h29.sessions", "198.51.100.20")
    laptop = await signed_in(console, "h29.sessions", "198.51.100.21")
    page = await laptop.get("/password")
    changed = await laptop.post(
        "/password",
        data={
            "csrf_token": csrf_of(page.text),
            "current_password": PASSWORD,
            "new_password": "mat-khau-moi-h29-2076",
            "confirm_password": "mat-khau-moi-h29-2076",
        },
    )
    assert changed.status_code == 200
    assert (await laptop.get("/")).status_code == 200  # the session that changed it stays
    ended = await phone.get("/")
    assert ended.status_code == 303
    assert ended.headers["location"] == "/login"


async def test_5_expired_sessions_are_refused_and_purged(console: FastAPI) -> None:
    await an_account(console, "h29.expiry")
    browser = await signed_in(console, "h29.expiry", "198.51.100.22")
    async with console.state.engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE console.sessions SET expires_at = now() - interval '1 minute' "
                "WHERE account_id = (SELECT id FROM console.accounts WHERE username = 'h29.expiry')"
            )
        )
    assert (await browser.get("/")).status_code == 303
    await signed_in(console, "h29.expiry", "198.51.100.23")  # a sign-in purges what expired
    async with console.state.engine.connect() as conn:
        left = await conn.scalar(
            text("SELECT count(*) FROM console.sessions WHERE expires_at <= now()")
        )
    assert left == 0


async def test_5_failures_from_many_addresses_slow_down_but_never_lock_the_owner_out(
    console: FastAPI,
) -> None:
    await an_account(console, "h29.victim")
    for i in range(5):
        wrong = await sign_in(client(console, f"198.51.100.{30 + i}"), "h29.victim", "sai")
        assert wrong.status_code == 401
    owner = client(console, "198.51.100.40")
    assert (await sign_in(owner, "h29.victim")).status_code == 303


async def test_5_unknown_and_known_usernames_get_the_same_answers(console: FastAPI) -> None:
    await an_account(console, "h29.known")
    seen: dict[str, list[tuple[int, str]]] = {}
    for name, address in (("h29.known", "198.51.100.50"), ("h29.nobody", "198.51.100.51")):
        browser = client(console, address)
        seen[name] = []
        for _ in range(7):
            answer = await sign_in(browser, name, "sai")
            seen[name].append((answer.status_code, alert_text(answer.text)))
    assert seen["h29.known"] == seen["h29.nobody"]
    assert seen["h29.known"][-1] == (
        429,
        "Đăng nhập sai quá nhiều lần. Hãy đợi một lát rồi thử lại.",
    )
    assert all("khóa" not in message for _, message in seen["h29.known"])


# --- 6. CSRF, oversize forms, English --------------------------------------------------------


async def test_6_a_logout_without_token_or_body_is_a_403_page(console: FastAPI) -> None:
    await an_account(console, "h29.csrf")
    browser = await signed_in(console, "h29.csrf", "198.51.100.60")
    for request in (
        browser.post("/logout"),
        browser.post("/logout", content=b"{}", headers={"content-type": "application/json"}),
        browser.post("/logout", content=b"\xff\x00", headers={"content-type": "text/plain"}),
    ):
        answer = await request
        assert answer.status_code == 403
        assert answer.headers["content-type"].startswith("text/html")
        assert "Biểu mẫu đã hết hạn" in answer.text
    assert (await browser.get("/")).status_code == 200  # still signed in


async def test_6_an_oversize_field_gets_the_console_page_not_json(console: FastAPI) -> None:
    await an_account(console, "h29.oversize")
    browser = await signed_in(console, "h29.oversize", "198.51.100.61")
    page = await browser.get("/facilities/new")
    answer = await browser.post(
        "/facilities",
        files={
            "csrf_token": (None, csrf_of(page.text)),
            "name": (None, "x" * (1024 * 1024 + 1)),
        },
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "Nội dung gửi lên lớn hơn mức hệ thống chấp nhận" in answer.text


def test_6_a_service_text_in_english_never_reaches_a_vietnamese_message() -> None:
    from console.web import i18n
    from console.web.errors import error_message

    i18n.language.set("vi")
    english = "Input should be less than or equal to 100"
    assert error_message("invalid_less_than_equal", english) == (
        "Giá trị này vượt quá mức tối đa cho phép."
    )
    assert "Input should" not in error_message("a_code_without_message", english)


# --- 7. readiness and tokens ---------------------------------------------------------------


async def test_7_readyz_answers_a_status_word_only(stack29: Settings) -> None:
    from tests.support.processes import free_port
    from tests.support.stack import running_service

    async with running_service("registration", stack29, db_port=free_port()) as away:
        answer = await away.get("/readyz")
    assert answer.status_code == 503
    assert set(answer.json()) == {"status", "error"}
    assert answer.json()["status"] == "not_ready"
    assert "Error" not in answer.text
    assert "SELECT" not in answer.text
    async with httpx.AsyncClient(base_url=stack29.base_url("registration")) as registration:
        assert (await registration.get("/readyz")).json() == {"status": "ready"}


async def test_7_token_refusals_are_generic_and_lifetimes_are_capped(stack29: Settings) -> None:
    now = datetime.now(UTC)
    key = await asyncio.to_thread(Path(stack29.auth_signing_key).read_bytes)
    private = serialization.load_pem_private_key(key, password=None)

    def minted(kid: str, lifetime: timedelta, **claims: Any) -> str:
        body = {
            "sub": "ops.h29",
            "role": "ministry",
            "scope": "VN",
            "iss": stack29.auth_issuer,
            "iat": now,
            "exp": now + lifetime,
            **claims,
        }
        return jwt.encode(body, private, algorithm="EdDSA", headers={"kid": kid})  # type: ignore[arg-type]

    kid = Path(stack29.auth_signing_key).stem
    async with httpx.AsyncClient(base_url=stack29.base_url("registration")) as registration:
        for token in (
            minted("khoa-gia-h29-2076", timedelta(minutes=5)),  # a key nobody published
            minted(kid, timedelta(days=365 * 100)),  # a century
            minted(kid, timedelta(hours=stack29.token_max_lifetime_hours, minutes=1)),
        ):
            answer = await registration.get(
                "/api/v1/facilities", headers={"Authorization": f"Bearer {token}"}
            )
            assert answer.status_code == 401
            assert answer.json()["error"]["code"] == "token_invalid"
            assert "khoa-gia" not in answer.text
            assert kid not in answer.text
        fine = issue_token(stack29, subject="ops.h29", role=Role.MINISTRY, scope="VN")
        answer = await registration.get(
            "/api/v1/facilities", headers={"Authorization": f"Bearer {fine}"}
        )
        assert answer.status_code == 200


# --- 8. broker loss --------------------------------------------------------------------------


def test_8_unrouted_events_are_capped_and_every_event_type_is_routed_or_documented() -> None:
    assert UNROUTED_QUEUE.arguments is not None
    assert UNROUTED_QUEUE.arguments["x-overflow"] == "drop-head"
    assert int(UNROUTED_QUEUE.arguments["x-max-length"]) > 0
    definitions = (REPO / "deploy/rabbitmq/definitions.json").read_text()
    assert '"x-max-length"' in definitions
    contracts = (REPO / "docs/contracts.md").read_text()
    assert "SupportGranted" in contracts
    assert UNROUTED_QUEUE_NAME in contracts
    runbook = (REPO / "deploy/RUNBOOK.md").read_text()
    section = runbook[runbook.index("## The broker lost its data") :]
    assert "cnnt replay history" in section
    assert "--since" in section


def test_8_prometheus_alerts_on_missing_consumers_queues_and_unrouted_growth() -> None:
    rules = yaml.safe_load((REPO / "deploy/prometheus/alerts.yml").read_text())
    names = {rule.get("alert") for group in rules["groups"] for rule in group["rules"]}
    assert {"CnntQueueWithoutConsumers", "CnntQueueMissing", "CnntUnroutedFilling"} <= names
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool (Debian's prometheus) is not installed: .ci/run installs it")
    checked = subprocess.run(
        [promtool, "test", "rules", "alerts.test.yml"],
        cwd=REPO / "deploy/prometheus",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


# --- every form, fuzzed --------------------------------------------------------------------

NASTY = (
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "9" * 400,
    "2076-02-30",
    "30/02/2076",
    "<script>alert(1)</script>",
    "'; DROP TABLE console.accounts; --",
    "../../etc/passwd",
    "\u0000",
    "Đắk Lắk ✓ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "x" * 20_000,
    str(uuid.UUID(int=29)),
)


def form_fields(route: APIRoute) -> list[str]:
    return [
        field.alias
        for field in route.dependant.body_params
        if field.alias not in ("csrf_token", "file")
    ]


def concrete(path: str, round_id: str) -> str:
    return re.sub(r"\{[^}]+\}", round_id, path)


async def test_every_console_form_fuzzed_answers_without_a_5xx(
    console: FastAPI, round_: dict[str, Any]
) -> None:
    forms = [
        route
        for router in routers()
        for route in router.routes
        if isinstance(route, APIRoute)
        and "POST" in (route.methods or set())
        and route.path not in ("/login", "/logout")  # both have tests of their own above
    ]
    assert len(forms) > 15
    roles = {"h29.fuzz-ministry": "ministry", "h29.fuzz-officer": "province_officer"}
    browsers = {}
    for i, (username, role) in enumerate(roles.items()):
        await an_account(console, username, role)
        browsers[username] = await signed_in(console, username, f"198.51.100.{70 + i}")
    faults = []
    for route in forms:
        path = concrete(route.path, round_["id"])
        fields = form_fields(route)
        for username, browser in browsers.items():
            token = csrf_of((await browser.get("/password")).text)
            for value in NASTY:
                for target in fields or [""]:
                    data = {name: "1" for name in fields} | ({target: value} if target else {})
                    answer = await browser.post(path, data={**data, "csrf_token": token})
                    if answer.status_code >= 500:
                        faults.append(
                            (route.path, username, target, value[:40], answer.status_code)
                        )
    assert faults == []
