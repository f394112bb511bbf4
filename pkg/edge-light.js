// Next.js's Edge runtime and other hosts with the "edge-light" condition (Vercel's edge): like
// workerd, they refuse to compile wasm from bytes at run time, so the .wasm is imported as a
// compiled module; Next.js's bundlers (Turbopack and webpack) turn a `?module` import into one.
import wasmModule from './dist/web/qstash_cancel_bg.wasm?module';
import * as glue from './dist/web/qstash_cancel.js';
import expose from './lib/exports.js';

// Next.js runs edge code in a sandbox realm while it builds, and hands it a module compiled in the
// outer realm: the glue's `instanceof WebAssembly.Module` is false there and it would try to
// compile the module again. A module is a module in any realm: give it this realm's prototype.
// esbuild with `--loader:.wasm=binary` gives the bytes, which hosts that allow it compile.
const module = wasmModule instanceof WebAssembly.Module || ArrayBuffer.isView(wasmModule) ? wasmModule : sameRealm(wasmModule);

function sameRealm(value) {
  if (Object.prototype.toString.call(value) !== '[object WebAssembly.Module]') {
    const got = typeof value === 'string' ? 'a string' : Object.prototype.toString.call(value);
    throw new Error(
      `qstash-cancel's "edge-light" entry imports its .wasm as a compiled module (\`.wasm?module\`), and the bundler gave ${got}. `
      + 'Bundle it with Next.js, or with esbuild add --loader:.wasm=binary, or import "qstash-cancel/inline".',
    );
  }
  return Object.setPrototypeOf(value, WebAssembly.Module.prototype);
}
glue.initSync({ module });
export const {
  cancelRuns, cancelRunsDetailed, previewRequest, getBulkAction, listBulkActions, waitForBulkAction, listAllBulkActions,
  tokenFingerprint, Client, QStashCancelError,
} = expose(glue);
