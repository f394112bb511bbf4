// `fetch` and the reading of its answer, in one promise of plain values (src/wasm/fetch.rs).
// Loaded by wasm-bindgen, folded into the glue by scripts/inline-snippets.mjs, type-checked by
// `tsc --checkJs` in the test command.
/**
 * `fetch` and its answer read, as `[status, redirected, headers, text, cut]`; a rejection is
 * `[stage, cause]`. Everything `fetch` resolved to is untrusted (a replaced `fetch` may give
 * anything), so it is typed `any` and every read of it is guarded.
 * @param {string} method
 * @param {string} url
 * @param {string} headers names and values, each followed by a newline
 * @param {string | undefined} body
 * @param {AbortSignal | undefined} signal
 * @param {number} max the most bytes of the answer read
 * @param {number} limit the attempt's time limit, ms
 * @param {string} names the headers of a failure's answer to return, newline-separated
 * @returns {Promise<[number, boolean, string[], string, boolean]>}
 */
export function fetchText(method, url, headers, body, signal, max, limit, names) {
  /** @type {Record<string, string>} */
  const named = {};
  const lines = headers.split('\n');
  for (let i = 1; i < lines.length; i += 2) named[lines[i - 1]] = lines[i];
  const controller = new AbortController();
  /** @type {RequestInit} */
  const init = { method, headers: named, redirect: 'manual', signal: controller.signal };
  if (body !== undefined) init.body = body;
  /** @type {number | undefined} */
  let why;
  /** @param {number} stage */
  const stop = (stage) => () => { why = why === undefined ? stage : why; controller.abort(); };
  // A replaced fetch may ignore the abort: every wait is raced against it, so the limits hold.
  // Subscribed before fetch is called: the caller's signal may fire while it runs (a polyfill
  // that aborts a shared controller), and an abort event is dispatched once.
  const ended = new Promise((_, reject) => controller.signal.addEventListener('abort', () => reject(new Error('stopped'))));
  ended.catch(() => {});
  const onAbort = stop(SIGNAL);
  if (signal !== undefined) signal.addEventListener('abort', onAbort);
  const timer = setTimeout(stop(TIME_LIMIT), limit);
  const done = () => {
    clearTimeout(timer);
    if (signal !== undefined) signal.removeEventListener('abort', onAbort);
  };
  /** @type {any} */
  let sent;
  try {
    sent = fetch(url, init);
  } catch (cause) {
    done();
    throw cause;
  }
  // A listener of the caller's that stops the event's propagation keeps it from `onAbort`.
  if (fired(signal)) onAbort();
  /** @type {(promise: any) => Promise<any>} */
  const within = (promise) => Promise.race([promise, ended]);
  /** @returns {Promise<[number, boolean, string[], string, boolean]>} */
  const read = async () => {
    /** @type {any} */
    let response;
    try {
      response = await within(sent);
    } catch (cause) {
      throw [why === undefined ? NO_ANSWER : why, cause];
    }
    /** @type {any} */
    let status, redirected, text, cut;
    try {
      status = response.status;
      redirected = response.type === 'opaqueredirect';
    } catch (cause) {
      throw [why === undefined ? UNREADABLE : why, cause];
    }
    try {
      [text, cut] = await within(readText(response, max));
    } catch (cause) {
      throw [why === undefined ? BROKE_OFF : why, cause];
    }
    /** @type {string[]} */
    const found = [];
    try {
      if (!(status >= 200 && status < 300)) {
        for (const name of names.split('\n')) {
          const value = response.headers.get(name);
          if (typeof value === 'string') found.push(name, value);
        }
      }
    } catch (cause) {
      throw [why === undefined ? UNREADABLE : why, cause];
    }
    return [typeof status === 'number' ? status : NaN, redirected === true, found, typeof text === 'string' ? text : '', cut === true];
  };
  return read().finally(done);
}
/**
 * Whether the caller's `signal` has fired, read through the prototype's getter (an instance may
 * shadow `aborted`); one that cannot be read counts as fired, as in src/wasm/signal.rs.
 * @param {AbortSignal | undefined} signal
 */
function fired(signal) {
  if (signal === undefined) return false;
  try {
    return Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')?.get?.call(signal) !== false;
  } catch {
    return true;
  }
}
// The stage a rejection is tagged with: the numbers of `Stage` in fetch.rs.
const NO_ANSWER = 0, BROKE_OFF = 1, TIME_LIMIT = 2, SIGNAL = 3, UNREADABLE = 4;
/**
 * At most `max` bytes of the answer's body, and whether more was left unread.
 * @param {any} response
 * @param {number} max
 * @returns {Promise<[string, boolean]>}
 */
function readText(response, max) {
  const stream = response.body;
  if (!stream || typeof stream.getReader !== 'function') {
    return response.text().then((/** @type {string} */ text) => text.length > max ? [text.slice(0, max), true] : [text, false]);
  }
  const reader = stream.getReader(), decoder = new TextDecoder();
  /** @type {string[]} */
  const parts = [];
  let size = 0, pieces = 0;
  /** @returns {Promise<[string, boolean]>} */
  const next = () => reader.read().then((/** @type {{ done: boolean, value: any }} */ { done, value }) => {
    if (done) return [parts.join('') + decoder.decode(), false];
    // A reader that hands out empty pieces forever, each at once, would starve the timer.
    if (++pieces > max) throw new Error('the answer came in more pieces than it has bytes');
    size += value.byteLength;
    if (size <= max) {
      parts.push(decoder.decode(value, { stream: true }));
      return next();
    }
    parts.push(decoder.decode(value.subarray(0, value.byteLength - (size - max))));
    reader.cancel().catch(() => {});
    return [parts.join(''), true];
  });
  return next();
}
