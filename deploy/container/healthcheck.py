"""Container health check: exit 0 when this container's service answers /readyz.

Standard library only and nothing of the project imported, so it starts in a few milliseconds
even when the service is busy (``cnnt health`` loaded the whole CLI first and timed out).
The ports are the services' defaults unless CNNT_<SERVICE>_PORT says otherwise.
"""

import os
import sys
import urllib.error
import urllib.request

DEFAULT_PORTS = {
    "registration": 8001,
    "evaluation": 8002,
    "certification": 8003,
    "support": 8004,
    "console": 8000,
}


def main() -> int:
    service = os.environ.get("CNNT_SERVICE", "")
    if service not in DEFAULT_PORTS:
        print(f"CNNT_SERVICE is {service!r}, not a service", file=sys.stderr)
        return 1
    port = os.environ.get(f"CNNT_{service.upper()}_PORT", str(DEFAULT_PORTS[service]))
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=8) as response:
            print(response.read().decode("utf-8", "replace"))
            return 0
    except urllib.error.HTTPError as exc:  # 503: not ready, with the failing check in the body
        print(exc.read().decode("utf-8", "replace"), file=sys.stderr)
    except OSError as exc:
        print(f"{service}: unreachable ({exc})", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
