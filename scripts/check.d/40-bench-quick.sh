#!/usr/bin/env bash
# Keeps the benchmark and the fault soak working: `scripts/bench --quick` (spotkit and spotipy on
# small libraries, counts checked, no timing targets), `scripts/bench-history --quick` (20 000
# generated plays imported twice, counts checked) and a one-seed soak, all on the debug build
# the test run made. The full runs are `scripts/bench` and `scripts/soak --seeds 20`.
set -euo pipefail
cd "$(dirname "$0")/../.."
export SPOTKIT_PREBUILT=1
./scripts/bench --quick
./scripts/bench-history --quick
./scripts/soak --debug --seeds 1 --kills 2
