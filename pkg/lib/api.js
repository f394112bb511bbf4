/**
 * The package's exports, built from the wasm glue the same way by every entry. No imports: the
 * CommonJS build derives its copy from this file.
 *
 * - `Client` wraps wasm-bindgen's class, which stays out of the caller's reach. wasm-bindgen's
 *   class checks a freed object inside the wasm and throws from there; each such throw left part
 *   of the instance's stack behind, and after 8,192 calls on a freed client nothing worked any
 *   more. Here a freed or disposed client refuses in JS, forever, with a QStashCancelError (a
 *   rejected promise for the async methods), and none of it reaches the wasm. Every call looks
 *   the client up when it reaches the wasm (a wait, at every reading), and `free()` during a call
 *   that borrows the wasm object (from a getter of its options) marks the client freed at once
 *   and releases the object when that call returns: wasm-bindgen would throw from inside the
 *   wasm and never release it.
 * - `waitForBulkAction` and `listAllBulkActions` are loops over the core's two reads
 *   (`getBulkAction`, `listBulkActions`), which check every option, retry, honour rate limits and
 *   read the answers; the loops only wait, page and stop. The reads and `previewRequest` hand
 *   over their checked result as JSON text, parsed here (smaller in wasm than serialising
 *   structs into objects).
 */
/** `pollMs` of `waitForBulkAction`: the fewest, most and default milliseconds between readings. */
const POLL_MS = { min: 100, max: 600_000, fallback: 1_000 };
/** `maxPages` of `listAllBulkActions`: a bound, so a service that never stops giving cursors ends. */
const MAX_PAGES = { min: 1, max: 100_000, fallback: 1_000 };
/** The largest delay a JS timer accepts, for `deadlineMs`. */
const MAX_TIMER_MS = 2_147_483_647;

