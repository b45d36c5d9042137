#!/bin/sh
# Nightly backup of Second Look's database (see docs/deployment.md, "Backups").
# SQLite: `.backup` takes a consistent copy while the server runs (WAL-safe; never `cp` the file).
# PostgreSQL: pg_dump in the custom format (restore with pg_restore).
# The backup holds the no-publish list and face templates: keep it encrypted and access-controlled,
# and expire old copies (the retention below), so a removed pupil's templates do not live on.
set -eu
DEST=${DEST:-/var/backups/secondlook}
KEEP_DAYS=${KEEP_DAYS:-14}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
umask 077
mkdir -p "$DEST"
case "${SECONDLOOK_DATABASE_URL:-sqlite}" in
  postgresql*)
    # psql/pg_dump take a libpq URL: drop SQLAlchemy's "+psycopg" driver suffix.
    URL=$(printf '%s' "$SECONDLOOK_DATABASE_URL" | sed 's/^postgresql+psycopg:/postgresql:/')
    pg_dump --format=custom --no-owner --file="$DEST/secondlook-$STAMP.dump" "$URL"
    ;;
  *)
    DB=${SQLITE_FILE:-${SECONDLOOK_INSTANCE_PATH:-/var/lib/secondlook}/secondlook.sqlite}
    sqlite3 "$DB" ".backup '$DEST/secondlook-$STAMP.sqlite'"
    sqlite3 "$DEST/secondlook-$STAMP.sqlite" "PRAGMA integrity_check;" | grep -qx ok
    gzip "$DEST/secondlook-$STAMP.sqlite"
    ;;
esac
find "$DEST" -name 'secondlook-*' -mtime +"$KEEP_DAYS" -delete
