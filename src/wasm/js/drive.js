// The executor: carries out a call the core's machine decides (src/wasm/call.rs) with the
// platform's own `fetch` and timers. It asks the call what to do, sends what it is handed, hands
// back each answer or failure and waits when told; the call decides everything else (retries and
// their waits, the deadline, the budget, when it is done). Loaded by wasm-bindgen, folded into the
// glue by scripts/inline-snippets.mjs, type-checked by `tsc --checkJs` in the test command.
/**
 * The call object the wasm hands over (src/wasm/call.rs).
 * @typedef {{
 *   poll(to: Sender): number,
 *   abort(): void,
 *   stopWaiting(field: string, rule: string): void,
 *   answer(slot: number, status: number, redirect: number, headers: string[], text: string, cut: boolean): string | undefined,
 *   fail(slot: number, reason: unknown): void,
 *   finish(): unknown,
 *   free(): void,
 * }} Call
 * @typedef {(slot: number, method: string, url: string, headers: string, body: string | undefined, max: number, limit: number, names: string, headerChars: number, messageChars: number) => void} Sender
 */
/**
 * How the wasm hands a request to the run that sends it (`call.poll(to)` calls this).
 * @param {Sender} to
 * @param {number} slot
 * @param {string} method
 * @param {string} url
 * @param {string} headers
 * @param {string | undefined} body
 * @param {number} max
 * @param {number} limit
 * @param {string} names
 * @param {number} headerChars the longest header value handed back (src/limits.rs)
 * @param {number} messageChars the longest failure message handed back (src/limits.rs)
 */
export function send(to, slot, method, url, headers, body, max, limit, names, headerChars, messageChars) {
  to(slot, method, url, headers, body, max, limit, names, headerChars, messageChars);
}
/** The monotonic clock (`Date` where there is none: a clock then that may go back). */
const monotonic = globalThis.performance ?? Date;
/** The last time given, and the monotonic clock's reading then. */
let given = 0, then = 0;
/**
 * The time the machines are given, in milliseconds (the wasm takes the whole part): the wall
 * clock, but never behind the last time given moved on by the monotonic clock. A wait's next
 * reading and a retry are planned at a time on it; on `Date.now` alone, a clock set back an hour
 * (an NTP step, a machine resumed) made a wait with `pollMs: 100` sleep that hour. (Not anchored
 * once at load: a Worker's clocks read 0 outside a request.)
 * @returns {number}
 */
export function now() {
  const reading = monotonic.now();
  given = Math.max(Date.now(), given + reading - then);
  then = reading;
  return given;
}
/**
 * Carries `call` out and resolves to its result (or rejects with its error). `onReport` gets
 * each report (a cancel's progress, a wait's reading) as it comes. `freed`, if given, fires
 * when the client the call belongs to is freed: its wait ends at once, and no further reading
 * goes out.
 * @param {Call} call
 * @param {AbortSignal | undefined} signal
 * @param {Function | undefined} onReport
 * @param {AbortSignal | undefined} freed
 * @returns {Promise<unknown>}
 */
export function drive(call, signal, onReport, freed) {
  return run(call, signal, false, onReport, freed, true);
}
/**
 * Carries out a listing, a page at a time: each `next()` of the iterator sends what it takes to
 * get the next page and yields its actions; nothing is asked for before the caller asks. The
 * listing's end (done, stopped at `maxPages`, a cursor given twice) comes after the last page's
 * actions.
 * @param {Call} call
 * @param {AbortSignal | undefined} signal
 * @returns {AsyncGenerator<unknown>}
 */
export function pages(call, signal) {
  return listing(call, signal);
}
/**
 * @param {Call} call
 * @param {AbortSignal | undefined} signal
 * @returns {AsyncGenerator<unknown>}
 */
