// The executor's JS side: calling `onProgress` safely, and waiting for the first of several
// promises, a timer and an abort (src/wasm/execute.rs). Loaded by wasm-bindgen, folded into the
// glue by scripts/inline-snippets.mjs, type-checked by `tsc --checkJs` in the test command.
/**
 * Calls `onProgress`; what it throws or rejects with is ignored. Also waitForBulkAction's, through
 * the glue's export of it (pkg/lib/api.js).
 * @param {Function} callback
 * @param {unknown} progress
 */
export function notify(callback, progress) {
  try {
    const result = callback(progress);
    if (result && typeof result.then === 'function') result.then(undefined, () => {});
  } catch {}
}
/**
 * The first of: a flight settling (`[index, resolved, value]`), `ms` passing or `signal` firing
 * (`[-1]`).
 * @param {Promise<unknown>[]} flights
 * @param {number | undefined} ms
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<[number, boolean?, unknown?]>}
 */
export function firstOf(flights, ms, signal) {
  return new Promise((resolve) => {
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const onAbort = () => end([-1]);
    /** @param {[number, boolean?, unknown?]} outcome */
    const end = (outcome) => {
      clearTimeout(timer);
      if (signal !== undefined) signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    flights.forEach((flight, i) => flight.then((value) => end([i, true, value]), (reason) => end([i, false, reason])));
    if (ms !== undefined) timer = setTimeout(() => end([-1]), ms);
    else if (flights.length === 0) end([-1]);
    if (signal !== undefined) signal.addEventListener('abort', onAbort);
  });
}
/**
 * The promise of what `settle` returns once `flight` settles, told whether it resolved.
 * @param {Promise<unknown>} flight
 * @param {(resolved: boolean, value: unknown) => unknown} settle
 */
export function settleWith(flight, settle) {
  return flight.then((value) => settle(true, value), (reason) => settle(false, reason));
}
