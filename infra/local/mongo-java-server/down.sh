#!/usr/bin/env bash
# Stops the mongo-java-server started by infra/local/mongo-java-server/up.sh (SIGTERM, bounded wait,
# then SIGKILL). Everything it held in memory is gone.
set -euo pipefail

MJS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$MJS_DIR/../lib.sh"
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$MJS_DIR/common.sh"

take_lock
if pid=$(mjs_pid); then
  log "$MJS_NAME: stopping pid $pid (127.0.0.1:$MJS_PORT)"
  stop_pid "$MJS_NAME" "$pid"
  log "$MJS_NAME: stopped"
else
  log "$MJS_NAME: not running"
fi
rm -f "$(pid_file "$MJS_NAME")"
