"""The Docker engine, the base images and the project image the smoke run needs."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def sh(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    """Run a command; fail with its output when it fails."""
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
        )
    return done.stdout


def engine_answers() -> bool:
    return subprocess.run(["docker", "info"], capture_output=True, check=False).returncode == 0


@contextmanager
def docker_engine(log: Path) -> Iterator[None]:
    """Use the running engine; start dockerd when none answers and stop it again afterwards."""
    if engine_answers():
        yield
        return
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        daemon = subprocess.Popen(["dockerd"], stdout=out, stderr=subprocess.STDOUT)
    try:
        for _ in range(60):
            if engine_answers():
                break
            if daemon.poll() is not None:
                raise RuntimeError(f"dockerd exited ({daemon.returncode}); see {log}")
            time.sleep(1)
        else:
            raise RuntimeError(f"dockerd did not answer within 60 s; see {log}")
        yield
    finally:
        daemon.terminate()
        daemon.wait(timeout=60)


def base_images() -> None:
    """The real base images when present or pullable, stand-ins built from Debian otherwise."""
    print(sh(str(DEPLOY / "standins" / "build.sh")), end="")


def build_image(tag: str, source: Path = ROOT) -> None:
    """The project image of ``source`` (a checkout), built with its wheelhouse and Dockerfile."""
    sh(str(DEPLOY / "wheelhouse.sh"), str(source), str(source / "deploy" / "wheelhouse"))
    sh("docker", "build", "-q", "-f", "deploy/Dockerfile", "-t", tag, ".", cwd=source)


@contextmanager
def checkout(revision: str) -> Iterator[Path]:
    """The tree of an earlier commit, packaged the way this commit packages it (Dockerfile,
    container scripts, .dockerignore): what changes between the two images is the code, its
    migrations and its locked dependencies. The locked wheels already fetched are reused."""
    with tempfile.TemporaryDirectory(prefix="cnnt-upgrade-") as tmp:
        tree = Path(tmp)
        archive = subprocess.run(
            ["git", "archive", revision], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        for part in (
            "deploy/Dockerfile",
            "deploy/container",
            "deploy/wheelhouse.sh",
            ".dockerignore",
        ):
            target = tree / part
            if target.is_dir():
                shutil.rmtree(target)
            if (ROOT / part).is_dir():
                shutil.copytree(ROOT / part, target)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / part, target)
        deps = ROOT / "deploy" / "wheelhouse" / "deps"
        if deps.is_dir():
            shutil.copytree(deps, tree / "deploy" / "wheelhouse" / "deps", dirs_exist_ok=True)
        yield tree
