// The wasm inside the JS (`import ... from "qstash-cancel/inline"`): one bundle file with
// everything, for bundlers that cannot carry a .wasm file along and builds that must not load a
// second chunk. The bytes travel as base64 (about a third larger than the file, and compiled
// after download instead of while it streams); the main entry falls back to the same bytes by
// itself when its .wasm does not load, and stays the better choice wherever the .wasm is served.
import * as glue from './dist/web/qstash_cancel.js';
import base64 from './dist/web/qstash_cancel_bg.wasm.js';
import { fromBase64 } from './lib/api.js';
import expose from './lib/exports.js';

await glue.default({ module_or_path: fromBase64(base64) });
export const {
  cancelRuns, cancelRunsDetailed, previewRequest, getBulkAction, listBulkActions, waitForBulkAction, listAllBulkActions,
  tokenFingerprint, Client, QStashCancelError,
} = expose(glue);
