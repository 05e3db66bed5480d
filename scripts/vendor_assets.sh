#!/usr/bin/env bash
# Front-end libraries come from the npm registry (package.json, package-lock.json)
# and are served as our own static files: no CDN. This script
#   1. runs `npm ci` when package.json or package-lock.json changed
#      (stamp: node_modules/.zhulao-npm.stamp), and
#   2. copies only the dist files the templates use into static/vendor/
#      (stamp: static/vendor/.stamp), replacing the folder as a whole, and
#   3. writes static/vendor/bootstrap/bootstrap.trimmed.min.css: Bootstrap's CSS with only
#      the rules our templates use (PurgeCSS, scripts/trim_bootstrap.mjs), again whenever a
#      template, a Python file or static/js/ changed (stamp: static/vendor/.trim-stamp).
# static/vendor/ and node_modules/ are git-ignored.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_common.sh

command -v npm >/dev/null 2>&1 || die "npm not found. On Debian: sudo apt-get install nodejs npm"

NPM_STAMP=node_modules/.zhulao-npm.stamp
want=$(files_hash package.json package-lock.json)
if [ ! -d node_modules ] || [ "$(cat "$NPM_STAMP" 2>/dev/null || true)" != "$want" ]; then
    say "npm ci (package.json or package-lock.json changed, or first run)"
    # --ignore-scripts: none of these packages needs an install script.
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2
    echo "$want" >"$NPM_STAMP"
else
    say "npm packages: up to date"
fi

# source (under node_modules/) -> destination (under static/vendor/)
FILES=(
    "bootstrap/dist/css/bootstrap.min.css            bootstrap/bootstrap.min.css"
    "bootstrap/dist/css/bootstrap.min.css.map        bootstrap/bootstrap.min.css.map"
    "bootstrap/dist/js/bootstrap.bundle.min.js       bootstrap/bootstrap.bundle.min.js"
    "bootstrap/dist/js/bootstrap.bundle.min.js.map   bootstrap/bootstrap.bundle.min.js.map"
    "bootstrap/LICENSE                               bootstrap/LICENSE"
    "bootstrap-icons/font/bootstrap-icons.min.css    bootstrap-icons/bootstrap-icons.min.css"
    "bootstrap-icons/font/fonts/bootstrap-icons.woff2 bootstrap-icons/fonts/bootstrap-icons.woff2"
    "bootstrap-icons/font/fonts/bootstrap-icons.woff bootstrap-icons/fonts/bootstrap-icons.woff"
    "bootstrap-icons/LICENSE                         bootstrap-icons/LICENSE"
    "htmx.org/dist/htmx.min.js                       htmx/htmx.min.js"
    "htmx.org/LICENSE                                htmx/LICENSE"
    "echarts/dist/echarts.min.js                     echarts/echarts.min.js"
    "echarts/LICENSE                                 echarts/LICENSE"
    "echarts/NOTICE                                  echarts/NOTICE"
)
PACKAGES=(bootstrap bootstrap-icons htmx.org echarts)

DEST=static/vendor
VENDOR_STAMP=$DEST/.stamp
vwant=$(files_hash "$NPM_STAMP" scripts/vendor_assets.sh)
complete=1
for pair in "${FILES[@]}"; do
    read -r _src dst <<<"$pair"
    [ -f "$DEST/$dst" ] || { complete=0; break; }
done

# 3. the trimmed Bootstrap stylesheet, rebuilt when what it scans changed
trim_bootstrap() {
    local trimmed=$DEST/bootstrap/bootstrap.trimmed.min.css stamp=$DEST/.trim-stamp twant
    twant=$( { files_hash "$NPM_STAMP" scripts/trim_bootstrap.mjs
               find templates zhulao static/js -type f \( -name '*.html' -o -name '*.py' -o -name '*.js' \) \
                   -not -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-64)
    if [ -f "$trimmed" ] && [ "$(cat "$stamp" 2>/dev/null || true)" = "$twant" ]; then
        say "static/vendor: trimmed Bootstrap up to date"
        return
    fi
    node scripts/trim_bootstrap.mjs node_modules/bootstrap/dist/css/bootstrap.min.css "$trimmed.tmp"
    mv "$trimmed.tmp" "$trimmed"
    echo "$twant" >"$stamp"
}

if [ $complete = 1 ] && [ "$(cat "$VENDOR_STAMP" 2>/dev/null || true)" = "$vwant" ]; then
    say "static/vendor: up to date"
    trim_bootstrap
    exit 0
fi

tmp=$(mktemp -d static/.vendor.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
for pair in "${FILES[@]}"; do
    read -r src dst <<<"$pair"
    [ -f "node_modules/$src" ] || die "node_modules/$src is missing: is package.json's version range right?"
    mkdir -p "$tmp/$(dirname "$dst")"
    cp "node_modules/$src" "$tmp/$dst"
done
{
    echo "# Copied from node_modules/ by scripts/vendor_assets.sh; do not edit."
    for p in "${PACKAGES[@]}"; do
        printf '%s %s\n' "$p" "$(node -p "require('./node_modules/$p/package.json').version" 2>/dev/null || echo '?')"
    done
} >"$tmp/VERSIONS.txt"
echo "$vwant" >"$tmp/.stamp"
chmod 755 "$tmp"
rm -rf "$DEST"
mv "$tmp" "$DEST"
trap - EXIT
say "static/vendor: copied ($(grep -v '^#' "$DEST/VERSIONS.txt" | paste -sd, - | sed 's/,/, /g'))"
trim_bootstrap
