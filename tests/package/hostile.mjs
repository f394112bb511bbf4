// The adversarial fuzzer: seeded, generated hostile values through every export of the package.
// For every call it asserts what the library promises a hostile caller: the call returns or
// throws synchronously, or its promise settles, within a time bound, and every failure is a
// QStashCancelError with a code (never a raw TypeError, never a wasm trap). Plain ESM with no
// runtime-specific imports: Node, the browser page and the workerd Worker load this very file;
// unhandled rejections and uncaught exceptions are watched by each host.

/** Where fuzzed calls that get through the checks are sent: a closed loopback port, so nothing is cancelled anywhere. */
const DEAD = 'http://127.0.0.1:9';
const TOKEN = 'fuzz-token-0123456789';

/** A small seeded generator (the same inputs on every run and in every runtime). */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

const revoked = (target) => {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
};
const thrower = () => {
  throw new Error('hostile');
};
const trapsThatThrow = { get: thrower, has: thrower, ownKeys: thrower, getPrototypeOf: thrower, getOwnPropertyDescriptor: thrower };
const sparse = (length, first) => {
  const a = first === undefined ? [] : [first];
  a.length = length;
  return a;
};

/** Factories of hostile values: each call makes a fresh one (some are stateful or single-use). */
const LEAVES = [
  () => new Proxy({}, trapsThatThrow),
  () => new Proxy([], trapsThatThrow),
  () => revoked({}),
  () => revoked([]),
  () => revoked(() => 1),
  () => sparse(1e8),
  () => sparse(1e6, 'wfr_1'),
  () => sparse(2 ** 32 - 1),
  () => Object.defineProperty(['a', 'b'], 1, { get: thrower, enumerable: true }),
  () => Object.defineProperty(['wfr_1'], 0, { enumerable: true, get: (() => { let n = 0; return () => (n++ ? 42 : 'wfr_1'); })() }),
  () => new Proxy(['a'], { get: (t, k) => (k === 'length' ? -1 : t[k]) }),
  () => new Proxy(['a'], { get: (t, k) => (k === 'length' ? 1.5 : t[k]) }),
  () => new Proxy(['a'], { get: (t, k) => (k === 'length' ? 2 ** 53 : t[k]) }),
  () => new Proxy(['a'], { get: (t, k) => (k === 'length' ? '1' : t[k]) }),
  () => Object.create(Date.prototype),
  () => new (class extends Date { getTime() { thrower(); } })(1_700_000_000_000),
  () => new Proxy(new Date(1_700_000_000_000), trapsThatThrow),
  () => new Date(1_700_000_000),
  () => new Date(NaN),
  () => Object.create(AbortSignal.prototype),
  () => new Proxy(AbortSignal.abort(), trapsThatThrow),
  () => AbortSignal.abort(),
  () => Object.defineProperty(new AbortController().signal, 'aborted', { get: thrower }),
  () => Object.create(Array.prototype),
  () => Object.create(null),
  () => ({ toString: thrower, valueOf: thrower, [Symbol.toPrimitive]: thrower }),
  () => {
    const cycle = { retries: 1 };
    cycle.self = cycle;
    return cycle;
  },
  () => {
    const cycle = ['a'];
    cycle.push(cycle);
    return cycle;
  },
  () => Symbol('hostile'),
  () => 10n ** 30n,
  () => thrower,
  () => async () => thrower(),
  () => new Proxy(() => 1, { apply: thrower }),
  () => 'x'.repeat(1_000_000),
  () => '\uD800',
  () => ['ok', 'b\uDFFFc'],
  () => 'https://app.test/\u0000',
  () => 1e400,
  () => -0,
  () => new Map([['label', 'x']]),
  () => new (class Options { constructor() { this.label = 'x'; } })(),
  () => new String('label'),
  () => [new Proxy({}, trapsThatThrow)],
  () => [revoked({})],
  () => Array.from({ length: 70 }, (_, i) => `id_${i}`),
];

const KEYS = ['workflowRunIds', 'workflowUrl', 'workflowUrlExactMatch', 'label', 'fromDate', 'toDate', 'callerIp',
  'flowControlKey', 'all', 'count', 'encoding', 'retry', 'timeoutMs', 'deadlineMs', 'signal', 'concurrency',
  'untilDone', 'maxPasses', 'maxRequests', 'onProgress', 'token', 'baseUrl', 'lable', 'async', 'actionId', 'state', 'cursor', 'pollMs', 'maxPages'];

