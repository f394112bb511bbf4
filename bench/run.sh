#!/usr/bin/env bash
# The benchmark command: builds the package, installs the benchmark's own dependencies (the
# official client and esbuild, used nowhere else), runs every benchmark and writes
# bench/RESULTS.md. Figures are only compared with baselines measured in the same run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
"$ROOT/scripts/build-pkg.sh" >&2
cd "$ROOT/bench"
[ -d node_modules/@upstash/workflow ] || npm ci --no-audit --no-fund --loglevel=error
node report.mjs | tee RESULTS.md
