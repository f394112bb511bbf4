// The package's API, built once for every ES module entry. An entry loads the wasm its own way,
// hands the glue over (`expose`) and exports what it gets back by name:
//   export const { cancelRuns, ... } = expose(glue);
// The names are written in each entry, not re-exported with `export *` from bindings an init call
// sets: Turbopack's Edge bundle (Next.js 16) saw such bindings as undefined (the tools test), and
// a `const` list is static for every bundler and for TypeScript. `tests/package/node-esm.test.mjs`
// keeps every entry's list equal to the API's.
import { QStashCancelError as ErrorClass } from './error.js';
import { defineApi } from './api.js';

let api;

/**
 * The API from a loaded wasm-bindgen `glue`, or one built already (node.js hands over node.cjs's,
 * so import and require share one instance and one error class). Only the first call builds:
 * two entries in one app (the main one and "/inline") share this module and the glue, and the
 * second must not make a second Client class under the first's callers.
 */
export default function expose(glue, built) {
  api ??= built ?? defineApi(glue, ErrorClass);
  return api;
}