/** Whole option objects that are hostile as objects. */
const WHOLE = [
  () => revoked({}),
  () => new Proxy({ token: TOKEN, all: true }, trapsThatThrow),
  () => new Proxy({ token: TOKEN, all: true }, { ownKeys: () => Array.from({ length: 100_000 }, (_, i) => `k${i}`), getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true }) }),
  () => ({ token: TOKEN, baseUrl: DEAD, ['k'.repeat(10_000_000)]: 1 }),
  () => ({ token: TOKEN, baseUrl: DEAD, get label() { thrower(); } }),
  () => Object.assign(Object.create({ inherited: true }), { token: TOKEN, all: true }),
];

/** `count` hostile inputs from `seed`: each a factory of a fresh option value and a label. */
export function hostileInputs(seed, count) {
  const rnd = random(seed);
  const pick = (list) => Math.floor(rnd() * list.length);
  const inputs = [];
  for (let n = 0; n < count; n++) {
    if (rnd() < 0.08) {
      const w = pick(WHOLE);
      inputs.push({ label: `whole#${w}`, make: WHOLE[w] });
      continue;
    }
    const picks = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => [KEYS[pick(KEYS)], pick(LEAVES)]);
    const target = rnd() < 0.5 ? { label: 'fuzz' } : {};
    inputs.push({
      label: picks.map(([key, leaf]) => `${key}=#${leaf}`).join(' '),
      make: () => {
        // `deadlineMs` bounds the call when a pick turns retrying back on (`retry: Object.create(null)`
        // is the default policy: up to 7.75 s of backoff against the refused port, past `limitMs`).
        const options = { token: TOKEN, baseUrl: DEAD, retry: false, timeoutMs: 1_000, deadlineMs: 2_000, ...target };
        for (const [key, leaf] of picks) options[key] = LEAVES[leaf]();
        return options;
      },
    });
  }
  return inputs;
}

/** Every export of the package, as calls on one options value. */
function exportsOf(api) {
  const client = new api.Client({ token: TOKEN, baseUrl: DEAD });
  return {
    cancelRuns: (o) => api.cancelRuns(o),
    cancelRunsDetailed: (o) => api.cancelRunsDetailed(o),
    previewRequest: (o) => api.previewRequest(o),
    'new Client': (o) => new api.Client(o),
    'Client.fromEnv': (o) => api.Client.fromEnv(o),
    'client.cancelRuns': (o) => client.cancelRuns(o),
    'client.cancelRunsDetailed': (o) => client.cancelRunsDetailed(o),
    'client.previewRequest': (o) => client.previewRequest(o),
    getBulkAction: (o) => api.getBulkAction(o),
    listBulkActions: (o) => api.listBulkActions(o),
    waitForBulkAction: (o) => api.waitForBulkAction(o),
    'client.listBulkActions': (o) => client.listBulkActions(o),
    // An iterator: its first step is the call.
    listAllBulkActions: (o) => api.listAllBulkActions(o).next(),
    tokenFingerprint: (o) => api.tokenFingerprint(o),
  };
}

/**
 * Runs `count` hostile inputs from `seed` through every export. Resolves to the figures and the
 * calls that broke a promise: `{ inputs, calls, refused, ms, slowestMs, broken: [...] }`.
 */
export async function fuzz(api, { seed = 20261125, count = 500, limitMs = 5_000 } = {}) {
  const started = Date.now();
  const calls = exportsOf(api);
  const stats = { inputs: count, calls: 0, refused: 0, slowestMs: 0, broken: [] };
  for (const input of hostileInputs(seed, count)) {
    for (const [name, call] of Object.entries(calls)) {
      const callStarted = Date.now();
      let outcome;
      try {
        const value = call(input.make());
        outcome = value instanceof Promise ? await settleWithin(value, limitMs) : { value };
      } catch (error) {
        outcome = { error };
      }
      const ms = Date.now() - callStarted;
      stats.calls += 1;
      stats.slowestMs = Math.max(stats.slowestMs, ms);
      const { error } = outcome;
      if (outcome.timedOut) stats.broken.push(`${name} ${input.label}: did not settle within ${limitMs} ms`);
      else if (error !== undefined) {
        const typed = error instanceof api.QStashCancelError && error.name === 'QStashCancelError' && typeof error.code === 'string';
        if (!typed) stats.broken.push(`${name} ${input.label}: threw ${String(error?.name)}: ${String(error?.message).slice(0, 200)}`);
        else if (error.code === 'INVALID_OPTIONS') stats.refused += 1;
      }
    }
  }
  stats.ms = Date.now() - started;
  return stats;
}

