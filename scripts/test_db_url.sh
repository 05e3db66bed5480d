#!/usr/bin/env bash
# Prints the DATABASE_URL the tests should use, or nothing for the embedded
# SQLite default. In order:
#   1. $DATABASE_URL, when set;
#   2. postgres://postgres@127.0.0.1:5432/postgres, when PostgreSQL is up or can
#      be started (scripts/ensure_postgres.sh) and that role can connect
#      (pytest-django then creates test_postgres, or test_postgres_gwN with -n);
#   3. nothing, with a NOTICE on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_common.sh

redact() { sed -E 's#(//[^:/@]+):[^@]*@#\1:***@#' <<<"$1"; }

if [ -n "${DATABASE_URL:-}" ]; then
    say "test database: \$DATABASE_URL = $(redact "$DATABASE_URL")"
    echo "$DATABASE_URL"
    exit 0
fi

URL=postgres://postgres@127.0.0.1:5432/postgres
if scripts/ensure_postgres.sh >&2; then
    # Can the postgres role log in over TCP, without a password, and create databases?
    if err=$(.venv/bin/python - <<'PY' 2>&1
import psycopg
with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=5) as conn:
    ok = conn.execute("select rolcreatedb or rolsuper from pg_roles where rolname = current_user").fetchone()
    if not (ok and ok[0]):
        raise SystemExit("role postgres may not create databases")
PY
    ); then
        say "test database: PostgreSQL, $URL"
        echo "$URL"
        exit 0
    fi
    warn "PostgreSQL is up, but $URL cannot be used:"
    warn "    $(tail -n 1 <<<"$err")"
    if grep -qiE 'password|authentication' <<<"$err"; then
        warn "the server wants a password for role postgres over TCP. Either set one and say so:"
        warn "    sudo -u postgres psql -c \"ALTER USER postgres PASSWORD 'postgres'\""
        warn "    export DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/postgres"
        warn "or allow trust for 127.0.0.1 in pg_hba.conf, or point DATABASE_URL at a role that may create databases."
    fi
fi
echo "NOTICE: PostgreSQL is not available: the tests run on SQLite (the embedded default). Set DATABASE_URL=postgres://USER[:PASSWORD]@HOST:5432/DB to test on PostgreSQL." >&2
