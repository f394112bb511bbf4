// The package's exports, written once for every ES module entry. An entry loads the wasm its own
// way, hands the glue over (`expose`) and re-exports this module (`export * from`, which leaves
// `expose`, the default export, behind): the names stay static for bundlers and TypeScript, and
// their values come from the glue the entry loaded.
import { QStashCancelError as ErrorClass } from './error.js';
import { defineApi } from './api.js';

export let cancelRuns, cancelRunsDetailed, previewRequest, getBulkAction, listBulkActions, waitForBulkAction,
  listAllBulkActions, tokenFingerprint, Client, QStashCancelError;

/**
 * Fills the exports in from a loaded wasm-bindgen `glue`, or from an API built already (node.js
 * hands over node.cjs's, so import and require share one instance and one error class). Only the
 * first call counts: two entries in one app (the main one and "/inline") share this module and
 * the glue, and the second must not swap the exports, and the Client class, under the first's
 * callers.
 */
export default function expose(glue, built) {
  if (Client !== undefined) return;
  ({
    cancelRuns, cancelRunsDetailed, previewRequest, getBulkAction, listBulkActions, waitForBulkAction,
    listAllBulkActions, tokenFingerprint, Client, QStashCancelError,
  } = built ?? defineApi(glue, ErrorClass));
}
