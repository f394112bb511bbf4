#!/usr/bin/env bash
# Builds the npm package's wasm and JS glue into pkg/dist (release, size-optimised).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib/tools.sh"
ensure_wasm_target
ensure_wasm_bindgen
ensure_node_deps

cd "$ROOT"
log "building the wasm (release)"
cargo build --release --lib --target wasm32-unknown-unknown
wasm="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/qstash_cancel.wasm"
dist=pkg/dist
rm -rf "$dist"
wasm-bindgen --target web --no-typescript --out-dir "$dist/web" --out-name qstash_cancel "$wasm"
wasm-bindgen --target nodejs --no-typescript --out-dir "$dist/node" --out-name qstash_cancel "$wasm"
node scripts/inline-snippets.mjs "$dist/web/qstash_cancel.js" "$dist/node/qstash_cancel.js"
rm -rf "$dist/web/snippets" "$dist/node/snippets"
# The features rustc enables by default for wasm32-unknown-unknown; wasm-opt must accept them.
features=(--enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-reference-types --enable-multivalue --enable-mutable-globals)
# Beyond -Oz: repeat until nothing shrinks, assume no access below 1 KiB (wasm-bindgen never
# makes one), and drop the debug and producers sections: 0.4 KB gzip less together.
# KEEP_NAMES=1 keeps the function names instead (the same code), for a profile that names the
# wasm's steps (bench/per-step.mjs).
# The core's call machines (src/call) stay out of the exports that drive them: -Oz inlines a
# function with one caller, so `Call::poll`, `answer` and `finish` each held every machine, and V8,
# which compiles a wasm function on its first call, compiled all six for a Worker's first cancel.
# Kept apart: 3.5 KB less code compiled on the first cancel (bench/coldstart.mjs --compiled),
# 0.5 KB gzip less, a call's time unchanged. The pattern starts with `*` because a machine's
# `Machine` methods are named `<qstash_cancel::call::… as …::Machine>::poll`; without them it kept
# only the machines' own helpers apart (0 B instead of -0.3 KB as merged).
names=--strip-debug
[ -z "${KEEP_NAMES:-}" ] || names=-g
optimise() {
  node_modules/.bin/wasm-opt --no-inline='*qstash_cancel::call::*' -Oz "${features[@]}" --converge --low-memory-unused "$names" --strip-producers "$1" -o "$1"
}
# wasm-bindgen writes the same wasm for both targets; when it has (checked byte for byte), the
# optimised one is copied rather than optimised again: wasm-opt was 26 s of the 28 s a rebuild
# with nothing changed took (each demo start), half of it spent making the same file twice.
if cmp -s "$dist/web/qstash_cancel_bg.wasm" "$dist/node/qstash_cancel_bg.wasm"; then
  optimise "$dist/web/qstash_cancel_bg.wasm"
  cp "$dist/web/qstash_cancel_bg.wasm" "$dist/node/qstash_cancel_bg.wasm"
else
  for target in web node; do optimise "$dist/$target/qstash_cancel_bg.wasm"; done
fi
for target in web node; do node scripts/short-names.mjs "$dist/$target"; done
node scripts/embed-wasm.mjs "$dist"
# The browser glue, minified (esbuild, no bundling: exports and `import.meta.url` stay): 2.1 KB
# gzip less for the browser. The readable source is the wasm-bindgen output; build without this
# line to read it. The Node glue stays as wasm-bindgen wrote it: Node prints the source line an
# unhandled error came from before the error, and minified to one line that was 14 KB of code
# before the message (tests/package/node-errors.test.mjs); nothing downloads the Node glue.
glue="$dist/web/qstash_cancel.js"
node_modules/.bin/esbuild "$glue" --minify --log-level=warning --outfile="$glue" --allow-overwrite

# The CommonJS side: mark the folder, and derive the error class and the exports from their one
# ESM source each.
echo '{ "type": "commonjs" }' > "$dist/node/package.json"
{
  sed 's/^export class /class /' pkg/lib/error.js
  echo 'module.exports = { QStashCancelError };'
} > "$dist/node/error.cjs"
{
  sed 's/^export function /function /' pkg/lib/api.js
  echo 'module.exports = { defineApi };'
} > "$dist/node/api.cjs"
cp pkg/index.d.ts "$dist/node/index.d.cts"

node scripts/sizes.mjs
