#!/usr/bin/env bash
# Ensures a Helm v3 binary exists in the per-user cache and prints its path on stdout.
#
#   HELM="$(bash infra/tools/helm.sh)" && "$HELM" lint --strict charts/shouwang
#
# There is no internet here except package registries, so Helm is built from source through the Go
# module proxy (`go install helm.sh/helm/v3/cmd/helm@<version>`). The first run takes a few minutes;
# later runs only check that the cached binary is there. Progress goes to stderr, the path to stdout.
#
# Environment:
#   HELM_VERSION     Helm release to build (default below; must be a tag the Go module proxy serves)
#   SHOUWANG_CACHE   cache root (default: $HOME/.cache/shouwang)
#   HELM_BIN         use this helm binary instead (must be v3); skips the build entirely
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.22.0}"
CACHE_ROOT="${SHOUWANG_CACHE:-$HOME/.cache/shouwang}"
DEST="$CACHE_ROOT/helm-$HELM_VERSION"
BIN="$DEST/helm"

log() { printf 'helm.sh: %s\n' "$*" >&2; }

if [[ -n "${HELM_BIN:-}" ]]; then
  v="$("$HELM_BIN" version --short 2>/dev/null)" || { log "HELM_BIN=$HELM_BIN does not run"; exit 1; }
  [[ "$v" == v3.* ]] || { log "HELM_BIN=$HELM_BIN is helm $v, not v3"; exit 1; }
  printf '%s\n' "$HELM_BIN"
  exit 0
fi

if [[ -x "$BIN" ]] && "$BIN" version --short >/dev/null 2>&1; then
  printf '%s\n' "$BIN"
  exit 0
fi

command -v go >/dev/null 2>&1 || { log "go is required to build helm $HELM_VERSION (none found on PATH)"; exit 1; }

mkdir -p "$DEST"
# One build at a time: a second caller (another test worker, another terminal) waits for the first.
exec 9>"$DEST.lock"
if ! flock -n 9; then
  log "another build of helm $HELM_VERSION is running; waiting for it"
  flock 9
  if [[ -x "$BIN" ]] && "$BIN" version --short >/dev/null 2>&1; then
    printf '%s\n' "$BIN"
    exit 0
  fi
fi

log "building helm $HELM_VERSION with $(go version | awk '{print $3}') into $DEST (first time only; takes a few minutes)"
start=$(date +%s)
# Build into a temporary GOBIN and move into place, so an interrupted build never leaves a half binary.
tmp="$(mktemp -d "$DEST/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# Helm's Makefile stamps the release version and the Kubernetes version its client libraries speak
# into the binary. Without the latter, `helm template`/`helm lint` assume Kubernetes v1.20 and reject
# charts that require anything newer, so derive it from Helm's own go.mod (k8s.io/client-go v0.X.Y -> 1.X).
gomod="$(go mod download -json "helm.sh/helm/v3@$HELM_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
k8s_minor="$(sed -n 's/^[[:space:]]*k8s\.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$gomod" | head -n1)"
[[ -n "$k8s_minor" ]] || { log "could not read the k8s.io/client-go version from $gomod"; exit 1; }
ldflags="-s -w"
ldflags+=" -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for pkg in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
  ldflags+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$k8s_minor"
done

GOBIN="$tmp" CGO_ENABLED=0 go install -trimpath -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
mv -f "$tmp/helm" "$BIN"
elapsed=$(( $(date +%s) - start ))
log "built $("$BIN" version --short) in ${elapsed}s: $BIN"
printf '%s\n' "$BIN"
