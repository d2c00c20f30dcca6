"""Run the smoke test: `make compose-smoke` (or `uv run python -m tests.compose_smoke`)."""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from cnnt_tools.cli import demo, report, scenario
from tests.compose_smoke import checks, engine
from tests.compose_smoke.stack import SERVICES, Stack
from tests.compose_smoke.stream import sheets_under_restarts

# The image tag of this commit's build and of the previous commit's.
CURRENT, PREVIOUS = "smoke", "smoke-previous"
durations: list[tuple[str, float]] = []


@contextmanager
def step(name: str) -> Iterator[None]:
    print(f"▶ {name}", flush=True)
    started = time.monotonic()
    try:
        yield
    finally:
        durations.append((name, time.monotonic() - started))
        print(f"  {name}: {durations[-1][1]:.1f} s", flush=True)


def generated_env(directory: Path) -> Path:
    """A .env from `make env`'s script, with an AMQP password that needs URL-encoding."""
    while True:
        path = directory / "smoke.env"
        path.unlink(missing_ok=True)
        engine.sh(str(engine.DEPLOY / "make-env.sh"), str(path))
        password = path.read_text().split("RABBITMQ_SERVICE_PASS=", 1)[1].split("\n", 1)[0]
        if "/" in password or "+" in password:
            return path


def restart(stack: Stack, service: str) -> Callable[[], None]:
    def run() -> None:
        print(f"  restarting {service} mid-stream", flush=True)
        engine.sh("docker", "restart", stack.container(service))

    return run


def smoke(stack: Stack, upgrade_from: str) -> None:
    with step("stand-in base images (or the real ones)"):
        engine.base_images()
    # This commit's first: the previous commit's build reuses its downloaded wheels.
    with step("images at this commit (deploy/build-images.sh, from the wheelhouse)"):
        current = engine.build_images(CURRENT)
        prefix, tag = current.variables["CNNT_IMAGE_PREFIX"], current.variables["CNNT_IMAGE_TAG"]
        for component in ("platform", *SERVICES):
            image = f"{prefix}-{component}:{tag}"
            print(f"  {image}: size {checks.image_is_lean(image)}; no cache, code read-only")
        checks.service_images_carry_only_what_they_use(prefix, tag)
    # The earlier tree stays while its compose file runs the stack (up, stop, down).
    with engine.checkout(upgrade_from) as tree:
        with step(f"images at {upgrade_from} (the one before), by its own packaging"):
            previous = engine.build_images(PREVIOUS, tree)
            print(f"  built with its {previous.recipe}; compose variables {previous.variables}")
        health_log = engine.ROOT / "out" / "compose-smoke" / "health-events.log"
        with stack.health_watch(health_log) as unhealthy:
            try:
                on_the_stack(stack, previous, current)
                with step("no container turned unhealthy"):
                    assert not unhealthy(), f"health checks failed: {unhealthy()}"
            except BaseException:
                if stack.release is not None:
                    print(stack.compose("logs", "--tail", "60"), file=sys.stderr)
                raise
            finally:
                if stack.release is not None:
                    with step("down -v"):
                        stack.compose("down", "-v", "--remove-orphans")


def on_the_stack(stack: Stack, previous: engine.Release, current: engine.Release) -> None:
    with step("up at the previous images with the previous compose file, healthy"):
        stack.up(previous)
        checks.started_by_its_own_compose_file(stack)
    with step("data and a queued message left before the upgrade"):
        kept = checks.leave_data_and_a_queued_message(stack)
        stack.compose("down")
    with step("upgrade: up at this commit's images and compose file on the same volumes, healthy"):
        stack.up(current)
        checks.started_by_its_own_compose_file(stack)
        checks.data_and_queued_message_kept(stack, kept)
    with step("secrets and published ports"):
        checks.admin_secrets_stay_with_migrate(stack)
        checks.ports_on_localhost_and_ui_for_the_administrator(stack)
    with step("migrate: JSON logs, a wrong PostgreSQL password in one line"):
        checks.migrate_logs_json_and_refuses_a_wrong_password_in_one_line(stack)
    with step("console: /login on its published port, an account from its container signs in"):
        checks.console_signs_in_an_account_made_in_its_container(stack)
    with step("demo programme cycle against the containers"):
        settings = stack.settings()
        asyncio.run(demo.drive(settings, scenario.build(), quiet=True))
        figures = report.gather(settings, scenario.DAK_LAK, 2017, 2021)
        got = {
            r["level"]: {k: r[k] for k in ("rounds", "facilities", "products", "recognised")}
            for r in figures.levels
        }
        assert got == scenario.DAK_LAK_FIGURES, f"Đắk Lắk's figures: {got}"
        print(f"  Đắk Lắk 2017–2021: {got}")
    with step("score sheets while rabbitmq and evaluation restart"):
        restarts = [(0.2, restart(stack, "rabbitmq")), (0.6, restart(stack, "evaluation"))]
        asyncio.run(sheets_under_restarts(stack.settings(), restarts))
        stack.wait_healthy()
        checks.no_dead_letters(stack)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--upgrade-from", default="HEAD^", help="commit the upgrade starts at")
    args = parser.parse_args()
    total = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="cnnt-smoke-") as tmp,
        engine.docker_engine(engine.ROOT / "out" / "compose-smoke" / "dockerd.log"),
    ):
        stack = Stack(project=f"cnnt-smoke-{int(time.time())}", env_file=generated_env(Path(tmp)))
        try:
            smoke(stack, args.upgrade_from)
        except (AssertionError, RuntimeError, subprocess.CalledProcessError) as exc:
            print(f"compose smoke FAILED: {exc}", file=sys.stderr)
            return 1
        finally:
            for name, seconds in durations:
                print(f"{seconds:8.1f} s  {name}")
            print(f"{time.monotonic() - total:8.1f} s  compose smoke in all")
    print("compose smoke passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
