#!/usr/bin/env bash
# Runs the pytest suite on 2 workers against the database that
# scripts/test_db_url.sh picks. Extra arguments go to pytest.
# Treats "no tests collected" (pytest exit code 5) as the failure it is.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_common.sh

url=$(scripts/test_db_url.sh)
if [ -n "$url" ]; then
    export DATABASE_URL="$url"
else
    unset DATABASE_URL
fi

say "pytest -n ${PYTEST_WORKERS:-2} $*"
rc=0
.venv/bin/pytest -n "${PYTEST_WORKERS:-2}" "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
    echo "ERROR: pytest collected no tests (exit code 5): a run that tests nothing counts as a failure." >&2
fi
exit "$rc"
