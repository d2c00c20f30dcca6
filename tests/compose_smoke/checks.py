"""What the smoke run checks besides the programme cycle and the stream (issue #20's defects)."""

from __future__ import annotations

import json
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from secrets import token_urlsafe
from typing import Any

import httpx

from cnnt_contracts.vocabulary import NATION_SCOPE
from cnnt_runtime.tokens import Role, issue_token
from tests.compose_smoke.engine import sh
from tests.compose_smoke.stack import SERVICES, Stack


def bearer(stack: Stack, role: Role, scope: str) -> dict[str, str]:
    token = issue_token(stack.settings(), subject=f"smoke:{role.value}", role=role, scope=scope)
    return {"Authorization": f"Bearer {token}"}


def api(stack: Stack, service: str) -> str:
    return f"http://127.0.0.1:{stack.ports[service]}/api/v1"


def management(
    stack: Stack, path: str, user: str | None = None, password: str | None = None
) -> httpx.Response:
    secrets = stack.secrets
    auth = (user or secrets["RABBITMQ_DEFAULT_USER"], password or secrets["RABBITMQ_DEFAULT_PASS"])
    return httpx.get(
        f"http://127.0.0.1:{stack.ports['rabbitmq_ui']}/api/{path}", auth=auth, timeout=30
    )


def queue_depth(stack: Stack, queue: str) -> int:
    response = management(stack, f"queues/%2F/{queue}")
    response.raise_for_status()
    return int(response.json().get("messages", 0))


def ok(response: httpx.Response) -> Any:
    assert response.status_code < 300, (
        f"{response.request.url}: {response.status_code} {response.text}"
    )
    return response.json()


@dataclass
class Kept:
    """Data written before an upgrade, and a message still queued when the stack went down."""

    facility_id: str
    facility_name: str
    round_id: str


def leave_data_and_a_queued_message(stack: Stack) -> Kept:
    officer = bearer(stack, Role.PROVINCE_OFFICER, "dak-lak")
    ministry = bearer(stack, Role.MINISTRY, NATION_SCOPE)
    name = "Cơ sở Dệt thổ cẩm Buôn Đôn (trước nâng cấp)"
    body = {
        "name": name,
        "kind": "cooperative",
        "business_code": "6000888001",
        "province_code": "dak-lak",
    }
    facility = ok(
        httpx.post(
            f"{api(stack, 'registration')}/facilities", json=body, headers=officer, timeout=60
        )
    )
    # With evaluation stopped, the round's RoundOpened event waits in evaluation's queue.
    stack.compose("stop", "evaluation")
    round_body = {
        "name": "Bình chọn sản phẩm CNNT tiêu biểu tỉnh Đắk Lắk năm 2026",
        "level": "provincial",
        "scope_code": "dak-lak",
        "year": 2026,
        "opens_on": "2026-03-01",
        "closes_on": "2026-05-31",
        "settings": {"quota": 5},
    }
    created = ok(
        httpx.post(
            f"{api(stack, 'registration')}/rounds", json=round_body, headers=ministry, timeout=60
        )
    )
    ok(
        httpx.post(
            f"{api(stack, 'registration')}/rounds/{created['id']}/open",
            headers=ministry,
            timeout=60,
        )
    )
    eventually(
        "RoundOpened queued for evaluation",
        lambda: queue_depth(stack, "evaluation.registrations") > 0,
    )
    return Kept(str(facility["id"]), name, str(created["id"]))


def data_and_queued_message_kept(stack: Stack, kept: Kept) -> None:
    officer = bearer(stack, Role.PROVINCE_OFFICER, "dak-lak")
    ministry = bearer(stack, Role.MINISTRY, NATION_SCOPE)
    facility = ok(
        httpx.get(
            f"{api(stack, 'registration')}/facilities/{kept.facility_id}",
            headers=officer,
            timeout=60,
        )
    )
    assert facility["name"] == kept.facility_name, facility
    url = f"{api(stack, 'evaluation')}/rounds/{kept.round_id}/entries"
    eventually(
        "evaluation to receive the RoundOpened queued before the upgrade",
        lambda: httpx.get(url, headers=ministry, timeout=60).status_code == 200,
    )


