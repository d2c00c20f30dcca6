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

import json
import os
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


def broker_only(body: str) -> bool:
    try:
        checks = json.loads(body)["checks"]
    except (ValueError, KeyError, TypeError):
        return False
    failing = {name for name, state in checks.items() if state != "ok"}
    return bool(failing) and failing <= BROKER_CHECKS


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
    except urllib.error.HTTPError as exc:  # 503: not ready, with the failing checks in the body
        body = exc.read().decode("utf-8", "replace")
        print(body, file=sys.stderr)
        if broker_only(body) and within_grace():
            print("broker away: serving the API meanwhile, still healthy", file=sys.stderr)
            return 0
    except OSError as exc:
        print(f"{service}: unreachable ({exc})", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
