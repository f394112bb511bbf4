// Calls interrupted half-way: an abort fired from inside a replaced `fetch`, a Client freed while
// a wait uses it, a wait stopped during a reading, a background start whose answer is lost. Each
// must settle, say what it knows and nothing more, and leave the instance working. Run in Node,
// workerd and a Chromium page; plain ESM with no Node imports, so the Worker and the page load
// this very file.

import { actions } from './bulk-scenarios.mjs';

const ids = (n) => Array.from({ length: n }, (_, i) => `wfr_${String(i).padStart(6, '0')}`);
const runsWithIds = (n) => ids(n).map((id) => ({ id, workflowUrl: 'https://app.test/api/bulk', label: 'bulk' }));
const fail = (what) => {
  throw new Error(what);
};
/** How long a call that should stop at once may take before it counts as hung. */
const HUNG_MS = 3_000;

/**
 * Runs `call()` with the global `fetch` replaced by `replacement`, restored once the call settles
 * (or is given up on); resolves to the rejection's `code:cancelled`, `resolved`, or `hung` when
 * it is still pending after HUNG_MS.
 */
async function withFetch(replacement, call) {
  const original = globalThis.fetch;
  globalThis.fetch = replacement;
  let timer;
  const hung = new Promise((resolve) => (timer = setTimeout(() => resolve('hung'), HUNG_MS)));
  try {
    const settled = Promise.resolve().then(call).then(() => 'resolved', (err) => `${err?.code}:${err?.cancelled}`);
    return await Promise.race([settled, hung]);
  } finally {
    clearTimeout(timer);
    globalThis.fetch = original;
  }
}

/**
 * A `fetch` that answers its first `answered` calls with 1,000 cancelled, then aborts the
 * caller's `controller` while it is being called, as a fetch polyfill may (its own cleanup, a
 * shared controller); its promise then settles only on the abort event of the signal it was given
 * (`settles`) or never. A real fetch checks `signal.aborted` at once; this one only listens.
 */
const abortingFetch = (controller, { answered = 0, settles = true } = {}) => {
  let calls = 0;
  return (_url, init) => {
    calls += 1;
    if (calls <= answered) return Promise.resolve(new Response('{"cancelled":1000}', { status: 200 }));
    controller.abort();
    return new Promise((_, reject) => {
      if (settles) init.signal.addEventListener('abort', () => reject(new Error('aborted')));
    });
  };
};

/**
 * Starts a background cancel of the label `nightly` (retried fast), then lists the bulk actions:
 * `started <type of actionId>` or `<code> <unconfirmed> <says where to look>`, and how many
 * actions the service now holds.
 */
async function startAndList(api, c, options) {
  const start = { ...c, label: 'nightly', async: true, retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 5 }, ...options };
  const outcome = await api.cancelRuns(start).then(
    (started) => `started ${typeof started.actionId}`,
    (err) => [err.code, err.unconfirmed, /bulk action may be running.*listBulkActions/.test(err.message)].join(' '),
  );
  const { bulkActions } = await api.listBulkActions(c);
  return `${outcome}; ${bulkActions.length} actions`;
}