def eventually(what: str, check: Any, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.5)


def started_by_its_own_compose_file(stack: Stack) -> None:
    """Every container of the stack was made from the running release's compose file (compose
    labels each with the files it was run with): the earlier commit runs with its own
    deploy/docker-compose.yml, this one with this commit's."""
    expected = {stack.running().compose_file.resolve()}
    for service in ("postgres", "rabbitmq", "migrate", *SERVICES):
        label = sh(
            "docker",
            "inspect",
            "-f",
            '{{index .Config.Labels "com.docker.compose.project.config_files"}}',
            stack.container(service),
        ).strip()
        files = {Path(name).resolve() for name in label.split(",") if name}
        assert files == expected, f"{service} was started from {label!r}, not {expected}"


def admin_secrets_stay_with_migrate(stack: Stack) -> None:
    """Service containers get neither PostgreSQL's nor RabbitMQ's administrator password."""
    secrets = stack.secrets
    admin = {secrets["POSTGRES_PASSWORD"], secrets["RABBITMQ_DEFAULT_PASS"]}
    for service in SERVICES:
        env = json.loads(
            sh("docker", "inspect", "-f", "{{json .Config.Env}}", stack.container(service))
        )
        leaked = [item.split("=", 1)[0] for item in env if item.split("=", 1)[-1] in admin]
        assert not leaked, f"{service} has administrator passwords in {leaked}"


def ports_on_localhost_and_ui_for_the_administrator(stack: Stack) -> None:
    for service in ("rabbitmq", *SERVICES):
        bindings = json.loads(
            sh(
                "docker",
                "inspect",
                "-f",
                "{{json .NetworkSettings.Ports}}",
                stack.container(service),
            )
        )
        hosts = {b["HostIp"] for published in bindings.values() if published for b in published}
        assert hosts == {"127.0.0.1"}, f"{service} is published on {hosts}"
    secrets = stack.secrets
    assert management(stack, "whoami").status_code == 200
    refused = management(
        stack, "whoami", secrets["RABBITMQ_SERVICE_USER"], secrets["RABBITMQ_SERVICE_PASS"]
    )
    assert refused.status_code == 401, (
        f"the services' user opens the management UI: {refused.status_code}"
    )


def no_dead_letters(stack: Stack) -> None:
    response = management(stack, "queues/%2F")
    response.raise_for_status()
    full = {
        q["name"]: q.get("messages", 0)
        for q in response.json()
        if q["name"].endswith(".dlq") and q.get("messages", 0)
    }
    assert not full, f"dead letters: {full}"


def image_is_lean(image: str) -> str:
    """No package cache, code not writable by the service user; returns the size for the log."""
    sh(
        "docker",
        "run",
        "--rm",
        "--entrypoint",
        "sh",
        image,
        "-c",
        "test ! -e /root/.cache/uv && test ! -e /app/.cache"
        ' && test -z "$(find /app -writable -print -quit)"',
    )
    size = int(sh("docker", "image", "inspect", "-f", "{{.Size}}", image))
    return f"{size / 1e6:.0f} MB"


def service_images_carry_only_what_they_use(prefix: str, tag: str) -> None:
    """A service's image runs `cnnt-service` and has no command line, terminal or chart library
    (certification keeps matplotlib for its certificate font); the platform image has `cnnt`."""
    probe = (
        "import importlib.util as u, shutil; "
        "print(*sorted(m for m in ('typer', 'rich', 'matplotlib', 'cnnt_tools') if u.find_spec(m)),"
        " 'cnnt' if shutil.which('cnnt') else '', sep=',')"
    )
    expected = {
        "registration": "",
        "evaluation": "",
        "support": "",
        "certification": "matplotlib",
        "console": "cnnt_tools,matplotlib,rich,typer,cnnt",
        "platform": "cnnt_tools,matplotlib,rich,typer,cnnt",
    }
    for component, carries in expected.items():
        image = f"{prefix}-{component}:{tag}"
        found = sh("docker", "run", "--rm", "--entrypoint", "python", image, "-c", probe)
        assert ",".join(p for p in found.strip().split(",") if p) == carries, (image, found)
        sh("docker", "run", "--rm", "--entrypoint", "cnnt-service", image, "--help")
    print("  service images: no typer, rich or cnnt tools; certification matplotlib only")


