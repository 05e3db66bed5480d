#!/usr/bin/env bash
# Exit 0 once a PostgreSQL server accepts connections on 127.0.0.1:5432.
# If none does and we are root on Debian, start the local cluster
#     pg_ctlcluster --skip-systemctl-redirect <major> <cluster> start
# (the cluster on port 5432 from pg_lsclusters, else the newest major in
# /etc/postgresql with cluster "main"), installing Debian's postgresql first
# when no server is installed. Exit 1 (with a reason on stderr) otherwise.
# Never stops or reconfigures a running server.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_common.sh

HOST=127.0.0.1
PORT=5432

pg_up() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$HOST" -p "$PORT" -t 3
    else
        # Without the client tools: is anything listening on the port?
        timeout 3 bash -c "exec 3<>/dev/tcp/$HOST/$PORT" 2>/dev/null
    fi
}

if pg_up; then
    say "PostgreSQL: accepting connections on $HOST:$PORT"
    exit 0
fi

if ! is_root || ! is_debian; then
    warn "PostgreSQL: nothing accepts connections on $HOST:$PORT, and only root on Debian can start it here"
    exit 1
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls -A /etc/postgresql 2>/dev/null)" ]; then
    say "PostgreSQL: no server installed: installing Debian's postgresql"
    apt_update_once
    apt_install postgresql
fi

cluster=""
if command -v pg_lsclusters >/dev/null 2>&1; then
    cluster=$(pg_lsclusters -h 2>/dev/null | awk -v port="$PORT" '$3 == port {print $1, $2; exit}')
fi
if [ -z "$cluster" ]; then
    major=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
    [ -n "$major" ] || die "PostgreSQL: no cluster found under /etc/postgresql"
    cluster="$major main"
fi
read -r major name <<<"$cluster"
say "PostgreSQL: starting cluster $major/$name"
# Exit code 2 means "already running": the wait below settles it either way.
pg_ctlcluster --skip-systemctl-redirect "$major" "$name" start >&2 || true

for _ in $(seq 1 30); do
    if pg_up; then
        say "PostgreSQL: accepting connections on $HOST:$PORT"
        exit 0
    fi
    sleep 1
done
warn "PostgreSQL: cluster $major/$name did not come up on $HOST:$PORT within 30 s"
warn "see /var/log/postgresql/postgresql-$major-$name.log"
exit 1
