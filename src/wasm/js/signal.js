// Reading an `AbortSignal` through the prototype's own getter (src/wasm/signal.rs). Loaded by
// wasm-bindgen, folded into the glue by scripts/inline-snippets.mjs, type-checked by
// `tsc --checkJs` in the test command.
/**
 * `aborted` of a real `AbortSignal`; throws for anything else.
 * @param {unknown} signal
 */
export function signalAborted(signal) {
  const own = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted');
  const aborted = own && own.get ? own.get.call(signal) : signal instanceof AbortSignal ? signal.aborted : undefined;
  if (typeof aborted !== 'boolean') throw new TypeError('not an AbortSignal');
  return aborted;
}
