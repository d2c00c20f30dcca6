"""The compose stack of one smoke run: its own project name, .env, volumes and host ports, run
by the compose file of the release it was last started at."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cnnt_runtime.settings import Settings
from tests.compose_smoke.engine import Release, sh
from tests.support.processes import free_port

# The four services and the web console: each a compose service with a published port.
SERVICES = ("registration", "evaluation", "certification", "support", "console")


def compose_command() -> list[str]:
    """Docker Compose v2 where it is installed, else v1 (Debian's docker-compose)."""
    v2 = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    if v2.returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    raise RuntimeError("neither `docker compose` nor `docker-compose` is installed")


def read_env(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {k: v for k, v in pairs if not k.startswith("#")}


@dataclass
class Stack:
    project: str
    env_file: Path
    ports: dict[str, int] = field(
        default_factory=lambda: {name: free_port() for name in (*SERVICES, "rabbitmq_ui")}
    )
    # The release started last: its compose file runs every compose command.
    release: Release | None = None

    @property
    def secrets(self) -> dict[str, str]:
        return read_env(self.env_file)

    @property
    def keys(self) -> Path:
        """The key pair's folder, as make-env.sh wrote it beside the .env."""
        return (self.env_file.parent / self.secrets["CNNT_KEYS_DIR"]).resolve()

    def running(self) -> Release:
        if self.release is None:
            raise RuntimeError("no release started on this stack yet")
        return self.release

    def environment(self) -> dict[str, str]:
        """The compose variables: this run's ports and the ones that pick the running release's
        images (the .env's CNNT_IMAGE, if that compose file reads it, gives way to them)."""
        ports = {f"CNNT_{n.upper()}_PORT": str(p) for n, p in self.ports.items()}
        return {
            **os.environ,
            **ports,
            **self.running().variables,
            "COMPOSE_PROJECT_NAME": self.project,
        }

    def compose_args(self) -> list[str]:
        """Compose on the running release's own compose file, with this stack's project name
        and .env: both releases' files name the same volumes, <project>_pgdata and
        <project>_rabbitdata."""
        command = [*compose_command(), "-f", str(self.running().compose_file)]
        return [*command, "--env-file", str(self.env_file), "-p", self.project]

    def compose(self, *args: str) -> str:
        print(f"  compose -f {self.running().compose_file} {' '.join(args)}", flush=True)
        return sh(*self.compose_args(), *args, env=self.environment())

    def up(self, release: Release) -> None:
        """Start (or recreate) the stack at ``release``, with its compose file, and wait until
        every service is healthy. `compose` and `down` go on using that file until the next
        `up`."""
        self.release = release
        self.compose("up", "-d", "--no-build")
        self.wait_healthy()

    def container(self, service: str) -> str:
        """The id of the service's (running or stopped) container: by compose's labels, which
        is much quicker than asking compose."""
        labels = (
            f"com.docker.compose.project={self.project}",
            f"com.docker.compose.service={service}",
        )
        ids = sh(
            "docker", "ps", "-aq", *(a for label in labels for a in ("--filter", f"label={label}"))
        )
        return ids.split()[0] if ids.split() else ""

    def health(self, service: str) -> str:
        state = json.loads(
            sh("docker", "inspect", "-f", "{{json .State}}", self.container(service))
        )
        return str(state.get("Health", {}).get("Status", state["Status"]))

    def wait_healthy(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        waiting = ["postgres", "rabbitmq", *SERVICES]
        while waiting:
            waiting = [s for s in waiting if self.health(s) != "healthy"]
            if waiting and time.monotonic() > deadline:
                logs = self.compose("logs", "--tail", "40", *waiting)
                raise RuntimeError(f"not healthy within {timeout:.0f} s: {waiting}\n{logs}")
            time.sleep(2)

    def settings(self) -> Settings:
        """Settings that reach the containers' ports from this host and sign tokens with the
        private key `make env` generated for the stack (as an operator's `cnnt token issue`)."""
        update: dict[str, object] = {f"{name}_port": self.ports[name] for name in SERVICES}
        update["auth_signing_key"] = (
            self.keys / "private" / f"{self.secrets['CNNT_SIGNING_KID']}.pem"
        )
        update["auth_public_keys_dir"] = self.keys / "public"
        update["host"] = "127.0.0.1"
        return Settings(_env_file=None).model_copy(update=update)

    @contextmanager
    def health_watch(self, log: Path) -> Iterator[Callable[[], list[str]]]:
        """Record this stack's health changes as they happen (the engine keeps only its last
        256 events, and every health check is two of them); yields a reader of the times a
        container turned unhealthy."""
        log.parent.mkdir(parents=True, exist_ok=True)
        service = '{{index .Actor.Attributes "com.docker.compose.service"}}'
        with log.open("w") as out:
            watcher = subprocess.Popen(
                [
                    *("docker", "events", "--filter", "event=health_status"),
                    *("--filter", f"label=com.docker.compose.project={self.project}"),
                    *("--format", "{{.Time}} {{.Status}} " + service),
                ],
                stdout=out,
            )
        try:
            yield lambda: [line for line in log.read_text().splitlines() if "unhealthy" in line]
        finally:
            watcher.terminate()
            watcher.wait(timeout=30)
