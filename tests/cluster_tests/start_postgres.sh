#!/bin/bash
# Start a local PostgreSQL server (Debian's `postgresql` package) and create the database of the
# cluster tests with a fresh password. Prints `export` lines for PNC_TEST_PG_URL and
# PNC_TEST_PG_PASSWORD on stdout (evaluate them), everything else on stderr.
set -euo pipefail
SUDO=""
AS_PG=(runuser -u postgres --)
if [ "$(id -u)" != 0 ]; then SUDO=sudo; AS_PG=(sudo -u postgres); fi
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo ">> installing postgresql" >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi
VERSION=$(ls /etc/postgresql | sort -n | tail -1)
if ! $SUDO pg_ctlcluster "$VERSION" main status >/dev/null 2>&1; then
  $SUDO pg_ctlcluster "$VERSION" main start >&2
fi
for _ in $(seq 1 30); do
  "${AS_PG[@]}" psql -qtAc "select 1" >/dev/null 2>&1 && break || sleep 1
done 2>/dev/null || true
PASSWORD=$(python3 -c "import secrets; print(secrets.token_hex(12))")
run_sql() { (cd / && "${AS_PG[@]}" psql -v ON_ERROR_STOP=1 -qtAc "$1") >&2; }
if [ "$(cd / && "${AS_PG[@]}" psql -qtAc "select 1 from pg_roles where rolname='pnc_test'")" = 1 ]; then
  run_sql "alter role pnc_test with login password '$PASSWORD'"
else
  run_sql "create role pnc_test with login password '$PASSWORD'"
fi
(cd / && "${AS_PG[@]}" dropdb --if-exists pnc_test) >&2
(cd / && "${AS_PG[@]}" createdb -O pnc_test pnc_test) >&2
echo "export PNC_TEST_PG_URL=postgresql://pnc_test:$PASSWORD@127.0.0.1:5432/pnc_test"
echo "export PNC_TEST_PG_PASSWORD=$PASSWORD"
