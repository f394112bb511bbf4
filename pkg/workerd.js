// Cloudflare Workers (the "workerd" condition): workerd forbids compiling wasm from bytes, so the
// .wasm is imported as a compiled module (wrangler and Miniflare do this for *.wasm imports).
import wasmModule from './dist/web/qstash_cancel_bg.wasm';
import { initSync, __setErrorClass, Client as Inner } from './dist/web/qstash_cancel.js';
import { QStashCancelError } from './lib/error.js';
import { defineClient } from './lib/client.js';

initSync({ module: wasmModule });
__setErrorClass(QStashCancelError);

export { cancelRuns, cancelRunsDetailed, previewRequest } from './dist/web/qstash_cancel.js';
export { QStashCancelError };
export const Client = defineClient(Inner, QStashCancelError);
