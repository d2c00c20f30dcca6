"""A three-node RabbitMQ cluster on this machine, behind HAProxy, for the fault tests.

Each node is Debian's ``rabbitmq-server`` with a node name, AMQP and distribution ports, data,
log and configuration of its own under one temporary folder, and the Erlang cookie they share
in that folder's ``.erlang.cookie`` (``HOME`` points there for the nodes and for every
``rabbitmqctl`` call). The machine's own broker (``rabbit@localhost`` on 5672) is never
touched: the nodes register with the same epmd under other names, and nothing here stops or
signals a process this module did not start.

The services reach the cluster the way a deployment does: through one address, a TCP load
balancer (HAProxy, ``mode tcp``, round robin) that checks each node's AMQP port and sends new
connections only to nodes that answer. A client whose node dies loses its connection and
reconnects through the same address to a live node. See docs/scaling.md, "Losing a RabbitMQ node".
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RABBIT_BIN = Path("/usr/lib/rabbitmq/bin")  # Debian's scripts (not the /usr/sbin wrappers that
# switch to the rabbitmq user and write to /var/log)
START_TIMEOUT = 240.0  # a node boots in ~10 s alone; on a shared two-core machine far longer


class ClusterError(RuntimeError):
    pass


def missing_tools() -> list[str]:
    """What the fault tests need that this machine lacks, with how to get it."""
    problems = []
    if not (RABBIT_BIN / "rabbitmq-server").exists():
        problems.append("rabbitmq-server (apt-get install rabbitmq-server)")
    if shutil.which("haproxy") is None:
        problems.append("haproxy (apt-get install haproxy)")
    return problems


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(what: str, check: Any, timeout: float, interval: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except ClusterError as exc:
            last = exc
        time.sleep(interval)
    raise ClusterError(f"{what}: not within {timeout:.0f}s (last: {last!r})")


@dataclass(eq=False)  # a node is itself: compared and hashed by identity
class Node:
    name: str  # e.g. cnnt-1a2b-a@localhost
    amqp_port: int
    dist_port: int
    home: Path  # this node's folder: config, data, logs, pid file
    process: subprocess.Popen[bytes] | None = None
    beam_pids: set[int] = field(default_factory=set)  # every beam.smp this node ran as

    @property
    def short(self) -> str:
        return self.name.split("@", 1)[0].rsplit("-", 1)[-1]

    @property
    def pid_file(self) -> Path:
        return self.home / "pid"


class RabbitCluster:
    """Three (or ``size``) nodes joined into one cluster, and HAProxy in front of them."""

    def __init__(self, size: int = 3) -> None:
        self.run = secrets.token_hex(3)
        self.root = Path(tempfile.mkdtemp(prefix=f"cnnt-cluster-{self.run}-"))
        self.nodes = [
            Node(
                name=f"cnnt-{self.run}-{letter}@localhost",
                amqp_port=_free_port(),
                dist_port=_free_port(),
                home=self.root / letter,
            )
            for letter in "abcdefg"[:size]
        ]
        self.proxy_port = _free_port()
        self.proxy: subprocess.Popen[bytes] | None = None
        (self.root / ".erlang.cookie").write_text(secrets.token_hex(20))
        (self.root / ".erlang.cookie").chmod(0o400)
        (self.root / "enabled_plugins").write_text("[].\n")
        # Read instead of /etc/rabbitmq/rabbitmq-env.conf (which names the machine's own node):
        # distribution and epmd on the loopback interface only.
        (self.root / "rabbitmq-env.conf").write_text(
            "ERL_EPMD_ADDRESS=127.0.0.1\n"
            'export ERL_FLAGS="-kernel inet_dist_use_interface {127,0,0,1}"\n'
        )

    # -- addresses -------------------------------------------------------------------------

    def url(self, vhost: str = "") -> str:
        """The address the services use: HAProxy's port."""
        return f"amqp://guest:guest@127.0.0.1:{self.proxy_port}/{vhost}"

    def node(self, name: str) -> Node:
        return next(n for n in self.nodes if n.name == name)

    def node_on_port(self, port: int) -> Node:
        return next(n for n in self.nodes if n.amqp_port == port)

    # -- processes -------------------------------------------------------------------------

    def _env(self, node: Node | None = None) -> dict[str, str]:
        env = {
            **os.environ,
            "HOME": str(self.root),  # the shared .erlang.cookie, for nodes and CLI alike
            "RABBITMQ_CONF_ENV_FILE": str(self.root / "rabbitmq-env.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.root / "enabled_plugins"),
        }
        if node is not None:
            env.update(
                RABBITMQ_NODENAME=node.name,
                RABBITMQ_NODE_PORT=str(node.amqp_port),
                RABBITMQ_DIST_PORT=str(node.dist_port),
                RABBITMQ_CONFIG_FILE=str(node.home / "rabbitmq.conf"),
                RABBITMQ_ADVANCED_CONFIG_FILE=str(node.home / "advanced.config"),
                RABBITMQ_MNESIA_BASE=str(node.home / "mnesia"),
                RABBITMQ_LOG_BASE=str(node.home / "log"),
                RABBITMQ_PID_FILE=str(node.pid_file),
            )
        return env

    def ctl(self, node: Node, *args: str, tool: str = "rabbitmqctl", timeout: float = 90) -> str:
        """A CLI tool (rabbitmqctl, rabbitmq-queues, rabbitmq-diagnostics) against ``node``."""
        try:
            done = subprocess.run(
                [str(RABBIT_BIN / tool), "-q", "-n", node.name, *args],
                env=self._env(),
                cwd=self.root,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ClusterError(f"{tool} {' '.join(args)} on {node.name}: timed out") from exc
        if done.returncode != 0:
            raise ClusterError(
                f"{tool} {' '.join(args)} on {node.name}: exit {done.returncode}: "
                f"{(done.stderr or done.stdout).decode(errors='replace')[-2000:]}"
            )
        return done.stdout.decode()

    def start(self, node: Node) -> None:
        """Start ``node`` (first boot, or again on its own data after a kill or a stop) and
        wait until it runs RabbitMQ."""
        for folder in ("mnesia", "log"):
            (node.home / folder).mkdir(parents=True, exist_ok=True)
        (node.home / "rabbitmq.conf").write_text(
            f"listeners.tcp.1 = 127.0.0.1:{node.amqp_port}\n"
            # Three nodes: a node cut off from the other two pauses rather than diverge.
            "cluster_partition_handling = pause_minority\n"
            "log.console = false\n"
            "log.file.level = info\n"
            # A full temporary disk must not block publishing in the test.
            "disk_free_limit.absolute = 50MB\n"
        )
        node.pid_file.unlink(missing_ok=True)
        node.process = subprocess.Popen(
            [str(RABBIT_BIN / "rabbitmq-server")],
            env=self._env(node),
            cwd=node.home,
            stdout=(node.home / "server.out").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: cleanup signals only this node
        )
        pid = _wait(f"{node.name} pid file", lambda: self._pid_of(node), START_TIMEOUT)
        node.beam_pids.add(pid)
        self.ctl(node, "await_startup", "--timeout", str(int(START_TIMEOUT)), timeout=START_TIMEOUT)

    def _pid_of(self, node: Node) -> int | None:
        if node.process is not None and node.process.poll() is not None:
            raise ClusterError(
                f"{node.name} exited ({node.process.returncode}); see {node.home}/server.out"
            )
        text = node.pid_file.read_text().strip() if node.pid_file.exists() else ""
        return int(text) if text.isdigit() else None

    def kill(self, node: Node) -> None:
        """``kill -9`` the node's Erlang VM: no goodbye to the cluster or its clients."""
        pid = self._pid_of(node)
        if pid is None:
            raise ClusterError(f"{node.name} has no pid")
        os.kill(pid, signal.SIGKILL)
        self._reap(node)

    def stop(self, node: Node) -> None:
        """Stop the node in order (``rabbitmqctl stop``: clients are told, leaders handed)."""
        self.ctl(node, "stop", timeout=120)
        self._reap(node)

    def _reap(self, node: Node) -> None:
        if node.process is not None:
            try:
                node.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self._signal_group(node, signal.SIGKILL)
                node.process.wait(timeout=30)
        node.process = None

    def _signal_group(self, node: Node, sig: signal.Signals) -> None:
        if node.process is not None and node.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(node.process.pid, sig)

    # -- cluster ---------------------------------------------------------------------------

    def form(self) -> None:
        """Start every node, join the others to the first, start the load balancer."""
        first, *others = self.nodes
        self.start(first)
        for node in others:
            self.start(node)
            self.ctl(node, "stop_app")
            self.ctl(node, "join_cluster", first.name)
            self.ctl(node, "start_app")
        _wait("every node running in one cluster", self.all_running, START_TIMEOUT)
        self._start_proxy()

    def running_nodes(self, via: Node | None = None) -> set[str]:
        asking = via or next(n for n in self.nodes if n.process is not None)
        status = json.loads(self.ctl(asking, "cluster_status", "--formatter", "json"))
        return set(status.get("running_nodes", []))

    def all_running(self) -> bool:
        return self.running_nodes() == {n.name for n in self.nodes}

    def alive(self) -> list[Node]:
        return [n for n in self.nodes if n.process is not None and n.process.poll() is None]

    def queues(self, vhost: str) -> dict[str, dict[str, Any]]:
        """Each queue of ``vhost``: its type, leader, members and online members."""
        out = self.ctl(
            self.alive()[0],
            "list_queues",
            "-p",
            vhost,
            "name",
            "type",
            "leader",
            "members",
            "online",
            "--formatter",
            "json",
        )
        return {q["name"]: q for q in json.loads(out)}

    def leader_of(self, vhost: str, queue: str) -> Node:
        return self.node(str(self.queues(vhost)[queue]["leader"]))

    def fully_replicated(self, vhost: str) -> bool:
        """Every queue of the vhost has a member on each node, all of them online."""
        everyone = {n.name for n in self.nodes}
        found = self.queues(vhost)
        return bool(found) and all(
            set(q.get("members") or []) == everyone and set(q.get("online") or []) == everyone
            for q in found.values()
        )

    def connection_nodes(self, vhost: str) -> dict[str, Node]:
        """The node each named client connection of ``vhost`` is attached to, by name (the
        services name theirs ``<service> <host> pid <pid>``). Behind HAProxy a connection's
        own name reads ``<proxy side> -> 127.0.0.1:<node's AMQP port>``."""
        out = self.ctl(
            self.alive()[0],
            "list_connections",
            "name",
            "vhost",
            "client_properties",
            "--formatter",
            "json",
        )
        found = {}
        for connection in json.loads(out):
            properties = {p[0]: p[2] for p in connection.get("client_properties") or []}
            named = str(properties.get("connection_name", ""))
            port = re.search(r"-> [\d.]+:(\d+)$", str(connection["name"]))
            if connection.get("vhost") == vhost and named and port:
                found[named] = self.node_on_port(int(port.group(1)))
        return found

    def connection_node(self, vhost: str, prefix: str) -> Node:
        """The node of the one connection whose name starts with ``prefix``."""
        nodes = [n for name, n in self.connection_nodes(vhost).items() if name.startswith(prefix)]
        if len(nodes) != 1:
            raise ClusterError(f"{len(nodes)} connections named {prefix!r}… in {vhost}")
        return nodes[0]

    # -- load balancer ---------------------------------------------------------------------

    def _start_proxy(self) -> None:
        config = self.root / "haproxy.cfg"
        servers = "\n".join(
            f"    server {n.short} 127.0.0.1:{n.amqp_port} check inter 500ms fall 2 rise 2"
            for n in self.nodes
        )
        config.write_text(
            "global\n"
            "    maxconn 2000\n"
            "defaults\n"
            "    mode tcp\n"
            "    timeout connect 2s\n"
            # AMQP connections live long and are kept alive by heartbeats (60 s).
            "    timeout client 3h\n"
            "    timeout server 3h\n"
            "frontend amqp\n"
            f"    bind 127.0.0.1:{self.proxy_port}\n"
            "    default_backend rabbitmq\n"
            "backend rabbitmq\n"
            "    balance roundrobin\n"
            # A node found down: its open connections are cut at once, so clients reconnect
            # instead of waiting for a heartbeat to notice.
            "    default-server on-marked-down shutdown-sessions\n"
            f"{servers}\n"
        )
        self.proxy = subprocess.Popen(
            ["haproxy", "-db", "-f", str(config)],
            stdout=(self.root / "haproxy.out").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def answers() -> bool:
            if self.proxy is not None and self.proxy.poll() is not None:
                raise ClusterError(f"haproxy exited; see {self.root}/haproxy.out")
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", self.proxy_port)) == 0

        _wait("haproxy listening", answers, 30)

    # -- cleanup ---------------------------------------------------------------------------

    def destroy(self) -> None:
        """Stop HAProxy and every node this cluster started (only those: by the pids and
        process groups recorded here), then remove the folder."""
        if self.proxy is not None and self.proxy.poll() is None:
            self.proxy.kill()
            self.proxy.wait(timeout=30)
        for node in self.nodes:
            with contextlib.suppress(ClusterError, OSError, ValueError):
                pid = self._pid_of(node)
                if pid is not None:
                    node.beam_pids.add(pid)
            for pid in node.beam_pids:
                with contextlib.suppress(ProcessLookupError):
                    if _is_beam_of(pid, node.name):
                        os.kill(pid, signal.SIGKILL)
            self._signal_group(node, signal.SIGKILL)
            if node.process is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    node.process.wait(timeout=30)
        shutil.rmtree(self.root, ignore_errors=True)


def _is_beam_of(pid: int, node_name: str) -> bool:
    """Whether ``pid`` still is that node's VM (a pid is reused once its process is gone)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
    return node_name in cmdline


@contextlib.contextmanager
def rabbit_cluster(size: int = 3) -> Iterator[RabbitCluster]:
    cluster = RabbitCluster(size)
    try:
        cluster.form()
        yield cluster
    finally:
        cluster.destroy()
