/**
 * The `Client` every entry exports, around wasm-bindgen's class, which stays out of the caller's
 * reach. wasm-bindgen's class checks a freed object inside the wasm and throws from there; each
 * such throw left part of the instance's stack behind, and after 8,192 calls on a freed client
 * nothing worked any more. Here a freed or disposed client (`free()`, a `using` block) refuses in
 * JS, forever, with a QStashCancelError (a rejected promise for the async methods), and none of
 * it reaches the wasm.
 */
export function defineClient(Inner, QStashCancelError) {
  const inners = new WeakMap();
  const rule = 'is not usable: it was freed (free() was called, or a using block ended), or the method was called on something that is not a Client; create a new Client';
  const live = (client) => {
    const inner = inners.get(client);
    if (inner === undefined) throw new QStashCancelError(`client: ${rule}`, { code: 'INVALID_OPTIONS', field: 'client', rule });
    return inner;
  };
  const later = (call) => {
    try {
      return call();
    } catch (err) {
      return Promise.reject(err);
    }
  };

  class Client {
    constructor(options) {
      inners.set(this, new Inner(options));
    }

    static fromEnv(env) {
      const client = Object.create(Client.prototype);
      inners.set(client, Inner.fromEnv(env));
      return client;
    }

    cancelRuns(options) {
      return later(() => live(this).cancelRuns(options));
    }

    cancelRunsDetailed(options) {
      return later(() => live(this).cancelRunsDetailed(options));
    }

    previewRequest(options) {
      return live(this).previewRequest(options);
    }

    /** Releases the wasm memory now; every later call refuses. Calling it again does nothing. */
    free() {
      const inner = inners.get(this);
      inners.delete(this);
      inner?.free();
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
  return Client;
}
