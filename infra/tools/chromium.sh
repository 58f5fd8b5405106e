#!/usr/bin/env bash
# Ensures Debian's chromium (and CJK fonts, so Chinese text renders) is installed and prints the
# browser's path on stdout. The browser end-to-end tests (tests/e2e) drive it with playwright-core.
#
#   CHROMIUM="$(bash infra/tools/chromium.sh)" && "$CHROMIUM" --headless --no-sandbox --dump-dom about:blank
#
# There is no internet here except package registries, so the browser comes from Debian's apt
# repository, never from a browser download of Playwright's own (its installer fails here).
# Installing needs root (or passwordless sudo); the first run takes a minute or two, later runs only
# check that the files are there. Progress goes to stderr, the path to stdout.
#
# Environment:
#   CHROMIUM_BIN   use this browser binary instead; skips the install entirely
set -euo pipefail

BIN=/usr/bin/chromium
# Noto CJK (Source Han) gives Chinese glyphs; without it headless chromium draws boxes.
FONT_PACKAGE=fonts-noto-cjk
FONT_FILE=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

log() { printf 'chromium.sh: %s\n' "$*" >&2; }

if [[ -n "${CHROMIUM_BIN:-}" ]]; then
  [[ -x "$CHROMIUM_BIN" ]] || { log "CHROMIUM_BIN=$CHROMIUM_BIN is not an executable file"; exit 1; }
  printf '%s\n' "$CHROMIUM_BIN"
  exit 0
fi

missing=()
[[ -x "$BIN" ]] || missing+=(chromium)
[[ -f "$FONT_FILE" ]] || missing+=("$FONT_PACKAGE")
if [[ ${#missing[@]} -eq 0 ]]; then
  printf '%s\n' "$BIN"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  log "missing ${missing[*]}; install as root: apt-get update && apt-get install -y ${missing[*]}"
  exit 1
fi
command -v apt-get >/dev/null 2>&1 || { log "missing ${missing[*]} and there is no apt-get (not Debian?)"; exit 1; }

# One install at a time: a second caller (another test worker, another terminal) waits for the first.
lock="${TMPDIR:-/tmp}/shouwang-chromium-install.lock"
exec 9>"$lock"
if ! flock -n 9; then
  log "another install is running; waiting for it"
  flock 9
fi
# Re-check under the lock: the other caller may have installed everything meanwhile.
missing=()
[[ -x "$BIN" ]] || missing+=(chromium)
[[ -f "$FONT_FILE" ]] || missing+=("$FONT_PACKAGE")
if [[ ${#missing[@]} -gt 0 ]]; then
  start=$(date +%s)
  export DEBIAN_FRONTEND=noninteractive
  # apt's own output goes to a log, shown only when a step fails.
  aptlog="$(mktemp "${TMPDIR:-/tmp}/shouwang-chromium-apt.XXXXXX")"
  trap 'rm -f "$aptlog"' EXIT
  apt_get() {
    if ! "${as_root[@]}" apt-get "$@" >"$aptlog" 2>&1; then
      log "apt-get $* failed:"
      tail -n 30 "$aptlog" >&2
      exit 1
    fi
  }
  log "installing ${missing[*]} from Debian (first time only; takes a minute or two)"
  log "apt-get update"
  apt_get update
  log "apt-get install --no-install-recommends ${missing[*]}"
  apt_get install -y --no-install-recommends "${missing[@]}"
  log "installed ${missing[*]} in $(($(date +%s) - start))s"
fi

[[ -x "$BIN" ]] || { log "apt-get finished but $BIN is missing"; exit 1; }
log "$("$BIN" --version 2>/dev/null || echo 'chromium (version unknown)')"
printf '%s\n' "$BIN"
