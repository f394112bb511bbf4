#!/usr/bin/env bash
# Builds the floor crate with and without serde-wasm-bindgen, like scripts/build-pkg.sh builds
# the package (release, wasm-bindgen --target web, wasm-opt -Oz), and prints the sizes as JSON.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$HERE"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
features=(--enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-reference-types --enable-multivalue --enable-mutable-globals)
gz() { gzip -9c "$1" | wc -c; }
echo '{'
first=1
for variant in fetch serialize; do
  flags=(); [ "$variant" = serialize ] && flags=(--features serialize)
  cargo build --quiet --release --target wasm32-unknown-unknown "${flags[@]}" >&2
  wasm-bindgen --target web --no-typescript --out-dir "$out/$variant" target/wasm32-unknown-unknown/release/floor.wasm
  "$ROOT/node_modules/.bin/wasm-opt" -Oz "${features[@]}" "$out/$variant/floor_bg.wasm" -o "$out/$variant/floor_bg.wasm"
  [ $first = 1 ] || echo ','
  first=0
  printf '"%s": {"wasmGzip": %d, "glueGzip": %d}' "$variant" "$(gz "$out/$variant/floor_bg.wasm")" "$(gz "$out/$variant/floor.js")"
done
echo; echo '}'
