// Browsers (a plain <script type="module">) and bundlers: the wasm file is fetched next to the
// glue (bundlers rewrite the `new URL(..., import.meta.url)` inside it) before the module resolves.
import init, { __setErrorClass } from './dist/web/qstash_cancel.js';
import { QStashCancelError } from './lib/error.js';

await init();
__setErrorClass(QStashCancelError);

export { cancelRuns, cancelRunsDetailed, previewRequest, Client } from './dist/web/qstash_cancel.js';
export { QStashCancelError };