function settleWithin(promise, ms) {
  let timer;
  const late = new Promise((resolve) => (timer = setTimeout(() => resolve({ timedOut: true }), ms)));
  const settled = promise.then((value) => ({ value }), (error) => ({ error }));
  return Promise.race([settled, late]).finally(() => clearTimeout(timer));
}

/** `[name, replacement fetch]`: what a polyfill, a test double or a hostile host may give. */
const HOSTILE_FETCHES = [
  ['throws at once', () => thrower()],
  ['returns null', () => null],
  ['returns a number', () => 42],
  ['a thenable whose then throws', () => ({ then: thrower })],
  ['never settles', () => new Promise(() => {})],
  ['a Proxy whose traps throw', () => Promise.resolve(new Proxy({}, trapsThatThrow))],
  ['a revoked Proxy', () => Promise.resolve(revoked({}))],
  ['status getter throws', () => Promise.resolve({ get status() { return thrower(); } })],
  ['ok getter throws', () => Promise.resolve({ status: 503, get ok() { return thrower(); }, headers: new Headers(), text: async () => 'busy' })],
  ['type getter throws', () => Promise.resolve({ status: 200, get type() { return thrower(); }, text: async () => '{"cancelled":1}' })],
  ['redirected getter throws', () => Promise.resolve({ status: 200, get redirected() { return thrower(); }, text: async () => '{"cancelled":1}' })],
  ['redirected says true once, then false (a count from another URL)', () => {
    let reads = 0;
    return Promise.resolve({ status: 200, get redirected() { return ++reads === 1; }, text: async () => '{"cancelled":1}' });
  }],
  ['headers getter throws on a 401', () => Promise.resolve({ status: 401, get headers() { return thrower(); }, text: async () => '' })],
  ['headers.get throws on a 429', () => Promise.resolve({ status: 429, headers: { get: thrower }, text: async () => '' })],
  ['headers.get lies with objects', () => Promise.resolve({ status: 429, headers: { get: () => ({ toString: thrower }) }, text: async () => '' })],
  ['status is a string', () => Promise.resolve({ status: '200', text: async () => '{"cancelled":1}' })],
  ['status is 0', () => Promise.resolve({ status: 0, text: async () => '' })],
  ['status is 99999', () => Promise.resolve({ status: 99999, text: async () => '' })],
  ['body getter throws', () => Promise.resolve({ status: 200, get body() { return thrower(); } })],
  ['text throws', () => Promise.resolve({ status: 200, text: thrower })],
  ['text never settles', () => Promise.resolve({ status: 200, text: () => new Promise(() => {}) })],
  ['text is a number', () => Promise.resolve({ status: 200, text: async () => 7 })],
  ['text is 10 MB', () => Promise.resolve({ status: 500, headers: new Headers(), text: async () => 'x'.repeat(10_000_000) })],
  ['a reader whose read throws', () => Promise.resolve({ status: 200, body: { getReader: () => ({ read: thrower, cancel: async () => {} }) } })],
  ['a reader that yields strings', () => Promise.resolve({ status: 200, body: { getReader: () => ({ read: async () => ({ done: false, value: 'x' }), cancel: async () => {} }) } })],
  ['a reader that yields empty pieces forever', () => Promise.resolve({ status: 200, body: { getReader: () => ({ read: async () => ({ done: false, value: new Uint8Array(0) }), cancel: async () => {} }) } })],
  ['rejects with a 1,000,000-character message and cause', () => Promise.reject(new Error('x'.repeat(1e6), { cause: new Error('y'.repeat(1e6)) }))],
  ['rejects with a cause whose getters call back into the library', () => Promise.reject(Object.defineProperties(new Error('outer'), {
    message: { get: () => String(globalThis.__qstashCancelApi?.previewRequest({ token: TOKEN, baseUrl: DEAD, all: true }).requests) },
    cause: { get: () => ({ get message() { return String(new globalThis.__qstashCancelApi.Client({ token: TOKEN, baseUrl: DEAD }).free()); } }) },
  }))],
  ['a reader whose pieces lie about their size', () => Promise.resolve({ status: 200, body: { getReader: () => ({ read: async () => ({ done: false, value: { get byteLength() { return thrower(); } } }), cancel: async () => {} }) } })],
];

