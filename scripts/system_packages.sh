#!/usr/bin/env bash
# Debian packages zhulao needs outside the virtualenv:
#   fonts-noto-cjk                    Chinese glyphs for WeasyPrint PDFs and browser screenshots
#   libpango-1.0-0 libpangoft2-1.0-0  WeasyPrint's text layout
#   libharfbuzz-subset0               WeasyPrint's font subsetting
#   chromium                          /usr/bin/chromium, driven by Playwright in the browser tests
#   poppler-utils                     pdftotext: tests read the text of generated PDFs
#   gettext                           msgfmt, for manage.py compilemessages
#   postgresql-client                 psql and pg_isready
# plus, only when missing: python3-venv (python3 -m venv) and nodejs + npm.
#
# As root on Debian: installs what is missing (apt-get update once, then
# apt-get install -y --no-install-recommends). Otherwise prints the command to
# run and carries on. SKIP_APT=1 skips all of this.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_common.sh

PKGS=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 chromium gettext postgresql-client poppler-utils)

PY=${PYTHON:-python3}
if command -v "$PY" >/dev/null 2>&1 && ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    PKGS+=(python3-venv)
fi
if ! command -v npm >/dev/null 2>&1; then
    PKGS+=(nodejs npm)
fi

if [ "${SKIP_APT:-0}" = 1 ]; then
    say "system packages: skipped (SKIP_APT=1); needed: ${PKGS[*]}"
    exit 0
fi
if ! is_debian; then
    warn "not a Debian system: make sure the equivalents of these are installed: ${PKGS[*]}"
    exit 0
fi

missing=()
for p in "${PKGS[@]}"; do
    deb_installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    say "system packages: all present"
    exit 0
fi

if ! is_root; then
    warn "missing Debian packages: ${missing[*]}"
    warn "install them with:"
    warn "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
    warn "carrying on without them (PDFs, browser tests or translations may fail)"
    exit 0
fi

apt_update_once
installable=()
for p in "${missing[@]}"; do
    if deb_available "$p"; then
        installable+=("$p")
    else
        warn "Debian package '$p' is not available from apt here: skipped"
    fi
done
if [ ${#installable[@]} -gt 0 ]; then
    apt_install "${installable[@]}"
fi
say "system packages: installed ${installable[*]:-nothing}"