def migrate_logs_json_and_refuses_a_wrong_password_in_one_line(stack: Stack) -> None:
    """The migrate step logs JSON like the services; a POSTGRES_PASSWORD that is not the
    database's (changed after the first start) ends it with one clear line, no traceback."""
    logs = stack.compose("logs", "--no-color", "migrate").splitlines()
    lines = [line.split("|", 1)[1].strip() for line in logs if "|" in line]
    not_json = [line for line in lines if line and not line.startswith("{")]
    assert not not_json, not_json
    events = [json.loads(line) for line in lines if line]
    assert any(e["event"] == "schema_up_to_date" for e in events), events
    wrong = subprocess.run(
        [
            *stack.compose_args(),
            "run",
            "--rm",
            "--no-deps",
            "-e",
            "CNNT_DB_ADMIN_PASSWORD=not-the-password",
            "migrate",
        ],
        env=stack.environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    output = wrong.stdout + wrong.stderr
    assert wrong.returncode != 0, output
    assert "database_login_refused" in output, output
    assert "Traceback" not in output, output


def cookies_set(response: httpx.Response) -> dict[str, str]:
    """The cookies a response sets, read by hand: production marks them Secure, and a client
    keeps Secure cookies from a plain-HTTP origin (here the published port stands where the
    operators' TLS proxy would)."""
    pairs = (c.split(";", 1)[0].split("=", 1) for c in response.headers.get_list("set-cookie"))
    return {name.strip(): value for name, value in pairs}


def console_signs_in_an_account_made_in_its_container(stack: Stack) -> None:
    """`cnnt user create` inside the console's container makes an account that signs in through
    the published port (with the login form's CSRF token) and reaches the home page."""
    username, name = "smoke-ministry", "Cán bộ Bộ Công Thương (smoke)"
    password = token_urlsafe(18)
    done = subprocess.run(
        [
            *("docker", "exec", "-i", stack.container("console")),
            # Through the entrypoint, as RUNBOOK says: it builds CNNT_AMQP_URL (exec skips it).
            *(
                "cnnt-entrypoint",
                "cnnt",
                "user",
                "create",
                "--username",
                username,
                "--role",
                "ministry",
            ),
            *("--scope", NATION_SCOPE, "--name", name),
        ],
        input=password + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    console = f"http://127.0.0.1:{stack.ports['console']}"
    anonymous = httpx.get(f"{console}/", timeout=60)
    assert anonymous.status_code in (302, 303, 307), anonymous.status_code  # not signed in
    page = httpx.get(f"{console}/login", timeout=60)
    assert page.status_code == 200, page.status_code
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "no CSRF token in the login form"
    cookies = cookies_set(page)
    refused = httpx.post(
        f"{console}/login",
        data={"csrf_token": found[1], "username": username, "password": password + "x"},
        headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
        timeout=60,
    )
    assert refused.status_code == 401, refused.status_code  # the password is checked
    signed_in = httpx.post(
        f"{console}/login",
        data={"csrf_token": found[1], "username": username, "password": password},
        headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
        timeout=60,
    )
    assert signed_in.status_code == 303, f"{signed_in.status_code} {signed_in.text[:500]}"
    assert signed_in.headers["location"] == "/", signed_in.headers["location"]
    cookies |= cookies_set(signed_in)
    home = httpx.get(
        f"{console}/",
        headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
        timeout=60,
    )
    assert home.status_code == 200, home.status_code
    assert name in home.text, "the home page does not name the signed-in person"