/**
 * Every call a caller makes, through a replaced `fetch` of each hostile kind, `rounds` times:
 * each must settle within `limitMs` as a QStashCancelError, and the instance keep working.
 * Resolves to `{ calls, ms, slowestMs, broken: [...] }`; `fetch` is restored whatever happens.
 */
export async function fuzzFetch(api, { rounds = 2, limitMs = 5_000 } = {}) {
  const started = Date.now();
  const stats = { calls: 0, slowestMs: 0, broken: [] };
  const base = { token: TOKEN, baseUrl: DEAD, retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 }, timeoutMs: 100 };
  const client = new api.Client({ token: TOKEN, baseUrl: DEAD });
  const calls = {
    'cancelRuns all': () => api.cancelRuns({ ...base, all: true }),
    'cancelRunsDetailed ids': () => api.cancelRunsDetailed({ ...base, workflowRunIds: ['a', 'b'] }),
    'client.cancelRuns count': () => client.cancelRuns({ label: 'x', count: 5, retry: false, timeoutMs: 100 }),
  };
  const original = globalThis.fetch;
  // For the fetch whose error's getters call back into the library.
  globalThis.__qstashCancelApi = api;
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [kind, replacement] of HOSTILE_FETCHES) {
        globalThis.fetch = replacement;
        for (const [name, call] of Object.entries(calls)) {
          const callStarted = Date.now();
          let outcome;
          try {
            outcome = await settleWithin(call(), limitMs);
          } catch (error) {
            outcome = { error, sync: true };
          }
          stats.calls += 1;
          stats.slowestMs = Math.max(stats.slowestMs, Date.now() - callStarted);
          const { error } = outcome;
          if (outcome.timedOut) stats.broken.push(`${name} / ${kind}: did not settle within ${limitMs} ms`);
          else if (outcome.sync) stats.broken.push(`${name} / ${kind}: threw synchronously`);
          else if (error === undefined) stats.broken.push(`${name} / ${kind}: resolved to ${JSON.stringify(outcome.value)}`);
          else if (!(error instanceof api.QStashCancelError && typeof error.code === 'string')) {
            stats.broken.push(`${name} / ${kind}: rejected with ${String(error?.name)}: ${String(error?.message).slice(0, 200)}`);
          } else if (error.message.length > 4_000) {
            stats.broken.push(`${name} / ${kind}: a message of ${error.message.length} characters`);
          }
        }
      }
    }
  } finally {
    globalThis.fetch = original;
    delete globalThis.__qstashCancelApi;
    client.free();
  }
  stats.ms = Date.now() - started;
  return stats;
}

/**
 * A freed, and a disposed, Client called `calls` times in all (more than the 8,192 that once
 * left the instance unusable): every call must refuse with a QStashCancelError, the async ones
 * as a rejected promise, and a new Client must work afterwards. Resolves to `{ calls, ms, broken }`.
 */
