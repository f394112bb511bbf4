#!/usr/bin/env bash
# The README's demo command: builds the package (installing the tools it needs), then cancels
# runs on an emulated QStash account with it and prints what happened.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
"$ROOT/scripts/build-pkg.sh" >&2
node "$ROOT/scripts/demo.mjs"
