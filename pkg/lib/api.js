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
 * - Every call (a cancel, a read, a wait, a listing) is planned by the core and carried out by
 *   the glue's executor (src/wasm/js/drive.js): the limits of a wait and a listing (`pollMs`,
 *   `maxPages`, `deadlineMs`) and their stops are the core's, as a cancel's are. `previewRequest`
 *   hands over its result as JSON text, parsed here.
 */
/** The API over a loaded glue, whose errors become `QStashCancelError`s. */
export function defineApi(glue, QStashCancelError) {
  glue.__setErrorClass(QStashCancelError);
  const refuse = (field, rule) => new QStashCancelError(`${field}: ${rule}`, { code: 'INVALID_OPTIONS', field, rule });
  const later = (call) => {
    try {
      return call();
    } catch (err) {
      return Promise.reject(err);
    }
  };

  /** A listing refused before it began: its first `next()` rejects, as the glue's do. */
  async function* refusedListing(err) {
    throw err;
  }

  /** Each live Client's wasm object, and how many calls borrow it right now. */
  const inners = new WeakMap();
  const rule = 'is not usable: it was freed (free() was called, or a using block ended), or the method was called on something that is not a Client; create a new Client';
  const entryOf = (client) => {
    const entry = inners.get(client);
    if (entry === undefined) throw refuse('client', rule);
    return entry;
  };
  /** `call(inner, entry)` with the client's wasm object, borrowed until it returns; a freed client refuses. */
  const use = (client, call) => {
    const entry = entryOf(client);
    entry.borrows += 1;
    try {
      return call(entry.inner, entry);
    } finally {
      entry.borrows -= 1;
      if (entry.freed && entry.borrows === 0) entry.inner.free();
    }
  };
  /**
   * `freeing`: the signal `free()` fires, made for the client's first wait: the executor ends a
   * wait at once when it fires, not at its next reading.
   */
  const adopt = (client, inner) => inners.set(client, { inner, borrows: 0, freed: false, freeing: undefined });

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
      return later(() => use(this, (inner) => inner.getBulkAction(options)));
    }

    listBulkActions(options) {
      return later(() => use(this, (inner) => inner.listBulkActions(options)));
    }

    waitForBulkAction(options) {
      // A client freed meanwhile ends the wait at once, with the last reading.
      return later(() => use(this, (inner, entry) => inner.waitForBulkAction(options, (entry.freeing ??= new AbortController()).signal)));
    }

    listAllBulkActions(options) {
      // A freed client refuses on the first step of the iteration, like the other methods.
      try {
        return use(this, (inner) => inner.listAllBulkActions(options ?? {}));
      } catch (err) {
        return refusedListing(err);
      }
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
      entry.freeing?.abort();
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
    getBulkAction: glue.getBulkAction,
    listBulkActions: glue.listBulkActions,
    waitForBulkAction: glue.waitForBulkAction,
    listAllBulkActions: (options) => glue.listAllBulkActions(options ?? {}),
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
