# shellcheck shell=bash
# Connection settings of Shouwang's local infrastructure (infra/local/up.sh).
#
#   source infra/local/env.sh            # exports the variables below into the current shell
#   eval "$(bash infra/local/env.sh)"    # same, from a shell that cannot source bash
#
# Inputs (all optional): SHOUWANG_LOCAL_DIR, SHOUWANG_CACHE_DIR, SHOUWANG_KAFKA_PORT,
# SHOUWANG_KAFKA_CONTROLLER_PORT, SHOUWANG_MONGO_PORT, SHOUWANG_REDIS_PORT.
# Outputs: the same, with their defaults filled in, plus MONGODB_URI, KAFKA_BROKERS and REDIS_URL
# (always derived from the ports, so they match what up.sh started).
#
# This file is sourced into interactive shells: it sets no shell options and defines no functions.

_shouwang_env_dir="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")" && pwd)"

SHOUWANG_LOCAL_DIR="${SHOUWANG_LOCAL_DIR:-$(cd "$_shouwang_env_dir/../.." && pwd)/.local}"
case "$SHOUWANG_LOCAL_DIR" in
  /*) ;;
  *) SHOUWANG_LOCAL_DIR="$PWD/$SHOUWANG_LOCAL_DIR" ;;
esac

SHOUWANG_CACHE_DIR="${SHOUWANG_CACHE_DIR:-${HOME:-/root}/.cache/shouwang}"
case "$SHOUWANG_CACHE_DIR" in
  /*) ;;
  *) SHOUWANG_CACHE_DIR="$PWD/$SHOUWANG_CACHE_DIR" ;;
esac

SHOUWANG_KAFKA_PORT="${SHOUWANG_KAFKA_PORT:-19092}"
SHOUWANG_KAFKA_CONTROLLER_PORT="${SHOUWANG_KAFKA_CONTROLLER_PORT:-19093}"
SHOUWANG_MONGO_PORT="${SHOUWANG_MONGO_PORT:-27027}"
SHOUWANG_REDIS_PORT="${SHOUWANG_REDIS_PORT:-16379}"

MONGODB_URI="mongodb://127.0.0.1:${SHOUWANG_MONGO_PORT}/"
KAFKA_BROKERS="127.0.0.1:${SHOUWANG_KAFKA_PORT}"
REDIS_URL="redis://127.0.0.1:${SHOUWANG_REDIS_PORT}"

export SHOUWANG_LOCAL_DIR SHOUWANG_CACHE_DIR \
  SHOUWANG_KAFKA_PORT SHOUWANG_KAFKA_CONTROLLER_PORT SHOUWANG_MONGO_PORT SHOUWANG_REDIS_PORT \
  MONGODB_URI KAFKA_BROKERS REDIS_URL

unset _shouwang_env_dir

# Executed rather than sourced: print the settings as export lines.
if [ -n "${BASH_VERSION:-}" ] && [ "${BASH_SOURCE[0]}" = "$0" ]; then
  for _shouwang_var in SHOUWANG_LOCAL_DIR SHOUWANG_CACHE_DIR SHOUWANG_KAFKA_PORT \
    SHOUWANG_KAFKA_CONTROLLER_PORT SHOUWANG_MONGO_PORT SHOUWANG_REDIS_PORT \
    MONGODB_URI KAFKA_BROKERS REDIS_URL; do
    printf 'export %s=%q\n' "$_shouwang_var" "${!_shouwang_var}"
  done
  unset _shouwang_var
fi
