#!/usr/bin/env bash
# The development server: the background-task worker (manage.py db_worker)
# and the periodic jobs (manage.py run_periodic, log in var/periodic.log)
# in the background, runserver in the foreground; the worker is stopped when
# runserver exits (Ctrl-C included). RUN_ADDR overrides 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_common.sh

ADDR=${RUN_ADDR:-127.0.0.1:8000}
export DJANGO_DEBUG=${DJANGO_DEBUG:-1}
PY=.venv/bin/python

say "starting the task worker (manage.py db_worker) and the periodic jobs (manage.py run_periodic)"
"$PY" manage.py db_worker &
worker=$!
mkdir -p var
"$PY" manage.py run_periodic > var/periodic.log 2>&1 &
periodic=$!

stop_worker() {
    kill -TERM "$periodic" 2>/dev/null || true
    if kill -0 "$worker" 2>/dev/null; then
        say "stopping the task worker (pid $worker)"
        kill -TERM "$worker" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$worker" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$worker" 2>/dev/null || true
    fi
    wait "$worker" 2>/dev/null || true
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "starting the web server on http://$ADDR/ (Ctrl-C stops both)"
"$PY" manage.py runserver "$ADDR"
