#!/bin/sh
# PostgreSQL with every WAL segment archived by pgBackRest (at the latest 60 s after its first
# write: the RPO) and the base-backup schedule in the background, then the image's entrypoint.
set -eu
if [ "$(id -u)" = 0 ] && [ "${1:-}" = postgres ]; then
  setpriv --reuid=postgres --regid=postgres --init-groups cnnt-backup-schedule &
fi
if [ "${1:-}" = postgres ]; then
  shift
  set -- postgres -c wal_level=replica -c archive_mode=on -c archive_timeout=60 \
    -c "archive_command=pgbackrest --stanza=${PGBACKREST_STANZA:-cnnt} archive-push %p" "$@"
fi
exec docker-entrypoint.sh "$@"