async function* listing(call, signal) {
  let finished = false;
  try {
    for (;;) {
      const page = /** @type {string | undefined} */ (await run(call, signal, true));
      if (page === undefined) break;
      yield* /** @type {{ bulkActions: unknown[] }} */ (JSON.parse(page)).bulkActions;
    }
    finished = true;
    call.finish();
  } finally {
    if (!finished) call.free();
  }
}
/**
 * A listing refused before anything was sent: its first `next()` rejects with `err`, as the
 * pages' own errors do.
 * @param {unknown} err
 * @returns {AsyncGenerator<never>}
 */
export function refused(err) {
  return (async function* () {
    throw err;
  })();
}
/**
 * Runs `call` until it is done (resolving to `undefined`, or with `finishing` to the call's
 * result, `call.finish()`) or, with `untilReport`, until its first report (resolving to its
 * JSON text). A wasm method that throws (it should not) ends the run with that error; with
 * `finishing`, the call is then freed (a `finish()` that throws has consumed it already).
 * @param {Call} call
 * @param {AbortSignal | undefined} signal
 * @param {boolean} untilReport
 * @param {Function} [onReport]
 * @param {AbortSignal} [freed]
 * @param {boolean} [finishing]
 * @returns {Promise<unknown>}
 */
function run(call, signal, untilReport, onReport, freed, finishing) {
  return new Promise((resolve, reject) => {
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    let ended = false;
    /** @param {() => void} settle */
    const end = (settle) => {
      ended = true;
      clearTimeout(timer);
      if (signal !== undefined) unlisten.call(signal, 'abort', onAbort);
      if (freed !== undefined) unlisten.call(freed, 'abort', onAbort);
      settle();
    };
    /** @param {unknown} err */
    const failed = (err) => end(() => {
      if (finishing) call.free();
      reject(err);
    });
    /** @param {() => string | undefined} hand the answer or failure handed to the call */
    const settled = (hand) => {
      if (ended) return;
      let report;
      try {
        report = hand();
      } catch (err) {
        return failed(err);
      }
      if (report !== undefined) {
        if (untilReport) return end(() => resolve(report));
        if (onReport !== undefined) notify(onReport, JSON.parse(report));
      }
      advance();
    };
    /**
     * The request the call handed out in its last `poll`, sent once `poll` has returned: `fetch`
     * is the caller's code, which may fire the abort at once, and nothing may reach the call
     * while the wasm is inside it.
     * @type {Parameters<Sender> | undefined}
     */
    let handed;
    /** @type {Sender} */
    const sender = (...request) => {
      handed = request;
    };
    /** @param {Parameters<Sender>} request */
    const send = ([slot, method, url, headers, body, max, limit, names, headerChars, messageChars]) => {
      /** @type {Failed} */
      const fail = (stage, cause) => {
        const shown = readable(cause, messageChars);
        settled(() => {
          call.fail(slot, [stage, shown]);
          return undefined;
        });
      };
      /** @type {Answered} */
      const answered = (status, redirect, found, text, cut) => settled(() => call.answer(slot, status, redirect, found, text, cut));
      try {
        fetchText(method, url, headers, body, signal, max, limit, names, headerChars, answered, fail);
      } catch (cause) {
        // A `fetch` that threw: nothing was sent. Handed back later, as every outcome is, so
        // that nothing reaches the call from inside this loop.
        queueMicrotask(() => fail(NOT_SENT, cause));
      }
    };
    function advance() {
      if (ended) return;
      clearTimeout(timer);
      try {
        for (;;) {
          // Checked before anything more is sent: an abort here leaves nothing new in flight,
          // and a client freed since the last reading (from onProgress, or while the wait
          // slept) sends no further one.
          if (fired(signal)) call.abort();
          if (freed !== undefined && fired(freed)) call.stopWaiting('client', FREED_WHILE_WAITING);
          const step = call.poll(sender);
          if (step === -1) {
            // The call's result taken here, not on a further promise: one hop less a call.
            if (!finishing) return end(() => resolve(undefined));
            let result;
            try {
              result = call.finish();
            } catch (err) {
              return end(() => reject(err));
            }
            return end(() => resolve(result));
          }
          if (step === -2) {
            const request = handed;
            handed = undefined;
            if (request !== undefined) send(request);
            continue;
          }
          if (step !== Infinity) timer = setTimeout(advance, step);
          return;
        }
      } catch (err) {
        failed(err);
      }
    }
    // On the next microtask: the abort may fire inside code the wasm is running (a getter of a
    // failure's cause it reads), and nothing may reach the call until that has returned. A freed
    // client wakes its sleeping wait the same way, so the wait ends at once, not at its next
    // reading (which could be ten minutes off and keep a Node process alive).
    const onAbort = () => queueMicrotask(advance);
    if (signal !== undefined) listen.call(signal, 'abort', onAbort);
    if (freed !== undefined) listen.call(freed, 'abort', onAbort);
    advance();
  });
}
/** What a wait ends with when its client is freed during it (pkg/lib/api.js frees clients). */
const FREED_WHILE_WAITING = 'was freed while waiting (free() was called, or a using block ended); stopped waiting';
/**
 * What the wasm reads of a failure's `cause` (src/wasm/call.rs): its `message` and its own
 * cause's, read here, where their getters (the caller's code, a replaced `fetch`'s) cannot run
 * while the wasm is inside the call. A message longer than `most` characters is named by its
 * length, not shown (src/limits.rs, MAX_FAILURE_MESSAGE_CHARS, says why).
 * @param {unknown} cause
 * @param {number} most
 * @returns {{ message?: string, cause: { message?: string } }}
 */
