# Installs what the build and the tests need, idempotently: each step is a no-op when its tool
# is already there, so a fresh machine and a warm one run the same commands.
# Sourced by the scripts in scripts/; expects $ROOT (the repository root).

log() { printf '\n== %s\n' "$*" >&2; }

ensure_wasm_target() {
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
    || rustup target add wasm32-unknown-unknown
}

# The CLI must match the wasm-bindgen crate exactly; the version is read from Cargo.toml's pin.
ensure_wasm_bindgen() {
  local want
  want=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' "$ROOT/Cargo.toml")
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    # A debug build: it only ever processes this one small module, and builds in 1 min 28 s
    # on 2 cores against about 9 min 40 s for the release build (measured 2026-12-06).
    log "installing wasm-bindgen-cli $want (about a minute and a half, once)"
    cargo install wasm-bindgen-cli --version "$want" --debug --force
  fi
}

# npm packages of the tooling (binaryen's wasm-opt, esbuild, Miniflare/workerd, playwright-core, tsc).
ensure_node_deps() {
  local stamp="$ROOT/node_modules/.installed-lock"
  if ! cmp -s "$ROOT/package-lock.json" "$stamp" 2>/dev/null; then
    log "installing npm tooling"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$ROOT/package-lock.json" "$stamp"
  fi
}

# Debian's Chromium and ChromeDriver (never a browser download: there is no network for it).
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    log "installing Debian chromium + chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}
