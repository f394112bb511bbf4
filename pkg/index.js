// Browsers (a plain <script type="module">) and bundlers: the wasm file is fetched next to the
// glue (bundlers rewrite the `new URL(..., import.meta.url)` inside it) before the module resolves.
import * as glue from './dist/web/qstash_cancel.js';
import { QStashCancelError } from './lib/error.js';
import { defineApi } from './lib/api.js';

await glue.default();
glue.__setErrorClass(QStashCancelError);

export const {
  cancelRuns, cancelRunsDetailed, previewRequest, getBulkAction, listBulkActions, waitForBulkAction, listAllBulkActions, Client,
} = defineApi(glue, QStashCancelError);
export { QStashCancelError };
