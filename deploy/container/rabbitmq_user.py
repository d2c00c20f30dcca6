"""Create (or update) the services' own RabbitMQ user through the management API.

The administrator account (RABBITMQ_DEFAULT_USER) stays with the broker and the migrate step;
the services connect as CNNT_AMQP_USER, which has rights on the default vhost but no management
tag, so its password does not open the management UI. Run again after a password change: the
PUT replaces the password. Standard library only, like the health check.
"""

import base64
import json
import os
import sys
import urllib.parse
import urllib.request


def put(path: str, body: dict[str, str]) -> None:
    admin = f"{os.environ['RABBITMQ_ADMIN_USER']}:{os.environ['RABBITMQ_ADMIN_PASS']}"
    host = os.environ.get("CNNT_AMQP_HOST", "rabbitmq")
    request = urllib.request.Request(
        f"http://{host}:15672/api/{path}",
        data=json.dumps(body).encode(),
        method="PUT",
        headers={
            "Content-Type": "application/json",
            "Authorization": "Basic " + base64.b64encode(admin.encode()).decode(),
        },
    )
    with urllib.request.urlopen(request, timeout=30):  # noqa: S310 - http:// built above
        pass


def main() -> int:
    user = os.environ["CNNT_AMQP_USER"]
    name = urllib.parse.quote(user, safe="")
    put(f"users/{name}", {"password": os.environ["CNNT_AMQP_PASSWORD"], "tags": ""})
    put(f"permissions/%2F/{name}", {"configure": ".*", "write": ".*", "read": ".*"})
    # One JSON line, like the rest of the migrate step's log.
    event = {
        "event": "rabbitmq_user_ready",
        "user": user,
        "level": "info",
        "logger": "cnnt.migrate",
    }
    print(json.dumps(event), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
