#!/usr/bin/env bash
# Keeps scripts/bench-server working: a 1 s wrk run on the debug build the test run made, checked
# for a requests/s figure and no socket errors. The measured run is `./scripts/bench-server`
# (release builds, 10 s), whose figures docs/server.md records.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="$(PROFILE=dev DURATION=1s CONNECTIONS=4 THREADS=1 ./scripts/bench-server 2>&1)" || {
  echo "$out" >&2; exit 1
}
echo "$out" | grep -E 'Requests/sec|99%'
if ! echo "$out" | grep -q 'Requests/sec'; then echo "bench-server printed no requests/s:" >&2; echo "$out" >&2; exit 1; fi
if echo "$out" | grep -qE 'Socket errors|Non-2xx'; then echo "bench-server saw errors:" >&2; echo "$out" >&2; exit 1; fi
