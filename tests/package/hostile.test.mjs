// The adversarial fuzzer (hostile.mjs) against the installed package in Node, `import` and
// `require` sharing one instance; then a valid call must still cancel, on the emulator.
import test from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import * as api from 'qstash-cancel';
import { fuzz, fuzzAbortInFetch, fuzzFetch, fuzzFreed, fuzzFreedWaits } from './hostile.mjs';
import { startEmulator, seedRuns, cancelledIds, freshToken } from './helpers.mjs';

const escaped = [];
process.on('unhandledRejection', (reason) => escaped.push(`unhandled rejection: ${reason}`));
process.on('uncaughtException', (err) => escaped.push(`uncaught exception: ${err}`));

test('node: 1,000 hostile inputs through every export are refusals or settled calls, and the instance keeps working', async () => {
  const stats = await fuzz(api, { count: 1_000 });
  console.log(`hostile fuzz (node): ${stats.inputs} inputs, ${stats.calls} calls (${stats.refused} refused) in ${stats.ms} ms; slowest call ${stats.slowestMs} ms`);
  assert.deepEqual(stats.broken, []);
  assert.ok(stats.refused > stats.calls / 2, `mostly refusals: ${stats.refused} of ${stats.calls}`);
  // Timers and listeners of the calls above have run out; nothing escaped to the process.
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(escaped, []);

  const emulator = await startEmulator();
  try {
    const token = freshToken('after-fuzz');
    await seedRuns(emulator.url, token, [{ id: 'after_1', workflowUrl: 'https://app.test/a' }]);
    assert.equal(await api.cancelRuns({ token, baseUrl: emulator.url, workflowRunIds: ['after_1'] }), 1);
    assert.deepEqual(await cancelledIds(emulator.url, token), ['after_1']);
  } finally {
    await emulator.close();
  }
});

test('node: a replaced fetch with hostile answers (throwing getters, proxies, lying headers, bodies that throw or never end): every call settles as a QStashCancelError', async () => {
  const stats = await fuzzFetch(api);
  console.log(`hostile fetch (node): ${stats.calls} calls in ${stats.ms} ms; slowest ${stats.slowestMs} ms`);
  assert.deepEqual(stats.broken, []);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(escaped, [], 'nothing escaped to the process');
});

test('node: a replaced fetch that fires the abort while it is being called, or settles only on the abort event: every call ends ABORTED', async () => {
  const stats = await fuzzAbortInFetch(api);
  console.log(`abort inside fetch (node): ${stats.calls} calls in ${stats.ms} ms; slowest ${stats.slowestMs} ms`);
  assert.deepEqual(stats.broken, []);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(escaped, [], 'nothing escaped to the process');
});