export const interruptionScenarios = [
  {
    name: 'an abort fired while fetch is being called ends the call, on the fast path, the multi-batch path and the bulk reads',
    runs: () => runsWithIds(2_500),
    call: async (api, c) => {
      const many = { workflowRunIds: ids(2_500), encoding: 'body' };
      const cases = [
        // [options, what the replaced fetch does]
        [{ all: true }, {}],
        [{ all: true }, { settles: false }],
        [{ all: true, timeoutMs: 200 }, {}],
        [{ all: true, deadlineMs: 300 }, { settles: false }],
        [{ ...many, concurrency: 2 }, {}],
        [{ ...many, concurrency: 2, deadlineMs: 300 }, { settles: false }],
        [{ ...many, concurrency: 1 }, { answered: 1 }],
        [{ ...many, concurrency: 1, timeoutMs: 200 }, { answered: 1, settles: false }],
        [{ label: 'bulk', async: true }, {}],
        [{ actionId: 'ba_x', read: true }, { settles: false }],
        // A listener of the caller's that stops the event before the library's listener sees it.
        [{ all: true }, { stops: true }],
      ];
      const outcomes = [];
      for (const [{ read, ...options }, how] of cases) {
        const controller = new AbortController();
        if (how.stops) controller.signal.addEventListener('abort', (event) => event.stopImmediatePropagation());
        const call = read ? api.getBulkAction : api.cancelRuns;
        outcomes.push(await withFetch(abortingFetch(controller, how), () => call({ ...c, ...options, signal: controller.signal })));
      }
      return outcomes;
    },
    result: ['ABORTED:0', 'ABORTED:0', 'ABORTED:0', 'ABORTED:0', 'ABORTED:0', 'ABORTED:0', 'ABORTED:1000', 'ABORTED:1000',
      'ABORTED:0', 'ABORTED:undefined', 'ABORTED:0'],
    attempts: 0,
    cancelled: [],
  },
  {
    name: 'a Client freed while waitForBulkAction uses it (free(), the end of a using block, onProgress, a getter, between readings) ends the wait with the last reading; nothing more is sent',
    actions: () => actions(1, () => 'IN_PROGRESS'),
    call: async (api, c) => {
      const dispose = (client) => (typeof Symbol.dispose === 'symbol' ? client[Symbol.dispose]() : client.free());
      const ways = {
        'free() after the start': (client, wait) => {
          const waiting = wait({});
          client.free();
          return waiting;
        },
        'the end of a using block': (client, wait) => {
          const waiting = wait({});
          dispose(client);
          return waiting;
        },
        'free() from onProgress': (client, wait) => wait({ onProgress: () => client.free() }),
        // Read inside the client's own call, before its first reading: the client is borrowed
        // while it is freed, and no reading goes out.
        'free() from a getter of the options': (client, wait) => wait({ retry: { retries: 0, get baseDelayMs() { client.free(); return 5; } } }),
        // Freed while the wait sleeps: the next reading is never sent.
        'free() between readings': (client, wait) => wait({ onProgress: () => setTimeout(() => client.free(), 20) }),
        // Freed while the wait sleeps a minute: it ends at once, not at its next reading (a
        // wait still sleeping after 5 s resolves here, which the result refuses).
        'free() during a long sleep': (client, wait) => {
          let timer;
          const late = new Promise((resolve) => { timer = setTimeout(resolve, 5_000); });
          return Promise.race([wait({ pollMs: 60_000, onProgress: () => setTimeout(() => client.free(), 20) }), late])
            .finally(() => clearTimeout(timer));
        },
      };
      const outcomes = [];
      for (const [way, free] of Object.entries(ways)) {
        const client = new api.Client(c);
        const wait = (options) => client.waitForBulkAction({ actionId: 'ba_seed_000', pollMs: 100, ...options });
        outcomes.push(await free(client, wait).then(
          () => `${way}: resolved`,
          (err) => [way, err instanceof api.QStashCancelError, err.code, err.field, err.action?.actionId, err.action?.processed,
            /goes on in the service \(last seen: 3 of 10 processed\)|does not stop bulk action ba_seed_000 in the service/.test(err.message)].join(' '),
        ));
        const later = await client.getBulkAction({ actionId: 'ba_seed_000' }).then(() => 'resolved', (err) => `${err.code} ${err.field}`);
        if (later !== 'INVALID_OPTIONS client') fail(`${way}: a later call ${later}`);
      }
      return outcomes;
    },
    result: [
      'free() after the start true INVALID_OPTIONS client ba_seed_000 3 true',
      'the end of a using block true INVALID_OPTIONS client ba_seed_000 3 true',
      'free() from onProgress true INVALID_OPTIONS client ba_seed_000 3 true',
      'free() from a getter of the options true INVALID_OPTIONS client   true',
      'free() between readings true INVALID_OPTIONS client ba_seed_000 3 true',
      'free() during a long sleep true INVALID_OPTIONS client ba_seed_000 3 true',
    ],
    // One reading each, but none from the client freed before its first: none after a free.
    attempts: 5,
    cancelled: [],
  },
  {
    name: 'free() during the client\'s own call does not throw: the call goes on, every later call refuses',
    call: async (api, c) => {
      const client = new api.Client(c);
      let thrown = 'nothing';
      const cancelled = await client.cancelRuns({
        all: true,
        retry: {
          get retries() {
            try {
              client.free();
            } catch (err) {
              thrown = `${err?.name}: ${err?.message}`;
            }
            return 0;
          },
        },
      });
      const later = await client.cancelRuns({ all: true }).then(() => 'resolved', (err) => `${err.code} ${err.field}`);
      let preview;
      try {
        preview = client.previewRequest({ all: true });
      } catch (err) {
        preview = `${err.code} ${err.field}`;
      }
      return [thrown, cancelled, later, preview];
    },
    result: ['nothing', 3, 'INVALID_OPTIONS client', 'INVALID_OPTIONS client'],
    // The cancel and the pass that found nothing more.
    attempts: 2,
    cancelled: ['wfr_a1', 'wfr_a2', 'wfr_b1'],
  },
  {
    name: 'waitForBulkAction stopped during a reading (abort, deadlineMs) rejects with the last reading and says the action goes on',
    actions: () => actions(1, () => 'IN_PROGRESS'),
    // The second reading of each wait hangs for 2 s.
    faults: () => [{ then: 'handle' }, { delayMs: 2_000, then: 'handle' }, { then: 'handle' }, { delayMs: 2_000, then: 'handle' }],
    call: async (api, c) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 400);
      const outcomes = [];
      for (const options of [{ signal: controller.signal }, { deadlineMs: 500 }]) {
        const started = Date.now();
        outcomes.push(await api.waitForBulkAction({ ...c, actionId: 'ba_seed_000', pollMs: 100, ...options }).then(
          () => 'resolved',
          (err) => [err.code, err.action?.actionId, err.action?.processed,
            /goes on in the service \(last seen: 3 of 10 processed\)/.test(err.message), Date.now() - started < 1_500].join(' '),
        ));
      }
      return outcomes;
    },
    result: ['ABORTED ba_seed_000 3 true true', 'TIMEOUT ba_seed_000 3 true true'],
    attempts: 4,
    cancelled: [],
  },
  {
    name: 'a background start whose answer is lost (time-out, abort in flight) is never sent again, and says a bulk action may be running and where to look',
    // The service starts the action each time; its answer is then late, or abandoned. Then a
    // 503, which says the service did not act: that start is sent again. (The listing after each
    // start is answered normally.)
    faults: () => [{ act: true, delayMs: 2_000 }, { then: 'handle' }, { act: true, delayMs: 2_000 }, { then: 'handle' }, { status: 503 }],
    call: async (api, c) => {
      const controller = new AbortController();
      const outcomes = [];
      for (const options of [{ timeoutMs: 300 }, { signal: controller.signal }, {}]) {
        if (options.signal) setTimeout(() => controller.abort(), 300);
        outcomes.push(await startAndList(api, c, options));
      }
      return outcomes;
    },
    result: ['TIMEOUT 1 true; 1 actions', 'ABORTED 1 true; 2 actions', 'started string; 3 actions'],
    // A start each, the 503's second, and a listing after each.
    attempts: 7,
    cancelled: ['wfr_a1', 'wfr_b1'],
  },
  {
    // Not in a browser: Chromium itself sends a request again whose reused connection closed
    // before any answer (exact-scenarios.mjs shows it), so the library cannot hold this there.
    name: 'a background start whose connection is cut after the service acted is never sent again',
    runtimes: ['node', 'workerd'],
    faults: () => [{ act: true, drop: true }],
    call: (api, c) => startAndList(api, c, {}),
    result: 'NETWORK_ERROR 1 true; 1 actions',
    attempts: 2,
    cancelled: ['wfr_a1', 'wfr_b1'],
  },
  {
    // A signal is checked to be a real AbortSignal, but its own properties are the caller's: an
    // addEventListener that throws surfaced as a raw Error, a removeEventListener that throws
    // left the call pending forever (an unhandled rejection), one that does nothing kept an
    // abort from being heard until the next reading.
    name: 'a signal whose own addEventListener or removeEventListener throws or does nothing is still heard, and every call settles',
    actions: () => actions(1, () => 'IN_PROGRESS'),
    call: async (api, c) => {
      const shadowed = (how) => {
        const controller = new AbortController();
        for (const [name, value] of Object.entries(how)) Object.defineProperty(controller.signal, name, { value });
        return controller;
      };
      const throws = () => fail('hostile');
      const outcomes = [];
      const settled = (promise) => promise.then((value) => `resolved ${JSON.stringify(value)}`, (err) => `${err?.name} ${err?.code}`);
      outcomes.push(await settled(api.cancelRuns({ ...c, workflowRunIds: ['wfr_a1'], signal: shadowed({ addEventListener: throws }).signal })));
      outcomes.push(await settled(api.cancelRuns({ ...c, workflowRunIds: ['wfr_b1'], signal: shadowed({ removeEventListener: throws }).signal })));
      outcomes.push(await settled(api.listAllBulkActions({ ...c, state: 'FINISHED', signal: shadowed({ addEventListener: throws, removeEventListener: throws }).signal }).next()));
      const quiet = shadowed({ addEventListener: () => {}, removeEventListener: () => {} });
      setTimeout(() => quiet.abort(), 100);
      const started = Date.now();
      const waited = await settled(api.waitForBulkAction({ ...c, actionId: 'ba_seed_000', pollMs: 5_000, signal: quiet.signal }));
      outcomes.push(`${waited} ${Date.now() - started < 2_000}`);
      return outcomes;
    },
    result: ['resolved 1', 'resolved 1', 'resolved {"done":true}', 'QStashCancelError ABORTED true'],
    attempts: 4,
    cancelled: ['wfr_a1', 'wfr_b1'],
  },
  {
    // Chromium hides a redirect's status from `fetch` with `redirect: 'manual'` (an
    // `opaqueredirect` of status 0); Node and workerd show it. Each is the redirect rule: named,
    // never retried, nothing followed.
    name: 'a redirect is refused as a redirect in every runtime (Chromium hides its status), never retried or followed',
    faults: (c) => [307, 302].map((status) => ({ status, headers: { location: `${c.baseUrl}/v2/workflows/runs?redirected=1` } })),
    call: async (api, c) => {
      const outcomes = [];
      for (const call of [() => api.cancelRuns({ ...c, all: true }), () => api.getBulkAction({ ...c, actionId: 'ba_x' })]) {
        outcomes.push(await call().then(
          () => 'resolved',
          (err) => [err.code, /redirect, which is not followed/.test(err.message), [undefined, 302, 307].includes(err.status)].join(' '),
        ));
      }
      return outcomes;
    },
    result: ['HTTP_ERROR true true', 'HTTP_ERROR true true'],
    attempts: 2,
    cancelled: [],
  },
  {
    name: 'waitForBulkAction refuses readings that go backwards (processed or total falling) as INVALID_RESPONSE, keeping the last good reading',
    faults: () => {
      const reading = (state, processed, total) => ({
        status: 200, body: { actionId: 'ba_x', kind: 'cancel', state, processed, total, createdAt: 1_700_000_000_000 },
      });
      return [
        reading('IN_PROGRESS', 5, 10), reading('IN_PROGRESS', 3, 10),
        reading('IN_PROGRESS', 5, 10), reading('IN_PROGRESS', 6, 8),
        // A total that grows, with processed rising, is a cancel that found more runs: accepted.
        reading('IN_PROGRESS', 5, 10), reading('IN_PROGRESS', 6, 12), reading('FINISHED', 12, 12),
      ];
    },
    call: async (api, c) => {
      const outcomes = [];
      for (let i = 0; i < 3; i++) {
        outcomes.push(await api.waitForBulkAction({ ...c, actionId: 'ba_x', pollMs: 100 }).then(
          (done) => `resolved ${done.processed} of ${done.total}`,
          (err) => [err.code, err.action?.processed, err.action?.total, /went backwards/.test(err.message),
            /goes on in the service \(last seen: 5 of 10 processed\)/.test(err.message)].join(' '),
        ));
      }
      return outcomes;
    },
    result: ['INVALID_RESPONSE 5 10 true true', 'INVALID_RESPONSE 5 10 true true', 'resolved 12 of 12'],
    attempts: 7,
    cancelled: [],
  },
];
