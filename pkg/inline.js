// The wasm inside the JS (`import ... from "qstash-cancel/inline"`), for bundlers that cannot
// carry a .wasm file along: esbuild has no loader for `new URL(..., import.meta.url)`, so with
// the main entry its bundle looks for a file it never emitted. The bytes travel as base64
// (about a third larger than the file, and compiled after download instead of while it
// streams); the main entry stays the better choice wherever the .wasm can be served.
import * as glue from './dist/web/qstash_cancel.js';
import base64 from './dist/web/qstash_cancel_bg.wasm.js';
import { QStashCancelError } from './lib/error.js';
import { defineApi } from './lib/api.js';

const text = atob(base64);
const bytes = new Uint8Array(text.length);
for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
await glue.default({ module_or_path: bytes });
glue.__setErrorClass(QStashCancelError);

export const {
  cancelRuns, cancelRunsDetailed, previewRequest, getBulkAction, listBulkActions, waitForBulkAction, listAllBulkActions, Client,
} = defineApi(glue, QStashCancelError);
export { QStashCancelError };