export async function fuzzFreed(api, { calls = 10_000 } = {}) {
  const started = Date.now();
  const broken = [];
  const freed = new api.Client({ token: TOKEN, baseUrl: DEAD });
  freed.free();
  freed.free();
  const disposed = api.Client.fromEnv({ QSTASH_TOKEN: TOKEN, QSTASH_URL: DEAD });
  if (typeof Symbol.dispose === 'symbol') disposed[Symbol.dispose]();
  else disposed.free();
  const methods = [
    ['previewRequest', false, (c) => c.previewRequest({ all: true })],
    ['cancelRuns', true, (c) => c.cancelRuns({ all: true })],
    ['cancelRunsDetailed', true, (c) => c.cancelRunsDetailed({ label: 'x' })],
    ['previewRequest on a stranger', false, () => api.Client.prototype.previewRequest.call({ __wbg_ptr: 0 }, { all: true })],
    ['cancelRuns on a stranger', true, () => api.Client.prototype.cancelRuns.call(undefined, { all: true })],
    ['listAllBulkActions', true, (c) => c.listAllBulkActions({}).next()],
  ];
  const typed = (error) => error instanceof api.QStashCancelError && error.code === 'INVALID_OPTIONS' && error.field === 'client';
  const pending = [];
  for (let n = 0; n < calls; n++) {
    const client = n % 2 ? freed : disposed;
    const [name, async, call] = methods[n % methods.length];
    try {
      const value = call(client);
      if (!async) broken.push(`${name}: returned instead of refusing`);
      else if (!(value instanceof Promise)) broken.push(`${name}: returned no promise`);
      else pending.push(value.then(() => broken.push(`${name}: resolved`), (error) => typed(error) || broken.push(`${name}: rejected with ${error?.message}`)));
    } catch (error) {
      if (async) broken.push(`${name}: threw synchronously (${error?.message})`);
      else if (!typed(error)) broken.push(`${name}: threw ${String(error?.name)}: ${error?.message}`);
    }
    if (pending.length >= 500) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  const fresh = new api.Client({ token: TOKEN, baseUrl: DEAD });
  if (fresh.previewRequest({ all: true }).requests !== 1) broken.push('a new Client does not work afterwards');
  fresh.free();
  return { calls, ms: Date.now() - started, broken: broken.slice(0, 20) };
}

/**
 * `waits` waits on clients freed while they wait, in each way a program frees one (free() after
 * the start, the end of a using block, from onProgress, from a getter read inside the client's
 * own call), `batch` at a time, every reading answered at once by a replaced `fetch`. Each wait
 * must end as a QStashCancelError naming `client`, with the last reading, and the instance keep
 * working: wasm-bindgen's own refusals, thrown from inside the wasm, left part of its stack behind
 * each time, and after about 13,100 `new Client` and `cancelRuns` trapped. Resolves to
 * `{ calls, ms, broken }`; `fetch` is restored whatever happens.
 */
export async function fuzzFreedWaits(api, { waits = 14_000, batch = 1_000 } = {}) {
  const started = Date.now();
  const broken = [];
  const reading = JSON.stringify({ actionId: 'ba_fuzz', kind: 'cancel', state: 'IN_PROGRESS', total: 10, processed: 3, createdAt: 1 });
  const dispose = (client) => (typeof Symbol.dispose === 'symbol' ? client[Symbol.dispose]() : client.free());
  const ways = [
    ['free() after the start', (client, wait) => {
      const waiting = wait({});
      client.free();
      return waiting;
    }],
    ['the end of a using block', (client, wait) => {
      const waiting = wait({});
      dispose(client);
      return waiting;
    }],
    ['free() from onProgress', (client, wait) => wait({ onProgress: () => client.free() })],
    ['free() from a getter', (client, wait) => wait({ retry: { retries: 0, get baseDelayMs() { client.free(); return 1; } } })],
  ];
  // Each with the reading taken, but the one freed before its first reading (by the getter).
  const ended = (error, way) => error instanceof api.QStashCancelError && error.code === 'INVALID_OPTIONS' && error.field === 'client'
    && (way === 'free() from a getter' ? error.action === undefined && /does not stop bulk action/.test(error.message)
      : error.action?.processed === 3 && /goes on in the service/.test(error.message));
  const original = globalThis.fetch;
  globalThis.fetch = async () => new Response(reading, { status: 200, headers: { 'content-type': 'application/json' } });
  try {
    for (let done = 0; done < waits; done += batch) {
      await Promise.all(Array.from({ length: Math.min(batch, waits - done) }, (_, i) => {
        const [way, free] = ways[(done + i) % ways.length];
        try {
          const client = new api.Client({ token: TOKEN, baseUrl: DEAD });
          return free(client, (options) => client.waitForBulkAction({ actionId: 'ba_fuzz', pollMs: 100, ...options })).then(
            () => broken.push(`${way}: resolved`),
            (error) => ended(error, way) || broken.push(`${way}: rejected with ${String(error?.name)}: ${String(error?.message).slice(0, 200)}`),
          );
        } catch (error) {
          return broken.push(`${way}: threw ${String(error?.name)}: ${String(error?.message).slice(0, 200)}`);
        }
      }));
      if (broken.length > 20) break;
    }
  } finally {
    globalThis.fetch = original;
  }
  try {
    const fresh = new api.Client({ token: TOKEN, baseUrl: DEAD });
    if (fresh.previewRequest({ all: true }).requests !== 1) broken.push('a new Client does not work afterwards');
    const refused = await fresh.cancelRuns({ all: true, retry: false, timeoutMs: 1_000 }).then(() => 'resolved', (error) => error.code);
    if (refused !== 'NETWORK_ERROR') broken.push(`a cancel afterwards ended ${refused}`);
    fresh.free();
  } catch (error) {
    broken.push(`afterwards: threw ${String(error?.name)}: ${String(error?.message).slice(0, 200)}`);
  }
  return { calls: waits, ms: Date.now() - started, broken: broken.slice(0, 20) };
}

/**
 * `[name, make(controller)]`: replaced fetches that fire the caller's AbortSignal while they are
 * being called (a polyfill that aborts a shared controller) or that settle only on the abort event
 * of the signal they were given, as a hand-written fetch may: a library that subscribes to the
 * abort after calling such a fetch waits forever.
 */
const ABORTING_FETCHES = [
  ['aborts, settles on the abort event', (controller) => (_url, init) => {
    controller.abort();
    return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(new Error('aborted'))));
  }],
  ['aborts, never settles', (controller) => () => {
    controller.abort();
    return new Promise(() => {});
  }],
  ['aborts, then answers 200 anyway', (controller) => () => {
    controller.abort();
    return Promise.resolve(new Response('{"cancelled":1}', { status: 200 }));
  }],
  ['aborts, then throws', (controller) => () => {
    controller.abort();
    thrower();
  }],
  ['aborts in a microtask, never settles', (controller) => () => {
    queueMicrotask(() => controller.abort());
    return new Promise(() => {});
  }],
  ['settles only on the abort event, which comes 50 ms later', (controller) => (_url, init) => {
    setTimeout(() => controller.abort(), 50);
    return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(new Error('aborted'))));
  }],
];

