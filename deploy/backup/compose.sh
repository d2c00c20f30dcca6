#!/usr/bin/env bash
# Backups of the compose stack (deploy/docker-compose.backup.yml), from the host:
#   deploy/backup/compose.sh backup [full|diff|incr]     a base backup now, with its progress
#   deploy/backup/compose.sh list                        the backups, and the times reachable
#   deploy/backup/compose.sh verify                      every backup and WAL file read back
#   deploy/backup/compose.sh restore TIME [--over-running-stack]
#       stop PostgreSQL, restore it to TIME, start it, `cnnt db prepare`, `cnnt backup
#       reconcile --yes`, then the stack; refuses while a service or the console runs unless
#       --over-running-stack is given (then it stops them first).
# `make compose-backup` / `make compose-restore TARGET_TIME=…` run it.
set -euo pipefail
cd "$(dirname "$0")/../.."
compose_cmd=${COMPOSE_CMD:-$(docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)}
compose() { $compose_cmd -f deploy/docker-compose.yml -f deploy/docker-compose.backup.yml --env-file deploy/.env "$@"; }
pgbackrest() { compose exec -T -u postgres postgres pgbackrest --stanza=cnnt "$@"; }
apps=(registration evaluation certification support console)
case "${1:-}" in
  backup) pgbackrest --type="${2:-full}" --log-level-console=detail backup ;;
  list) pgbackrest info ;;
  verify) pgbackrest verify --log-level-console=info ;;
  restore)
    target=${2:?give the time to restore to, e.g. '2026-12-08 08:11:41+07'}
    running=$(compose ps --services --filter status=running 2>/dev/null | grep -Fx -f <(printf '%s\n' "${apps[@]}") || true)
    if [ -n "$running" ] && [ "${3:-}" != --over-running-stack ]; then
      echo "refusing to restore over a running stack (running: $(echo $running)); stop them or pass --over-running-stack" >&2
      exit 2
    fi
    echo "[1/5] stopping the services and PostgreSQL"
    compose stop "${apps[@]}" postgres
    echo "[2/5] restoring to $target (pgBackRest, --delta)"
    compose run --rm --no-deps -T -u postgres --entrypoint pgbackrest postgres --stanza=cnnt \
      --delta --type=time "--target=$target" --target-action=promote --log-level-console=detail restore
    echo "[3/5] starting PostgreSQL: it replays the archived WAL up to $target"
    compose up -d postgres
    until compose exec -T postgres psql -U postgres -Atc 'SELECT NOT pg_is_in_recovery()' 2>/dev/null | grep -qx t; do sleep 2; done
    echo "[4/5] cnnt db prepare, then the reconciliation (docs/contracts.md, 'After a restore')"
    compose run --rm migrate
    compose run --rm migrate cnnt backup reconcile --yes
    echo "[5/5] starting the stack"
    compose up -d
    ;;
  *) sed -n '2,10p' "$0" >&2; exit 2 ;;
esac
