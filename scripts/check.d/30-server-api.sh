#!/usr/bin/env bash
# spotkit-server: schemathesis fuzzes every documented operation of a running server (on a
# sandbox, logged in through the mobile hand-off) and fails on any 5xx or any response that
# does not match /openapi.json. Everything listens on 127.0.0.1 and is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
HOOKS="$PWD/scripts/check.d"

TARGET="${CARGO_TARGET_DIR:-$HOME/.cache/spotkit-target}"
VENV="${SPOTKIT_SCHEMATHESIS_VENV:-$HOME/.cache/spotkit-server-venv}"
if [[ ! -x "$VENV/bin/schemathesis" ]]; then
  echo "schemathesis is missing from $VENV; scripts/setup.d/30-server.sh installs it" >&2
  exit 1
fi
if [[ ! -x "$TARGET/debug/spotkit-server" || ! -x "$TARGET/debug/spotkit-sandbox" ]]; then
  cargo build --quiet --locked -p spotkit-server -p spotkit-sandbox
fi

BIN="$TARGET/debug"
# shellcheck source=30-server-stack.bash
source "$HOOKS/30-server-stack.bash"

# Logging out (here or everywhere) would revoke the token the run uses; everything else is fuzzed. Run from the
# temporary directory: schemathesis keeps its example database in the working directory.
cd "$WORK"
"$VENV/bin/schemathesis" run "$SERVER/openapi.json" \
  --url "$SERVER" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --exclude-path /logout \
  --exclude-path /logout/everywhere \
  --max-examples "${SPOTKIT_SCHEMATHESIS_EXAMPLES:-25}" \
  --no-color
