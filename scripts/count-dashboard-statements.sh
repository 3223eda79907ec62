#!/usr/bin/env bash
# Counts the SQL statements PostgreSQL executes for one dashboard view:
# scripts/count-dashboard-statements.sh target/debug/hotline 18181
# (needs the local PostgreSQL of docs/operations.md and its log file).
set -euo pipefail
BIN="$1"; PORT="$2"
DB="hotline_count_$PORT"
LOG=/var/log/postgresql/postgresql-15-main.log
psql -U postgres -h 127.0.0.1 -qc "drop database if exists $DB with (force)"
psql -U postgres -h 127.0.0.1 -qc "create database $DB"
psql -U postgres -h 127.0.0.1 -qc "alter database $DB set log_statement = 'all'"
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB" HOTLINE_ADMIN_TOKEN=count-token \
  HOTLINE_LISTEN="127.0.0.1:$PORT" HOTLINE_PUBLIC_URL="http://127.0.0.1:$PORT" RUST_LOG=warn \
  "$BIN" serve > ${TMPDIR:-/tmp}/hotline-count-server-$PORT.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
BASE="http://127.0.0.1:$PORT"
ID=$(curl -sf -H "Authorization: Bearer count-token" -H 'content-type: application/json' \
  -d '{"name":"Acme","twilio_number":"+15875550100","timezone":"America/Edmonton"}' "$BASE/api/clients" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
JAR=${TMPDIR:-/tmp}/hotline-count-jar-$PORT; rm -f $JAR
CSRF=$(curl -sf -c $JAR "$BASE/login" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//')
curl -sf -b $JAR -c $JAR -o /dev/null --data-urlencode "csrf=$CSRF" --data-urlencode "token=count-token" "$BASE/login" || true
for view in 1 2; do
  sleep 2.5  # past the configuration cache's two seconds: a cold view
  before=$(wc -l < $LOG)
  code=$(curl -s -b $JAR -o ${TMPDIR:-/tmp}/hotline-count-page-$PORT.html -w '%{http_code}' "$BASE/clients/$ID/dashboard")
  sleep 0.5
  n=$(tail -n +$((before + 1)) $LOG | grep "@$DB " | grep -cE "LOG:  (statement|execute)" || true)
  echo "view $view: HTTP $code, $n statements"
done
kill $PID; wait $PID 2>/dev/null || true
psql -U postgres -h 127.0.0.1 -qc "drop database if exists $DB with (force)"
