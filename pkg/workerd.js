// Cloudflare Workers (the "workerd" condition): workerd forbids compiling wasm from bytes, so the
// .wasm is imported as a compiled module (wrangler and Miniflare do this for *.wasm imports).
import wasmModule from './dist/web/qstash_cancel_bg.wasm';
import * as glue from './dist/web/qstash_cancel.js';
import expose from './lib/exports.js';

glue.initSync({ module: wasmModule });
expose(glue);
export * from './lib/exports.js';