test('node: a replaced fetch whose thenables call back at once and more than once: each answer is handed to the call once, never from inside the executor\'s own loop', async () => {
  const original = globalThis.fetch;
  /** A thenable that calls back at once with each of `values`, then fails, and returns `next`. */
  const atOnce = (values, next) => ({
    then(ok, fail) {
      for (const value of values) ok(value);
      fail?.(new Error('called back once too often'));
      return next;
    },
  });
  // The body's reader calls back at once and twice too: its first read hands the answer, then
  // another, its second the end, then a piece more. (What its `then` returns is no read: a read
  // is what it calls back with.)
  const piece = (n) => new TextEncoder().encode(`{"cancelled":${n}}`);
  const reader = (n) => {
    let reads = 0;
    const read = () => (reads++ === 0 ? atOnce([{ done: false, value: piece(n) }, { done: false, value: piece(9) }]) : atOnce([{ done: true }, { done: false, value: piece(9) }]));
    return { read, cancel: async () => {} };
  };
  const response = (n) => ({ status: 200, body: { getReader: () => reader(n) } });
  const ids = Array.from({ length: 1_200 }, (_, i) => `wfr_${i}`);
  const options = { token: 'tok-0123456789abcdef', baseUrl: 'http://127.0.0.1:9', retry: false, timeoutMs: 1_000 };
  try {
    globalThis.fetch = () => atOnce([response(1), response(2)]);
    for (let i = 0; i < 20; i++) {
      // Two requests at once (1,000 ids a request in the body form): each counted once.
      const got = await api.cancelRunsDetailed({ ...options, workflowRunIds: ids, encoding: 'body', concurrency: 2 });
      assert.deepEqual([got.cancelled, got.requests], [2, 2]);
      assert.equal(await api.cancelRuns({ ...options, workflowRunIds: ['wfr_1'] }), 1);
    }
  } finally {
    globalThis.fetch = original;
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(escaped, [], 'nothing escaped to the process');
});

test('node: a replaced fetch whose body hands its text or its pieces back later, as something else than they are (undefined, null, a piece without bytes): the call settles as broken off and nothing is thrown into the process', async () => {
  const original = globalThis.fetch;
  /** A thenable that calls back with `value` on a timer of its own, outside any promise job. */
  const later = (value) => ({
    then(ok) {
      setTimeout(() => ok(value), 5);
    },
  });
  const reader = (value) => ({ getReader: () => ({ read: () => later(value), cancel: async () => {} }) });
  const bodies = {
    'text() as undefined': { status: 200, body: null, text: () => later(undefined) },
    'text() as null': { status: 200, body: null, text: () => later(null) },
    'a read as null': { status: 200, body: reader(null) },
    'a piece of null': { status: 200, body: reader({ done: false, value: null }) },
  };
  const options = { token: 'tok-0123456789abcdef', baseUrl: 'http://127.0.0.1:9', retry: false, timeoutMs: 1_000 };
  try {
    for (const [name, response] of Object.entries(bodies)) {
      globalThis.fetch = async () => response;
      const err = await api.cancelRuns({ ...options, workflowRunIds: ['wfr_1'] }).then(() => undefined, (err) => err);
      assert.equal(err?.code, 'NETWORK_ERROR', name);
      assert.match(err.message, /broke off while reading the answer/, name);
      // The callback the thenable calls on its timer: had it thrown there, the throw reached the
      // process (an uncaught exception, which ends a Node process).
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(escaped, [], `${name}: nothing escaped to the process`);
    }
  } finally {
    globalThis.fetch = original;
  }
});

test('node: a global Promise replaced after the package loaded (a userland one, as `global.Promise = Bluebird` installs): a cancel sends once and reports what the service confirmed, not "could not be sent"', async () => {
  const Native = Promise;
  // Thenable, like Bluebird's or a polyfill's, but not a native promise: the engine's own
  // `then` refuses it as a receiver.
  class UserPromise {
    constructor(executor) {
      this.inner = new Native(executor);
    }
    then(ok, fail) {
      const next = new UserPromise(() => {});
      next.inner = this.inner.then(ok, fail);
      return next;
    }
    catch(fail) {
      return this.then(undefined, fail);
    }
    static resolve(value) {
      return new UserPromise((resolve) => resolve(value));
    }
    static reject(reason) {
      return new UserPromise((_, reject) => reject(reason));
    }
  }
  const emulator = await startEmulator();
  try {
    const token = freshToken('user-promise');
    await seedRuns(emulator.url, token, [{ id: 'wfr_p1', workflowUrl: 'https://app.test/a' }, { id: 'wfr_p2', workflowUrl: 'https://app.test/a' }]);
    const original = globalThis.fetch;
    let sent = 0;
    let outcome;
    globalThis.fetch = (...args) => {
      sent++;
      return original(...args);
    };
    globalThis.Promise = UserPromise;
    try {
      outcome = await api.cancelRuns({ token, baseUrl: emulator.url, workflowRunIds: ['wfr_p1'] }).then((n) => n, (err) => err);
    } finally {
      globalThis.Promise = Native;
      globalThis.fetch = original;
    }
    assert.equal(outcome, 1, `${outcome?.code}: ${outcome?.message}`);
    assert.equal(sent, 1, 'sent once, not retried as if never sent');
    assert.deepEqual(await cancelledIds(emulator.url, token), ['wfr_p1']);
  } finally {
    await emulator.close();
  }
  await new Native((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(escaped, [], 'nothing escaped to the process');
});

test('node: a freed or disposed Client refuses 10,000 calls with a QStashCancelError and harms nothing else', async () => {
  const stats = await fuzzFreed(api, { calls: 10_000 });
  console.log(`freed clients (node): ${stats.calls} calls in ${stats.ms} ms`);
  assert.deepEqual(stats.broken, []);
  assert.deepEqual(escaped, []);
});

test('node: 14,000 clients freed while they wait (free(), using, onProgress, a getter) end their waits cleanly and harm nothing else', async () => {
  const stats = await fuzzFreedWaits(api, { waits: 14_000 });
  console.log(`freed during waits (node): ${stats.calls} waits in ${stats.ms} ms`);
  assert.deepEqual(stats.broken, []);
  assert.deepEqual(escaped, []);
});

test('node: free() during a client\'s own call releases its wasm object once, when the call returns, and never throws', async () => {
  // The package's own wrapper around a stand-in for wasm-bindgen's class, which refuses, as the
  // real one does, to be freed while a call borrows it.
  const { defineApi } = await import(new URL('./node_modules/qstash-cancel/lib/api.js', import.meta.url));
  const made = [];
  class Borrowed {
    constructor() {
      this.borrows = 0;
      this.released = 0;
      made.push(this);
    }
    previewRequest(options) {
      this.borrows += 1;
      try {
        options.during?.();
        return '{"requests":1}';
      } finally {
        this.borrows -= 1;
      }
    }
    free() {
      if (this.borrows > 0) throw new Error('attempted to take ownership of Rust value while it was borrowed');
      this.released += 1;
    }
  }
  const { Client } = defineApi({ Client: Borrowed, __setErrorClass() {} }, api.QStashCancelError);
  const client = new Client({});
  const seen = [];
  client.previewRequest({
    during: () => {
      // Nested in the call: a second call, then free(), then a call that must refuse.
      client.previewRequest({ during: () => seen.push(`nested, ${made[0].released} released`) });
      client.free();
      seen.push(`freed, ${made[0].released} released`);
      try {
        client.previewRequest({});
      } catch (err) {
        seen.push(`${err.code} ${err.field}`);
      }
    },
  });
  client.free();
  assert.deepEqual(seen, ['nested, 0 released', 'freed, 0 released', 'INVALID_OPTIONS client']);
  assert.equal(made[0].released, 1, 'released once, after the call');
});

test('node: strings too long to send are refused before they are copied; a list too long to pack is read item by item', () => {
  // In its own process: wasm memory, once grown, stays with the instance.
  const script = `
    const { previewRequest } = require('qstash-cancel');
    const refusal = (options) => {
      const started = Date.now();
      try { previewRequest(options); return 'accepted'; }
      catch (e) { return { name: e.name, field: e.field, index: e.index, rule: e.rule, ms: Date.now() - started }; }
    };
    const huge = 'x'.repeat(2 ** 28), mega = 'x'.repeat(2 ** 20);
    console.log(JSON.stringify([
      refusal({ token: huge, all: true }),
      refusal({ token: 't', workflowRunIds: ['a', huge, huge, huge] }),
      refusal({ token: 't', label: huge }),
      refusal({ token: 't', workflowRunIds: Array(65).fill(mega) }),
    ]));`;
  const [token, list, label, packed] = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
  const tooLong = /^is a string of 268435456 characters; an option has at most 1048576$/;
  for (const [got, field, index] of [[token, 'token', undefined], [list, 'workflowRunIds', 1], [label, 'label', undefined]]) {
    assert.equal(got.name, 'QStashCancelError');
    assert.equal(got.field, field);
    assert.equal(got.index, index);
    assert.match(got.rule, tooLong);
    assert.ok(got.ms < 1000, `refused in ${got.ms} ms, not copied (copying 256 MB took 2.4 s)`);
  }
  // 65 strings of 2^20 characters: each may be read, but together they are over what is packed
  // into one string (2^26 units), so they cross one by one and are refused for what they are.
  assert.equal(packed.field, 'workflowRunIds');
  assert.match(packed.rule, /URL in the query form/);
});

test('node: options holding more text in all than a call could carry are refused before it is copied, and the wasm never runs out of memory', () => {
  // In its own process: wasm memory, once grown, stays with the instance. One string of 2^20
  // characters, shared by 4,200 items, was copied 4,200 times into the wasm (4.2 GB): the
  // allocation failed past 4 GB and the wasm trapped ("RuntimeError: unreachable", 38 s).
  const script = `
    const { previewRequest } = require('qstash-cancel');
    const refusal = (options) => {
      const started = Date.now();
      try { previewRequest(options); return 'accepted'; }
      catch (e) { return { name: e.name, field: e.field, rule: e.rule, ms: Date.now() - started }; }
    };
    const mega = 'x'.repeat(2 ** 20), list = Array(64).fill(mega);
    console.log(JSON.stringify([
      refusal({ token: 't', workflowRunIds: Array(4200).fill(mega) }),
      refusal({ token: 't', a: list, workflowRunIds: list }),
      previewRequest({ token: 't', baseUrl: 'http://127.0.0.1:9', workflowRunIds: ['after'] }).url,
    ]));`;
  const [list, inline, after] = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
  for (const [got, field] of [[list, 'workflowRunIds'], [inline, 'workflowRunIds']]) {
    assert.equal(got.name, 'QStashCancelError');
    assert.equal(got.field, field);
    assert.match(got.rule, /^takes the options past 134217728 characters of text in all/);
    assert.ok(got.ms < 2000, `refused in ${got.ms} ms`);
  }
  assert.match(after, /workflowRunIds=after$/);
});

test('node: header values too long to be a rate-limit figure are read as absent, not copied into the wasm', () => {
  // In its own process: wasm memory, once grown, stays with the instance.
  const script = `
    const { cancelRuns } = require('qstash-cancel');
    const huge = '1'.repeat(2 ** 26);
    globalThis.fetch = async () => ({ status: 429, headers: { get: () => huge }, text: async () => '' });
    const before = process.memoryUsage().rss, started = Date.now();
    cancelRuns({ token: 'tok-0123456789abcdef', baseUrl: 'http://127.0.0.1:9', all: true, retry: false }).catch((e) => {
      console.log(JSON.stringify({ code: e.code, rateLimit: e.rateLimit, ms: Date.now() - started, grewMb: (process.memoryUsage().rss - before) / 1e6 }));
    });`;
  const got = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
  assert.equal(got.code, 'RATE_LIMITED');
  // 7 headers of 64 M digits each were copied whole (4.6 s, 540 MB the wasm kept for good) and
  // reported as a wait of 9007199254740991 s, which the service never said.
  assert.deepEqual(got.rateLimit, { limit: null, remaining: null, reset: null, retryAfter: null, retryAt: null });
  assert.ok(got.ms < 1_000, `read in ${got.ms} ms`);
  assert.ok(got.grewMb < 100, `memory grew ${got.grewMb} MB`);
});

test('node: a wall clock set back during a wait does not stretch its sleep: the next reading comes after pollMs', async () => {
  const realNow = Date.now;
  const original = globalThis.fetch;
  let readings = 0;
  const reading = JSON.stringify({ actionId: 'ba_clock', kind: 'cancel', state: 'IN_PROGRESS', total: 10, processed: 3, createdAt: 1 });
  globalThis.fetch = async () => {
    readings += 1;
    return new Response(reading, { status: 200 });
  };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 2_000);
  try {
    const ended = await api.waitForBulkAction({
      token: 'tok-0123456789abcdef', baseUrl: 'http://127.0.0.1:9', actionId: 'ba_clock', pollMs: 100, signal: controller.signal,
      // After the first reading, the clock goes back an hour (an NTP step, a VM resumed).
      onProgress: () => {
        Date.now = () => realNow() - 3_600_000;
      },
    }).then(() => 'resolved', (err) => err.code);
    assert.equal(ended, 'ABORTED');
    // Slept an hour after the first reading (1 reading); main's wait (setTimeout, performance.now) read every 100 ms.
    assert.ok(readings >= 3, `${readings} readings in 2 s`);
  } finally {
    clearTimeout(timer);
    Date.now = realNow;
    globalThis.fetch = original;
  }
});

test('node: a long list is read once, item by item, up to its first item that is not a string, which the refusal names', () => {
  const length = 200_000, bad = 150_000;
  const reads = new Map();
  const target = Array.from({ length }, (_, i) => (i === bad ? 42 : `wfr_${i}`));
  const list = new Proxy(target, {
    get(t, key) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads.set(key, (reads.get(key) ?? 0) + 1);
      return t[key];
    },
  });
  assert.throws(() => api.previewRequest({ token: 't', workflowRunIds: list, encoding: 'body' }), (err) => {
    assert.equal(err.field, 'workflowRunIds');
    assert.equal(err.index, bad);
    assert.match(err.rule, /^must be a string \(got number\)$/);
    return true;
  });
  assert.equal(reads.size, bad + 1, 'nothing after the item that is not a string is read');
  assert.ok([...reads.values()].every((n) => n === 1), 'each item is read once');
  // The same list with a string there: every item read once, and the list accepted.
  reads.clear();
  target[bad] = `wfr_${bad}`;
  assert.equal(api.previewRequest({ token: 't', workflowRunIds: list, encoding: 'body' }).requests, length / 1_000);
  assert.equal(reads.size, length);
  assert.ok([...reads.values()].every((n) => n === 1), 'each item is read once');
});

test('node: Client.fromEnv refuses a variable it cannot use (a getter that throws, a URL object, a binding) instead of taking it as unset, which fell back to the production URL', () => {
  const thrower = () => {
    throw new Error('hostile');
  };
  const refusal = (env) => {
    try {
      return `accepted: ${api.Client.fromEnv(env).target().baseUrl}`;
    } catch (e) {
      assert.equal(e.name, 'QStashCancelError');
      return `${e.field}: ${e.rule}`;
    }
  };
  const url = new URL('http://127.0.0.1:8080');
  let reads = 0;
  const cases = [
    [{ QSTASH_TOKEN: 'tok', QSTASH_URL: url }, 'QSTASH_URL: must be a string (got object)'],
    [{ QSTASH_TOKEN: 'tok', get QSTASH_URL() { return thrower(); } }, 'QSTASH_URL: could not be read (its getter threw)'],
    [{ QSTASH_TOKEN: 'tok', QSTASH_URL: 'http://127.0.0.1:8080\uD800' }, 'QSTASH_URL: must be a string (got a string with an unpaired UTF-16 surrogate)'],
    [{ QSTASH_TOKEN: { secret: 'tok' } }, 'QSTASH_TOKEN: must be a string (got object)'],
    [{ get QSTASH_TOKEN() { return thrower(); } }, 'QSTASH_TOKEN: could not be read (its getter threw)'],
    [{ QSTASH_REGION: 1, QSTASH_TOKEN: 'tok' }, 'QSTASH_REGION: must be a string (got number)'],
    [new Proxy({}, { get: thrower }), 'QSTASH_REGION: could not be read (its getter threw)'],
    // Unset (absent, undefined or empty) is still unset, and every variable is read once.
    [{ QSTASH_TOKEN: 'tok', QSTASH_URL: undefined, get QSTASH_REGION() { reads++; return ''; } }, 'accepted: https://qstash.upstash.io'],
  ];
  for (const [env, expected] of cases) assert.equal(refusal(env), expected);
  assert.equal(reads, 1);
});

test('node: tokenFingerprint refuses a string too long to be a token before copying it: 2^29 characters trapped the wasm', () => {
  // In its own process: wasm memory, once grown, stays with the instance. Copied into the wasm
  // as UTF-8, 2^29 - 24 characters of U+FFFF (the longest string V8 makes) were 1.6 GB, and
  // with the copy's first guess beside it the allocation failed ("RuntimeError: unreachable").
  const script = `
    const { tokenFingerprint } = require('qstash-cancel');
    const refusal = async (token) => {
      const started = Date.now();
      try { return await tokenFingerprint(token); }
      catch (e) { return { name: e.name, field: e.field, rule: e.rule, ms: Date.now() - started }; }
    };
    (async () => console.log(JSON.stringify([
      await refusal('\\uFFFF'.repeat(2 ** 29 - 24)),
      await refusal('x'.repeat(2 ** 20 + 1)),
      await tokenFingerprint('x'.repeat(2 ** 20)),
    ])))();`;
  const [huge, over, at] = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
  for (const [got, units] of [[huge, 2 ** 29 - 24], [over, 2 ** 20 + 1]]) {
    assert.equal(got.name, 'QStashCancelError');
    assert.equal(got.field, 'token');
    assert.equal(got.rule, `is a string of ${units} characters; an option has at most 1048576`);
    assert.ok(got.ms < 1000, `refused in ${got.ms} ms, not copied`);
  }
  assert.match(at, /^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
});

test('node: a replaced fetch that follows a redirect despite redirect: "manual" gets no count taken from another URL, no retry, and the runs reported unconfirmed', async () => {
  const { createServer } = await import('node:http');
  const listen = (handler) => new Promise((resolve) => {
    const server = createServer(handler).listen(0, '127.0.0.1', () => resolve(server));
  });
  const seen = [];
  const elsewhere = await listen((req, res) => {
    seen.push(`elsewhere ${req.method} ${req.url}`);
    res.setHeader('content-type', 'application/json');
    res.end('{"cancelled":3}');
  });
  const service = await listen((req, res) => {
    seen.push(`service ${req.method} ${req.url}`);
    res.writeHead(307, { location: `http://127.0.0.1:${elsewhere.address().port}/v2/workflows/runs` }).end();
  });
  const original = globalThis.fetch;
  // A wrapper that overrides the redirect mode, as some fetch polyfills and proxies' wrappers do.
  globalThis.fetch = (url, init) => original(url, { ...init, redirect: 'follow' });
  try {
    const err = await api.cancelRuns({
      token: 'tok-0123456789abcdef', baseUrl: `http://127.0.0.1:${service.address().port}`,
      workflowRunIds: ['a', 'b', 'c'], retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 1 },
    }).then(() => assert.fail('resolved with a count another URL gave'), (e) => e);
    assert.ok(err instanceof api.QStashCancelError, String(err));
    assert.equal(err.code, 'INVALID_RESPONSE');
    assert.match(err.message, /followed a redirect/);
    assert.equal(err.status, undefined);
    assert.deepEqual([err.cancelled, err.unconfirmed, err.unconfirmedRunIds, err.notCancelledRunIds], [0, 1, ['a', 'b', 'c'], []]);
    // Sent once and never again: a retry would be followed to the same place.
    assert.equal(seen.filter((s) => s.startsWith('service')).length, 1, seen.join('\n'));
    assert.equal(seen.filter((s) => s.startsWith('elsewhere')).length, 1, seen.join('\n'));
  } finally {
    globalThis.fetch = original;
    service.close();
    elsewhere.close();
  }
});

test('node: a replaced fetch that follows a redirect gets bulk-action reads and a background start refused the same way, each sent once', async () => {
  const { createServer } = await import('node:http');
  const listen = (handler) => new Promise((resolve) => {
    const server = createServer(handler).listen(0, '127.0.0.1', () => resolve(server));
  });
  const seen = [];
  const action = { actionId: 'ba_1', kind: 'cancel', state: 'FINISHED', total: 1, processed: 1, createdAt: 1, filter: {} };
  // Well-formed answers for each call: only how they were reached is wrong.
  const elsewhere = await listen((req, res) => {
    seen.push(`elsewhere ${req.method}`);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(req.method === 'DELETE' ? { actionId: 'ba_1' } : req.url.includes('ba_1') ? action : { bulkActions: [action] }));
  });
  const service = await listen((req, res) => {
    seen.push(`service ${req.method}`);
    res.writeHead(307, { location: `http://127.0.0.1:${elsewhere.address().port}${req.url}` }).end();
  });
  const original = globalThis.fetch;
  globalThis.fetch = (url, init) => original(url, { ...init, redirect: 'follow' });
  const connection = { token: 'tok-0123456789abcdef', baseUrl: `http://127.0.0.1:${service.address().port}`, retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 1 } };
  try {
    for (const call of [
      () => api.getBulkAction({ ...connection, actionId: 'ba_1' }),
      () => api.listBulkActions({ ...connection }),
      () => api.cancelRuns({ ...connection, label: 'nightly', async: true }),
    ]) {
      seen.length = 0;
      const err = await call().then((value) => assert.fail(`resolved with ${JSON.stringify(value)}`), (e) => e);
      assert.ok(err instanceof api.QStashCancelError, String(err));
      assert.equal(err.code, 'INVALID_RESPONSE');
      assert.match(err.message, /followed a redirect/);
      assert.doesNotMatch(err.message, /tok-0123456789abcdef/);
      assert.deepEqual(seen.map((s) => s.split(' ')[0]), ['service', 'elsewhere'], seen.join('\n'));
    }
  } finally {
    globalThis.fetch = original;
    service.close();
    elsewhere.close();
  }
});