/**
 * Every kind of call through each fetch of ABORTING_FETCHES, `rounds` times, with and without
 * `timeoutMs` and `deadlineMs`: each must end ABORTED within `limitMs` (a rejected promise, never
 * a throw), and the instance keep working. Resolves to `{ calls, ms, slowestMs, broken }`;
 * `fetch` is restored whatever happens.
 */
export async function fuzzAbortInFetch(api, { rounds = 2, limitMs = 3_000 } = {}) {
  const started = Date.now();
  const stats = { calls: 0, slowestMs: 0, broken: [] };
  const base = { token: TOKEN, baseUrl: DEAD, retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 1 } };
  const ids = Array.from({ length: 2_500 }, (_, i) => `wfr_${i}`);
  const client = new api.Client({ token: TOKEN, baseUrl: DEAD });
  const calls = {
    'cancelRuns all': (o) => api.cancelRuns({ ...base, ...o, all: true }),
    'cancelRunsDetailed 2,500 ids': (o) => api.cancelRunsDetailed({ ...base, ...o, workflowRunIds: ids, encoding: 'body', concurrency: 2 }),
    'client.cancelRuns count': (o) => client.cancelRuns({ ...o, label: 'x', count: 5 }),
    'cancelRuns async': (o) => api.cancelRuns({ ...base, ...o, label: 'x', async: true }),
    getBulkAction: (o) => api.getBulkAction({ ...base, ...o, actionId: 'ba_x' }),
    waitForBulkAction: (o) => client.waitForBulkAction({ ...o, actionId: 'ba_x', pollMs: 100 }),
    listAllBulkActions: (o) => api.listAllBulkActions({ ...base, ...o }).next(),
  };
  const limits = [{}, { timeoutMs: 200 }, { deadlineMs: 400 }];
  const original = globalThis.fetch;
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [kind, make] of ABORTING_FETCHES) {
        for (const [name, call] of Object.entries(calls)) {
          const controller = new AbortController();
          const limit = limits[(round + stats.calls) % limits.length];
          globalThis.fetch = make(controller);
          const callStarted = Date.now();
          let outcome;
          try {
            outcome = await settleWithin(call({ ...limit, signal: controller.signal }), limitMs);
          } catch (error) {
            outcome = { error, sync: true };
          }
          stats.calls += 1;
          stats.slowestMs = Math.max(stats.slowestMs, Date.now() - callStarted);
          const what = `${name} ${JSON.stringify(limit)} / ${kind}`;
          const { error } = outcome;
          if (outcome.timedOut) stats.broken.push(`${what}: did not settle within ${limitMs} ms`);
          else if (outcome.sync) stats.broken.push(`${what}: threw synchronously`);
          else if (!(error instanceof api.QStashCancelError && error.code === 'ABORTED')) {
            stats.broken.push(`${what}: ended ${error ? `${String(error?.name)} ${error?.code}: ${String(error?.message).slice(0, 200)}` : `resolved ${JSON.stringify(outcome.value)}`}`);
          }
        }
      }
    }
  } finally {
    globalThis.fetch = original;
    client.free();
  }
  const fresh = new api.Client({ token: TOKEN, baseUrl: DEAD });
  if (fresh.previewRequest({ all: true }).requests !== 1) stats.broken.push('a new Client does not work afterwards');
  fresh.free();
  stats.ms = Date.now() - started;
  return stats;
}
