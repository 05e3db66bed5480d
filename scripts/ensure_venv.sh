#!/usr/bin/env bash
# Creates .venv with python3 (or $PYTHON), which must be 3.11, 3.12 or 3.13,
# and runs `pip install -e '.[dev]'` into it, again only when pyproject.toml
# has changed since the last install (stamp: .venv/.zhulao-deps.stamp).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_common.sh

VENV=.venv
STAMP=$VENV/.zhulao-deps.stamp
PY=${PYTHON:-python3}
pyver='import sys; print("%d.%d" % sys.version_info[:2])'
supported() { case "$1" in 3.11|3.12|3.13) return 0 ;; *) return 1 ;; esac; }

# An existing venv is kept while its interpreter works and is supported.
if [ -e "$VENV" ]; then
    vver=$("$VENV/bin/python" -c "$pyver" 2>/dev/null || true)
    if [ -z "$vver" ] || ! supported "$vver"; then
        warn ".venv is broken or uses Python '${vver:-?}': recreating it"
        rm -rf "$VENV"
    fi
fi

if [ ! -x "$VENV/bin/python" ]; then
    command -v "$PY" >/dev/null 2>&1 \
        || die "'$PY' not found. Install Python 3.11-3.13 (Debian: apt-get install python3 python3-venv), or run make PYTHON=/path/to/python3.12 ..."
    ver=$("$PY" -c "$pyver")
    supported "$ver" \
        || die "$(command -v "$PY") is Python $ver; zhulao needs Python 3.11, 3.12 or 3.13. Run make PYTHON=/path/to/python3.1x ..."
    say "creating .venv with $(command -v "$PY") (Python $ver)"
    if ! "$PY" -m venv "$VENV"; then
        rm -rf "$VENV"
        die "python3 -m venv failed. On Debian: sudo apt-get install python3-venv"
    fi
fi

want=$(files_hash pyproject.toml)
if [ "$(cat "$STAMP" 2>/dev/null || true)" = "$want" ]; then
    say "python deps: up to date"
    exit 0
fi
say "pip install -e '.[dev]' (pyproject.toml changed or first run; takes a minute or two)"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
"$VENV/bin/python" -m pip install -q -e '.[dev]'
echo "$want" >"$STAMP"
say "python deps: installed"
