"""Create (or update) the services' own RabbitMQ user through the management API, and, when
given a definitions file, import the platform's topology first.

The administrator account (RABBITMQ_DEFAULT_USER, or the cluster operator's default user on
Kubernetes) stays with the broker and the migrate step; the services connect as
CNNT_AMQP_USER, which has rights on the default vhost but no management tag, so its password
does not open the management UI. Run again after a password change: the PUT replaces the
password. With CNNT_RABBITMQ_DEFINITIONS (a file written by `cnnt topology export`, as on
Kubernetes where it is mounted from deploy/rabbitmq/definitions.json) its exchanges, queues,
bindings and policies are imported into the default vhost before any service starts; importing
what exists changes nothing. Standard library only, like the health check.
"""

import base64
import json
import os
import sys
import urllib.parse
import urllib.request


def request(method: str, path: str, body: bytes) -> None:
    admin = f"{os.environ['RABBITMQ_ADMIN_USER']}:{os.environ['RABBITMQ_ADMIN_PASS']}"
    host = os.environ.get("CNNT_AMQP_HOST", "rabbitmq")
    port = os.environ.get("CNNT_RABBITMQ_MANAGEMENT_PORT", "15672")
    call = urllib.request.Request(
        f"http://{host}:{port}/api/{path}",
        data=body,
        method=method,
        headers={
            "Content-Type": "application/json",
            "Authorization": "Basic " + base64.b64encode(admin.encode()).decode(),
        },
    )
    with urllib.request.urlopen(call, timeout=30):  # noqa: S310 - http:// built above
        pass


def put(path: str, body: dict[str, str]) -> None:
    request("PUT", path, json.dumps(body).encode())


def log(event: str, **fields: str) -> None:
    # One JSON line, like the rest of the migrate step's log.
    line = {"event": event, **fields, "level": "info", "logger": "cnnt.migrate"}
    print(json.dumps(line), file=sys.stderr)


def main() -> int:
    definitions = os.environ.get("CNNT_RABBITMQ_DEFINITIONS", "")
    if definitions:
        with open(definitions, "rb") as file:
            request("POST", "definitions/%2F", file.read())
        log("rabbitmq_definitions_imported", file=definitions)
    user = os.environ["CNNT_AMQP_USER"]
    name = urllib.parse.quote(user, safe="")
    put(f"users/{name}", {"password": os.environ["CNNT_AMQP_PASSWORD"], "tags": ""})
    put(f"permissions/%2F/{name}", {"configure": ".*", "write": ".*", "read": ".*"})
    log("rabbitmq_user_ready", user=user)
    return 0


if __name__ == "__main__":
    sys.exit(main())