function readable(cause, most) {
  /** @param {any} value */
  const shown = (value) => {
    let text;
    try {
      text = typeof value === 'string' ? value : value?.message;
    } catch {}
    if (typeof text !== 'string') return undefined;
    return text.length > most ? `(a message of ${text.length} characters)` : text;
  };
  let inner;
  try {
    inner = /** @type {any} */ (cause)?.cause;
  } catch {}
  return { message: shown(cause), cause: { message: shown(inner) } };
}
/**
 * Calls `onProgress`; what it throws or rejects with is ignored: the call goes on, and an async
 * callback's failure is no unhandled rejection.
 * @param {Function} callback
 * @param {unknown} progress
 */
function notify(callback, progress) {
  try {
    const result = callback(progress);
    if (result && typeof result.then === 'function') result.then(undefined, () => {});
  } catch {}
}
/**
 * What an attempt that got its answer hands back: the status, whether it came of a redirect
 * (`HIDDEN`, `FOLLOWED` or 0), the failure headers asked for (names and values), at most `max`
 * bytes of the body as text, and whether more was left unread.
 * @typedef {(status: number, redirect: number, found: string[], text: string, cut: boolean) => void} Answered
 */
/**
 * What an attempt that ended without one hands back: where it ended (the numbers in
 * src/wasm/call.rs) and why.
 * @typedef {(stage: number, cause: unknown) => void} Failed
 */
/**
 * Sends `fetch` and reads its answer; `answered` or `failed` is called once, always on a later
 * microtask (never from inside this function, which runs inside the executor's loop). The
 * attempt's time limit (`limit` ms) and the caller's `signal` end it through one
 * `AbortController`, so the fetch and the reading of the body stop at once; at most `max` bytes
 * of the answer are read. Redirects are not followed (`redirect: 'manual'`): the token must only
 * ever reach the configured base URL. Everything `fetch` resolved to is untrusted (a replaced
 * `fetch` may give anything), so it is typed `any` and every read of it is guarded. A `fetch`
 * that throws is thrown on (nothing was sent).
 * @param {string} method
 * @param {string} url
 * @param {string} headers names and values, each followed by a newline
 * @param {string | undefined} body
 * @param {AbortSignal | undefined} signal
 * @param {number} max the most bytes of the answer read
 * @param {number} limit the attempt's time limit, ms
 * @param {string} names the headers of a failure's answer to return, newline-separated
 * @param {number} headerChars the longest value of those returned; a longer one is left out
 * @param {Answered} answered
 * @param {Failed} failed
 */
