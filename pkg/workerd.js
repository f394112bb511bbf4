// Cloudflare Workers (the "workerd" condition): workerd forbids compiling wasm from bytes, so the
// .wasm is imported as a compiled module (wrangler and Miniflare do this for *.wasm imports).
import wasmModule from './dist/web/qstash_cancel_bg.wasm';
import { initSync, __setErrorClass } from './dist/web/qstash_cancel.js';
import { QStashCancelError } from './lib/error.js';

initSync({ module: wasmModule });
__setErrorClass(QStashCancelError);

export { cancelRuns, cancelRunsDetailed, previewRequest, Client } from './dist/web/qstash_cancel.js';
export { QStashCancelError };
