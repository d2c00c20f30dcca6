#!/bin/sh
# The base-backup schedule of a compose stack (as postgres, beside the server): the stanza once,
# then every CNNT_BACKUP_INTERVAL seconds (86400) a backup — full when the newest full one is
# older than CNNT_BACKUP_FULL_EVERY seconds (604800, a week), differential otherwise. pgBackRest
# expires what repo1-retention-full no longer keeps after each backup.
set -u
stanza=${PGBACKREST_STANZA:-cnnt}
until pg_isready -q -h /var/run/postgresql; do sleep 2; done
until pgbackrest --stanza="$stanza" stanza-create; do sleep 10; done
stamp=/var/spool/pgbackrest/last-full  # when the last full backup of this server finished
while :; do
  newest_full=$(cat "$stamp" 2>/dev/null || echo 0)
  if [ $(( $(date +%s) - newest_full )) -ge "${CNNT_BACKUP_FULL_EVERY:-604800}" ]; then kind=full; else kind=diff; fi
  echo "cnnt-backup: $kind backup of $stanza starting"
  if pgbackrest --stanza="$stanza" --type="$kind" --log-level-console=info backup; then
    echo "cnnt-backup: $kind backup done"
    [ "$kind" = full ] && date +%s >"$stamp"
  else
    echo "cnnt-backup: $kind backup FAILED" >&2
  fi
  sleep "${CNNT_BACKUP_INTERVAL:-86400}"
done