function fetchText(method, url, headers, body, signal, max, limit, names, headerChars, answered, failed) {
  /** @type {Record<string, string>} */
  const named = {};
  const lines = headers.split('\n');
  for (let i = 1; i < lines.length; i += 2) named[lines[i - 1]] = lines[i];
  const controller = new AbortController();
  /** @type {RequestInit} */
  const init = { method, headers: named, redirect: 'manual', signal: controller.signal };
  if (body !== undefined) init.body = body;
  /** What stopped the attempt (the time limit, the caller's signal), once something has. */
  /** @type {number | undefined} */
  let why;
  let over = false;
  /** Ends the attempt (its timer and the caller's listener go); false if it had ended. */
  const end = () => {
    if (over) return false;
    over = true;
    clearTimeout(timer);
    if (signal !== undefined) unlisten.call(signal, 'abort', onAbort);
    return true;
  };
  // A stop ends the attempt on the next microtask, whatever the fetch does: a replaced fetch may
  // ignore the abort, so nothing waits for it. What comes in after a stop is dropped.
  /** @param {number} stage */
  const stop = (stage) => () => {
    if (over || why !== undefined) return;
    why = stage;
    controller.abort();
    queueMicrotask(() => end() && failed(stage, new Error('stopped')));
  };
  /** @param {number} stage @returns {(cause: unknown) => void} */
  const failAt = (stage) => (cause) => {
    if (why === undefined && end()) failed(stage, cause);
  };
  const onAbort = stop(SIGNAL);
  if (signal !== undefined) listen.call(signal, 'abort', onAbort);
  const timer = setTimeout(stop(TIME_LIMIT), limit);
  /** @type {any} */
  let sent;
  try {
    sent = fetch(url, init);
  } catch (cause) {
    end();
    throw cause;
  }
  // A listener of the caller's that stops the event's propagation keeps it from `onAbort`.
  if (fired(signal)) onAbort();
  later(sent, (/** @type {any} */ response) => {
    if (why !== undefined) return;
    /** @type {any} */
    let status, redirect;
    try {
      status = response.status;
      redirect = response.type === 'opaqueredirect' ? HIDDEN : response.redirected === true ? FOLLOWED : 0;
    } catch (cause) {
      return failAt(UNREADABLE)(cause);
    }
    /** @type {any} */
    let reading;
    try {
      reading = readText(response, max);
    } catch (cause) {
      return failAt(BROKE_OFF)(cause);
    }
    later(reading, (/** @type {any} */ read) => {
      if (why !== undefined) return;
      /** @type {any} */
      let text, cut;
      /** @type {string[]} */
      const found = [];
      try {
        [text, cut] = read;
      } catch (cause) {
        return failAt(BROKE_OFF)(cause);
      }
      try {
        if (!(status >= 200 && status < 300)) {
          for (const name of names.split('\n')) {
            const value = response.headers.get(name);
            if (typeof value === 'string' && value.length <= headerChars) found.push(name, value);
          }
        }
      } catch (cause) {
        return failAt(UNREADABLE)(cause);
      }
      if (end()) answered(typeof status === 'number' ? status : NaN, redirect, found, typeof text === 'string' ? text : '', cut === true);
    }, failAt(BROKE_OFF));
  }, failAt(NO_ANSWER));
}
/**
 * Calls `onValue` with what `value` settles to, or `onError` with why it failed, on a later
 * microtask, through the engine's own `then`: a thenable a replaced `fetch` gives (or its
 * stream's reader) may call back at once, more than once, or throw, and none of that reaches
 * the caller here. (One promise, where a race against the stop was three.)
 * @param {unknown} value
 * @param {(value: any) => void} onValue
 * @param {(cause: unknown) => void} onError
 */
function later(value, onValue, onError) {
  try {
    engineThen(value, onValue, onError);
  } catch (cause) {
    promiseThen.call(promiseReject.call(EnginePromise, cause), undefined, onError);
  }
}
/**
 * The engine's own promises and their `then`, `resolve` and `reject`, taken when the glue loads:
 * a global `Promise` replaced later (`global.Promise = Bluebird` after the imports) makes
 * promises the engine's `then` refuses, which threw from here once `fetch` had been called,
 * and the request sent was reported as never sent (and sent again).
 */
