// The wasm inside the JS (`import ... from "qstash-cancel/inline"`), for bundlers that cannot
// carry a .wasm file along: esbuild has no loader for `new URL(..., import.meta.url)`, so with
// the main entry its bundle looks for a file it never emitted. The bytes travel as base64
// (about a third larger than the file, and compiled after download instead of while it
// streams); the main entry stays the better choice wherever the .wasm can be served.
import init, { __setErrorClass, Client as Inner } from './dist/web/qstash_cancel.js';
import base64 from './dist/web/qstash_cancel_bg.wasm.js';
import { QStashCancelError } from './lib/error.js';
import { defineClient } from './lib/client.js';

const text = atob(base64);
const bytes = new Uint8Array(text.length);
for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
await init({ module_or_path: bytes });
__setErrorClass(QStashCancelError);

export { cancelRuns, cancelRunsDetailed, previewRequest } from './dist/web/qstash_cancel.js';
export { QStashCancelError };
export const Client = defineClient(Inner, QStashCancelError);
