"""The Docker engine, the base images, and the images of this commit and of the one the
upgrade starts from, each built by its own commit's packaging."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Release:
    """A commit's deployment as built by its own packaging: its tree (whose
    deploy/docker-compose.yml runs it) and the variables that make that compose file start the
    images built for it."""

    tree: Path
    variables: dict[str, str]
    recipe: str

    @property
    def compose_file(self) -> Path:
        return self.tree / "deploy" / "docker-compose.yml"


def build_images(tag: str, tree: Path = ROOT) -> Release:
    """The images of ``tree`` (this checkout or an earlier commit's), tagged ``tag``, built the
    way that commit builds them: its deploy/build-images.sh, which also names the variables its
    compose file picks the images with (``--env``). A commit from before that script is built
    with the recipe of its time: its deploy/wheelhouse.sh, then its deploy/Dockerfile as
    cnnt-platform:<tag>, which its compose file takes from CNNT_IMAGE."""
    script = tree / "deploy" / "build-images.sh"
    if script.is_file():
        sh(str(script), tag, cwd=tree)
        printed = sh(str(script), "--env", tag, cwd=tree).splitlines()
        variables = dict(line.split("=", 1) for line in printed if "=" in line)
        return Release(tree, variables, "deploy/build-images.sh")
    sh(str(tree / "deploy" / "wheelhouse.sh"), str(tree), str(tree / "deploy" / "wheelhouse"))
    image = f"cnnt-platform:{tag}"
    sh("docker", "build", "-q", "-f", "deploy/Dockerfile", "-t", image, ".", cwd=tree)
    return Release(tree, {"CNNT_IMAGE": image}, "deploy/wheelhouse.sh + deploy/Dockerfile")


@contextmanager
def checkout(revision: str) -> Iterator[Path]:
    """The tree of an earlier commit as it was, packaging included (its Dockerfile, container
    scripts, .dockerignore, build scripts and compose file): nothing of this commit's is laid
    over it. When its wheelhouse.sh is this commit's, it fills the same layout, so the locked
    wheels already fetched for this commit are copied in and only what differs is downloaded."""
    with tempfile.TemporaryDirectory(prefix="cnnt-upgrade-") as tmp:
        tree = Path(tmp)
        archive = subprocess.run(
            ["git", "archive", revision], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        wheelhouse = Path("deploy") / "wheelhouse.sh"
        same_layout = (tree / wheelhouse).is_file() and filecmp.cmp(
            tree / wheelhouse, ROOT / wheelhouse, shallow=False
        )
        deps = ROOT / "deploy" / "wheelhouse" / "deps"
        if same_layout and deps.is_dir():
            shutil.copytree(deps, tree / "deploy" / "wheelhouse" / "deps", dirs_exist_ok=True)
        yield tree
