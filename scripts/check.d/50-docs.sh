#!/usr/bin/env bash
# Every command in the user guide runs against the sandbox (or names the test that runs it).
set -euo pipefail
./scripts/docs-check
