# shellcheck shell=bash
# Shared helpers for the scripts in this folder: sourced, never run.
# Progress lines start with "==>", warnings with "!!"; both go to stderr so
# that scripts can print a result (a URL, say) on stdout.

say()  { printf '==> %s\n' "$*" >&2; }
warn() { printf '!!  %s\n' "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

is_root()   { [ "$(id -u)" -eq 0 ]; }
is_debian() { [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; }

# sha256 of the given files' contents (and names), one short string.
files_hash() { sha256sum "$@" | sha256sum | cut -c1-64; }

# 0 when the Debian package is installed (not just known or half-removed).
deb_installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = "installed" ]; }

# 0 when apt knows a version of the package that it could install.
deb_available() {
    local cand
    cand=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')
    [ -n "$cand" ] && [ "$cand" != "(none)" ]
}

# apt-get update, at most once per script run.
APT_UPDATED=${APT_UPDATED:-0}
apt_update_once() {
    if [ "$APT_UPDATED" != 1 ]; then
        say "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        APT_UPDATED=1
    fi
}

# apt-get install -y --no-install-recommends PKG..., its chatter kept in var/apt.log.
apt_install() {
    mkdir -p var
    say "apt-get install $*"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >var/apt.log 2>&1 </dev/null; then
        tail -n 40 var/apt.log >&2
        die "apt-get install $* failed (full log: var/apt.log)"
    fi
}
