"""Container health check: exit 0 when this container's service can serve its API.

Standard library only and nothing of the project imported, so it starts in a few milliseconds
even when the service is busy (``cnnt health`` loaded the whole CLI first and timed out).

It reads /readyz. A broker that is away (restarting, say) fails the broker and outbox relay
checks of every service at once, although each keeps serving its API (events wait in the
outbox): that is RabbitMQ's container's health to show, so a service turns unhealthy for it
only once the broker has been out of its reach for CNNT_HEALTH_BROKER_GRACE seconds (120).
A failing database, or no answer, counts at once. The ports are the services' defaults unless
CNNT_<SERVICE>_PORT says otherwise.
"""

import os
import re
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

DEFAULT_PORTS = {
    "registration": 8001,
    "evaluation": 8002,
    "certification": 8003,
    "support": 8004,
    "console": 8000,
}
BROKER_CHECKS = {"broker", "outbox_relay"}
AWAY_SINCE = Path(tempfile.gettempdir()) / "cnnt-broker-away-since"


READINESS = re.compile(r'^cnnt_readiness\{[^}]*check="([a-z_]+)"[^}]*\}\s+([0-9.]+)', re.M)


def broker_only(metrics: str) -> bool:
    """Whether only the broker's checks fail, from ``cnnt_readiness`` on /metrics (/readyz
    answers a status word only)."""
    failing = {check for check, value in READINESS.findall(metrics) if float(value) < 1}
    return bool(failing) and failing <= BROKER_CHECKS


def read_metrics(port: str) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=8) as response:
            return str(response.read().decode("utf-8", "replace"))
    except OSError:
        return ""


def within_grace() -> bool:
    """Whether the broker has been away for less than the grace period (since first seen)."""
    grace = float(os.environ.get("CNNT_HEALTH_BROKER_GRACE", "120"))
    try:
        since = float(AWAY_SINCE.read_text())
    except (OSError, ValueError):
        since = time.time()
        AWAY_SINCE.write_text(str(since))
    return time.time() - since < grace


def main() -> int:
    service = os.environ.get("CNNT_SERVICE", "")
    if service not in DEFAULT_PORTS:
        print(f"CNNT_SERVICE is {service!r}, not a service", file=sys.stderr)
        return 1
    port = os.environ.get(f"CNNT_{service.upper()}_PORT", str(DEFAULT_PORTS[service]))
    url = f"http://127.0.0.1:{port}/readyz"
    try:
        with urllib.request.urlopen(url, timeout=8) as response:
            print(response.read().decode("utf-8", "replace"))
            AWAY_SINCE.unlink(missing_ok=True)
            return 0
    except urllib.error.HTTPError as exc:  # 503: not ready; which check fails is on /metrics
        print(exc.read().decode("utf-8", "replace"), file=sys.stderr)
        if broker_only(read_metrics(port)) and within_grace():
            print("broker away: serving the API meanwhile, still healthy", file=sys.stderr)
            return 0
    except OSError as exc:
        print(f"{service}: unreachable ({exc})", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
