#!/bin/sh
# Build CNNT_AMQP_URL from its parts with the user and password URL-encoded: a generated password
# holds `/`, `+` or `#`, which pasted raw into the URL break start-up.
set -eu
if [ -z "${CNNT_AMQP_URL:-}" ] && [ -n "${CNNT_AMQP_PASSWORD:-}" ]; then
  CNNT_AMQP_URL=$(python -c '
import os, urllib.parse
user, password = (urllib.parse.quote(os.environ[n], safe="") for n in ("CNNT_AMQP_USER", "CNNT_AMQP_PASSWORD"))
print("amqp://" + user + ":" + password + "@" + os.environ.get("CNNT_AMQP_HOST", "rabbitmq") + ":5672/")
')
  export CNNT_AMQP_URL
fi
# Only the migrate step has the broker administrator's password: it (re)creates the services'
# RabbitMQ user before the services start.
if [ -n "${RABBITMQ_ADMIN_PASS:-}" ]; then
  python /usr/local/bin/cnnt-rabbitmq-user
fi
unset CNNT_AMQP_PASSWORD RABBITMQ_ADMIN_PASS
exec "$@"
