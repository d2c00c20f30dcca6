#!/bin/sh
# S3 over TLS on 8443 (pgBackRest speaks HTTPS only) with one identity per user of the store,
# from the environment: the backups' (CNNT_BACKUP_S3_ACCESS_KEY/SECRET_KEY). Makes the backup
# bucket once the filer answers.
set -eu
case "$CNNT_BACKUP_S3_ACCESS_KEY$CNNT_BACKUP_S3_SECRET_KEY" in
  *change-me-*) echo "refusing deploy/.env.example's public backup keys: run \`make env\`" >&2; exit 1 ;;
esac
config=/tmp/s3.json
cat >"$config" <<JSON
{"identities": [{"name": "cnnt-backup",
  "credentials": [{"accessKey": "$CNNT_BACKUP_S3_ACCESS_KEY", "secretKey": "$CNNT_BACKUP_S3_SECRET_KEY"}],
  "actions": ["Read", "Write", "List", "Tagging"]}]}
JSON
(
  for _ in $(seq 120); do
    if python3 -c "import urllib.request as u; u.urlopen(u.Request('http://127.0.0.1:8888/buckets/${CNNT_BACKUP_BUCKET:-cnnt-backups}/', method='POST'), timeout=2)" 2>/dev/null; then
      echo "bucket ${CNNT_BACKUP_BUCKET:-cnnt-backups} ready"; exit 0
    fi
    sleep 1
  done
  echo "the filer did not answer: bucket not made" >&2
) &
exec weed mini -dir=/data -ip=objectstore -ip.bind=0.0.0.0 \
  -master.port=9333 -volume.port=8080 -filer.port=8888 -s3.port=8333 -s3.port.https=8443 \
  -s3.cert.file=/certs/s3.crt -s3.key.file=/certs/s3.key -s3.config="$config" \
  -s3.port.iceberg=0 -s3.port.lance=0 -admin.port=23646 -admin.ui=false -webdav.port=7333 \
  -master.telemetry=false