/** The API over a loaded glue, whose errors become `QStashCancelError`s. */
export function defineApi(glue, QStashCancelError) {
  glue.__setErrorClass(QStashCancelError);
  const parsed = (promise) => promise.then((text) => JSON.parse(text));
  const getBulkAction = (options) => parsed(glue.getBulkAction(options));
  const listBulkActions = (options) => parsed(glue.listBulkActions(options));
  const refuse = (field, rule) => new QStashCancelError(`${field}: ${rule}`, { code: 'INVALID_OPTIONS', field, rule });
  const later = (call) => {
    try {
      return call();
    } catch (err) {
      return Promise.reject(err);
    }
  };

  /** Reads a waiting or paging option object once, into plain values; a hostile one is a refusal. */
  const own = (options, names) => {
    if (options === null || typeof options !== 'object') throw refuse('options', 'must be an object');
    const picked = {};
    let rest;
    try {
      rest = { ...options };
    } catch {
      throw refuse('options', 'could not be read (a getter or proxy threw)');
    }
    for (const name of names) {
      picked[name] = rest[name];
      delete rest[name];
    }
    return [picked, rest];
  };
  const integer = (field, value, { min, max, fallback }) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw refuse(field, `must be a whole number from ${min} to ${max}`);
    }
    return value;
  };
  const now = () => (typeof performance === 'object' ? performance.now() : Date.now());
  const sleep = (ms, signal) => new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const stop = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal?.addEventListener('abort', stop, { once: true });
  });

  /**
   * Polls `read(options)` every `pollMs` until the action is FINISHED; `onProgress` sees each
   * reading. Stopping (abort, deadline, a client that is no longer `usable`, a reading that goes
   * back) stops the waiting only: the service goes on, and the error carries the last reading.
   */
  async function waitFor(read, options, usable = () => true) {
    const [{ onProgress, pollMs, deadlineMs }, rest] = own(options, ['onProgress', 'pollMs', 'deadlineMs']);
    if (onProgress !== undefined && typeof onProgress !== 'function') throw refuse('onProgress', 'must be a function');
    const every = integer('pollMs', pollMs, POLL_MS);
    const limit = integer('deadlineMs', deadlineMs, { min: 1, max: MAX_TIMER_MS, fallback: undefined });
    const started = now();
    const left = () => (limit === undefined ? undefined : Math.max(1, Math.floor(limit - (now() - started))));
    let last;
    const stopped = (code, why, details) => new QStashCancelError(
      `${why}; ${last ? `bulk action ${rest.actionId} goes on in the service (last seen: ${last.processed} of ${last.total} processed)` : `stopping the wait does not stop bulk action ${rest.actionId} in the service`}`,
      { code, ...details, ...(last ? { action: last } : {}) },
    );
    for (;;) {
      if (!usable()) throw stopped('INVALID_OPTIONS', `client: ${freedWhileWaiting}`, { field: 'client', rule: freedWhileWaiting });
      let reading;
      try {
        reading = await read({ ...rest, ...(limit === undefined ? {} : { deadlineMs: left() }) });
      } catch (err) {
        // Stopped during a reading: the wait ends as between readings, with the last one.
        if (err?.code !== 'ABORTED' && err?.code !== 'TIMEOUT') throw err;
        throw stopped(err.code, `stopped waiting during a reading: ${err.message}`);
      }
      // A cancel's progress only grows (its total may, as it finds more runs): a reading that
      // goes back is from a broken or replayed answer: the wait ends with the last good one.
      if (last && (reading.processed < last.processed || reading.total < last.total)) {
        throw stopped('INVALID_RESPONSE', `the service's reading went backwards (${reading.processed} of ${reading.total} processed after ${last.processed} of ${last.total}); stopped waiting`);
      }
      last = reading;
      // The cancel's own way to call onProgress (src/wasm/js/execute.js), exported by the glue.
      if (onProgress !== undefined) glue.notify(onProgress, { actionId: last.actionId, state: last.state, processed: last.processed, total: last.total });
      if (last.state === 'FINISHED') return last;
      if (limit !== undefined && now() - started + every >= limit) {
        throw stopped('TIMEOUT', `stopped waiting: deadlineMs (${limit} ms) would pass before the next reading`);
      }
      try {
        await sleep(every, rest.signal instanceof AbortSignal ? rest.signal : undefined);
      } catch {
        throw stopped('ABORTED', 'stopped waiting: the AbortSignal fired');
      }
    }
  }

  /** Every bulk action, page after page, until no cursor is left (at most `maxPages` pages). */
  async function* listAll(list, options) {
    const [{ maxPages, cursor: start }, rest] = own(options ?? {}, ['maxPages', 'cursor']);
    const pages = integer('maxPages', maxPages, MAX_PAGES);
    const seen = new Set();
    let cursor = start;
    for (let page = 1; ; page++) {
      const { bulkActions, cursor: next } = await list({ ...rest, ...(cursor === undefined ? {} : { cursor }) });
      yield* bulkActions;
      if (next === null || next === undefined) return;
      if (seen.has(next)) {
        throw new QStashCancelError(`the service gave cursor ${next} a second time; stopped paging`, { code: 'INVALID_RESPONSE' });
      }
      if (page >= pages) {
        throw new QStashCancelError(`stopped after maxPages (${pages}) pages while more remain; resume with cursor ${next}`, { code: 'UNFINISHED', cursor: next });
      }
      seen.add(next);
      cursor = next;
    }
  }

  /** Each live Client's wasm object, and how many calls borrow it right now. */
  const inners = new WeakMap();
  const rule = 'is not usable: it was freed (free() was called, or a using block ended), or the method was called on something that is not a Client; create a new Client';
  const freedWhileWaiting = 'was freed while waiting (free() was called, or a using block ended); stopped waiting';
  const entryOf = (client) => {
    const entry = inners.get(client);
    if (entry === undefined) throw refuse('client', rule);
    return entry;
  };
  /** `call(inner)` with the client's wasm object, borrowed until it returns; a freed client refuses. */
  const use = (client, call) => {
    const entry = entryOf(client);
    entry.borrows += 1;
    try {
      return call(entry.inner);
    } finally {
      entry.borrows -= 1;
      if (entry.freed && entry.borrows === 0) entry.inner.free();
    }
  };
  const adopt = (client, inner) => inners.set(client, { inner, borrows: 0, freed: false });

  class Client {
    constructor(options) {
      adopt(this, new glue.Client(options));
    }

    static fromEnv(env, options) {
      const client = Object.create(Client.prototype);
      adopt(client, glue.Client.fromEnv(env, options));
      return client;
    }

    /** Which account the calls hit, from the account the core checked (never the token). */
    target() {
      return JSON.parse(use(this, (inner) => inner.target()));
    }

    cancelRuns(options) {
      return later(() => use(this, (inner) => inner.cancelRuns(options)));
    }

    cancelRunsDetailed(options) {
      return later(() => use(this, (inner) => inner.cancelRunsDetailed(options)));
    }

    previewRequest(options) {
      return JSON.parse(use(this, (inner) => inner.previewRequest(options)));
    }

    getBulkAction(options) {
      return later(() => parsed(use(this, (inner) => inner.getBulkAction(options))));
    }

    listBulkActions(options) {
      return later(() => parsed(use(this, (inner) => inner.listBulkActions(options))));
    }

    waitForBulkAction(options) {
      // Looked up at every reading: a client freed meanwhile ends the wait, with the last reading.
      const read = (o) => parsed(use(this, (inner) => inner.getBulkAction(o)));
      return later(() => {
        entryOf(this);
        return waitFor(read, options, () => inners.has(this));
      });
    }

    listAllBulkActions(options) {
      // A freed client refuses on the first step of the iteration, like the other methods.
      return listAll((o) => parsed(use(this, (inner) => inner.listBulkActions(o))), options);
    }

    /**
     * Releases the wasm memory now (or, from inside one of this client's calls, when that call
     * returns); every later call refuses. Calling it again does nothing.
     */
    free() {
      const entry = inners.get(this);
      inners.delete(this);
      if (entry === undefined) return;
      entry.freed = true;
      if (entry.borrows === 0) entry.inner.free();
    }
  }
  if (typeof Symbol.dispose === 'symbol') {
    Object.defineProperty(Client.prototype, Symbol.dispose, {
      value: function dispose() {
        this.free();
      },
      writable: true,
      configurable: true,
    });
  }

  return {
    cancelRuns: glue.cancelRuns,
    cancelRunsDetailed: glue.cancelRunsDetailed,
    previewRequest: (options) => JSON.parse(glue.previewRequest(options)),
    getBulkAction,
    listBulkActions,
    waitForBulkAction: (options) => later(() => waitFor(getBulkAction, options)),
    listAllBulkActions: (options) => listAll(listBulkActions, options),
    // A promise, as when Web Crypto computed it; the core hashes it now (src/text/sha256.rs).
    tokenFingerprint: (token) => later(() => Promise.resolve(glue.tokenFingerprint(token))),
    Client,
    QStashCancelError,
  };
}

/** The bytes of the wasm from its base64 text (the inline module's). */
export function fromBase64(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
