#!/usr/bin/env bash
# Tests the packed package with the real tools users ship with (tests/tools: esbuild, Rollup,
# Rolldown, Vite, webpack, Rspack, Rsbuild, Parcel, vitest edge-runtime, EdgeVM, Next.js, SvelteKit,
# Astro, wrangler, Bun, Deno, Node 18/22/24),
# installed from npm at the versions its lockfile pins, into a cached folder (idempotently: a
# second run reinstalls nothing), then built and run against the emulator. Expects a built
# pkg/dist (scripts/build-pkg.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib/tools.sh"
# The tools live outside the repository: Next.js's bundler takes the nearest lockfile's folder as
# the project root and compiles nothing outside it (a symlinked node_modules does not do).
cache=${QSTASH_CANCEL_TOOLS:-/tmp/qstash-cancel-tools}
mkdir -p "$cache"
cp "$ROOT/tests/tools/package.json" "$ROOT/tests/tools/package-lock.json" "$cache/"
if ! cmp -s "$ROOT/tests/tools/package-lock.json" "$cache/.installed-lock" 2>/dev/null; then
  log "installing the tools under test (tests/tools/package.json) into $cache"
  (cd "$cache" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$ROOT/tests/tools/package-lock.json" "$cache/.installed-lock"
fi
tarball=$(cd "$ROOT/pkg" && npm pack --silent --pack-destination "$cache")
(cd "$cache" && npm install --no-save --no-audit --no-fund --loglevel=error "./$tarball")
rm -rf "$cache/run" && mkdir "$cache/run"
cp -r "$ROOT/tests/tools/." "$cache/run/"
rm -f "$cache/run/package.json" "$cache/run/package-lock.json"
QSTASH_REPO="$ROOT" node --test --test-concurrency=1 "$cache/run/tools.test.mjs"
