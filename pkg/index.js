// Browsers (a plain <script type="module">) and bundlers: the wasm file is fetched next to the
// glue (bundlers rewrite the `new URL(..., import.meta.url)` inside it) before the module resolves.
import init, { __setErrorClass, Client as Inner } from './dist/web/qstash_cancel.js';
import { QStashCancelError } from './lib/error.js';
import { defineClient } from './lib/client.js';

await init();
__setErrorClass(QStashCancelError);

export { cancelRuns, cancelRunsDetailed, previewRequest } from './dist/web/qstash_cancel.js';
export { QStashCancelError };
export const Client = defineClient(Inner, QStashCancelError);
