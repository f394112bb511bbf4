// Cloudflare Workers (the "workerd" condition): workerd forbids compiling wasm from bytes, so the
// .wasm is imported as a compiled module (wrangler and Miniflare do this for *.wasm imports).
import wasmModule from './dist/web/qstash_cancel_bg.wasm';
import * as glue from './dist/web/qstash_cancel.js';
import expose from './lib/exports.js';

glue.initSync({ module: wasmModule });
export const {
  cancelRuns, cancelRunsDetailed, previewRequest, getBulkAction, listBulkActions, waitForBulkAction, listAllBulkActions,
  tokenFingerprint, Client, QStashCancelError,
} = expose(glue);