const EnginePromise = Promise, promiseThen = Promise.prototype.then, promiseResolve = Promise.resolve, promiseReject = Promise.reject;
/**
 * What `value` settles to, passed through `onValue` (or why it failed, through `onError`), as an
 * engine promise: whatever `value` is, the callbacks run in a promise job of the engine's, where
 * a throw rejects the promise returned. (Throws only when reading `value` as a promise does: a
 * promise whose `constructor` getter throws.)
 * @param {unknown} value
 * @param {(value: any) => unknown} onValue
 * @param {(cause: unknown) => unknown} [onError]
 * @returns {Promise<any>}
 */
function engineThen(value, onValue, onError) {
  return promiseThen.call(promiseResolve.call(EnginePromise, value), onValue, onError);
}
/**
 * How the caller's `signal` is listened to: the prototype's own methods, taken when the glue
 * loads. The signal is a real AbortSignal (src/wasm/signal.rs checks), but its own properties
 * are the caller's: an `addEventListener` of its own that throws surfaced as a raw Error, a
 * `removeEventListener` that throws left the call pending forever, and one that does nothing
 * kept the abort from being heard.
 */
const { addEventListener: listen, removeEventListener: unlisten } = EventTarget.prototype;
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
/**
 * The UTF-8 text of `parts` (`size` bytes in all), decoded once by one decoder shared by every
 * call: a decoder made for each answer was a tenth of a stubbed call (Node 20).
 * @param {Uint8Array[]} parts
 * @param {number} size
 */
function decodeAll(parts, size) {
  if (parts.length === 1) return decoder.decode(parts[0]);
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return decoder.decode(bytes);
}
const decoder = new TextDecoder();
// The stage a rejection is tagged with: the numbers in src/wasm/call.rs.
const NO_ANSWER = 0, BROKE_OFF = 1, TIME_LIMIT = 2, SIGNAL = 3, UNREADABLE = 4, NOT_SENT = 5;
// How an answer came of a redirect (else 0), the numbers in src/wasm/call.rs: one the platform
// hides (a browser's `opaqueredirect`), or one a replaced `fetch` followed despite `redirect:
// 'manual'` (`response.redirected`), whose answer is another URL's.
const HIDDEN = 1, FOLLOWED = 2;
/**
 * At most `max` bytes of the answer's body, and whether more was left unread. What `text()` and
 * the reader's `read()` give is taken through the engine's own `then` (`engineThen`), as the answer
 * is: a thenable of a replaced `fetch` calls back whenever it likes (from a timer of its own,
 * say), and a throw from our callback there (a text that is not one, a piece of null) reached
 * the process as an uncaught exception.
 * @param {any} response
 * @param {number} max
 * @returns {Promise<[string, boolean]>}
 */
function readText(response, max) {
  const stream = response.body;
  if (!stream || typeof stream.getReader !== 'function') {
    return engineThen(response.text(), (/** @type {string} */ text) => text.length > max ? [text.slice(0, max), true] : [text, false]);
  }
  const reader = stream.getReader();
  /** @type {Uint8Array[]} */
  const parts = [];
  let size = 0, pieces = 0;
  /** @returns {Promise<[string, boolean]>} */
  const next = () => engineThen(reader.read(), (/** @type {{ done: boolean, value: any }} */ { done, value }) => {
    if (done) return [decodeAll(parts, size), false];
    // A reader that hands out empty pieces forever, each at once, would starve the timer.
    if (++pieces > max) throw new Error('the answer came in more pieces than it has bytes');
    size += value.byteLength;
    if (size <= max) {
      parts.push(value);
      return next();
    }
    parts.push(value.subarray(0, value.byteLength - (size - max)));
    reader.cancel().catch(() => {});
    return [decodeAll(parts, max), true];
  });
  return next();
}
