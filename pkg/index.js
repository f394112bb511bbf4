// Browsers (a plain <script type="module">) and bundlers: the wasm file is fetched next to the
// glue (bundlers that carry it rewrite the `new URL(..., import.meta.url)` inside the glue, and it
// is compiled while it downloads) before the module resolves.
//
// Bundlers that do not carry the .wasm file (Rollup, Rolldown, `bun build`, esbuild), and Node
// reaching this entry through an `import` condition, fail to fetch it: then the same bytes come
// from the inline module, imported only then (a lazily loaded chunk where the bundler splits
// code, part of the bundle where it does not). If that fails too, the error says what to do.
import * as glue from './dist/web/qstash_cancel.js';
import { fromBase64 } from './lib/api.js';
import expose from './lib/exports.js';

try {
  await glue.default();
} catch (fetched) {
  try {
    const { default: base64 } = await import('./dist/web/qstash_cancel_bg.wasm.js');
    await glue.default({ module_or_path: fromBase64(base64) });
  } catch (inline) {
    throw new Error(
      `qstash-cancel could not load its WebAssembly: the .wasm file beside the package's glue did not load (${fetched?.message ?? fetched}), `
      + `and neither did its inline copy (${inline?.message ?? inline}). Import "qstash-cancel/inline", which carries the wasm inside the JS, `
      + 'or serve qstash_cancel_bg.wasm next to the bundle.',
    );
  }
}
export const {
  cancelRuns, cancelRunsDetailed, previewRequest, getBulkAction, listBulkActions, waitForBulkAction, listAllBulkActions,
  tokenFingerprint, Client, QStashCancelError,
} = expose(glue);
