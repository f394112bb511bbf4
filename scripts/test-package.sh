#!/usr/bin/env bash
# Packs pkg/ with `npm pack`, installs the tarball into a fresh app folder, and runs the package
# tests there (Node import and require, workerd, a Chromium page, tsc), so `qstash-cancel`
# resolves exactly as it will for a user. Expects a built pkg/dist (scripts/build-pkg.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
app=$(mktemp -d /tmp/qstash-cancel-app.XXXXXX)
trap 'rm -rf "$app"' EXIT

tarball=$(cd "$ROOT/pkg" && npm pack --silent --pack-destination "$app")
cd "$app"
echo '{ "name": "app", "private": true, "type": "module" }' > package.json
npm install --no-audit --no-fund --loglevel=error "./$tarball"
cp -r "$ROOT/tests/package/." "$app/"
echo "packed $tarball: $(wc -c < "$tarball") bytes; installed into $app"
QSTASH_REPO="$ROOT" node --test --test-concurrency=1 ${PACKAGE_TESTS:-./*.test.mjs}
