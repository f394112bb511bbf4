#!/usr/bin/env bash
# The README's demo command: builds the package (installing the tools it needs), then serves the
# admin page and runs the admin Worker in workerd against an emulated QStash account (or the
# real service when QSTASH_URL and QSTASH_TOKEN are set). Prints the page's URL, the credential and
# the lines that point the command line and a Node script at the Worker; Ctrl-C stops.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
"$ROOT/scripts/build-pkg.sh" >&2
exec node "$ROOT/www/dev/demo.mjs"
