// "Exactly what was asked, and the truth about it": a filter cancel finishes the job or says it
// did not, `count` is a ceiling for the whole call, and what a stopped call reports matches what
// the emulator really did. Run in Node, workerd and a Chromium page. The emulator cancels at most
// 100 runs a call unless `count` says otherwise, as the service's API reference documents.
// Plain ESM with no Node imports: the Worker and the page load this file too.

const ids = (n, from = 0) => Array.from({ length: n }, (_, i) => `wfr_${String(from + i).padStart(5, '0')}`);
/** `n` runs labelled "nightly" of one workflow, oldest first (the emulator cancels oldest first). */
const nightly = (n) => ids(n).map((id, i) => ({
  id,
  workflowUrl: 'https://app.test/api/report',
  label: 'nightly',
  createdAt: 1_700_000_000_000 + i,
}));
const oldest = (n) => (runs) => runs.slice(0, n).map((run) => run.id);
const summary = (cancelled, requests, passes, retries, unconfirmed, moreMayMatch) =>
  ({ cancelled, requests, passes, retries, unconfirmed, moreMayMatch });
const fast = { retries: 3, baseDelayMs: 5, maxDelayMs: 20 };
/** A check that every request carried `count` as listed, in order. */
const counts = (...want) => (_, { log }) => {
  const got = log.map((entry) => new URLSearchParams(entry.query).get('count'));
  if (JSON.stringify(got) !== JSON.stringify(want.map((n) => (n === null ? null : String(n))))) {
    throw new Error(`counts sent: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
};

/** A service that acts on the request and then loses its answer, each way the emulator can. */
const lostAnswers = [
  ['the connection is cut before any answer', { act: true, drop: true }],
  ['the answer is cut half-way', { then: 'handle-and-drop' }],
  ['the answer never comes (time-out)', { act: true, delayMs: 3000 }],
  ["a proxy's 502 replaces it", { act: true, status: 502, body: 'Bad Gateway' }],
  ["a proxy's 504 replaces it", { act: true, status: 504, body: 'Gateway Timeout' }],
  ['it is a 200 that cannot be read', { act: true, status: 200, body: '<html>ok</html>' }],
];

export const exactScenarios = [
  {
    name: 'a filter cancel of 1,667 runs cancels all of them, 100 a request, and ends on a pass that cancels nothing',
    runs: () => nightly(1_667),
    call: (api, c) => api.cancelRunsDetailed({ ...c, label: 'nightly' }),
    result: summary(1_667, 18, 18, 0, 0, false),
    attempts: 18,
    cancelled: oldest(1_667),
    check: counts(...Array(18).fill(null)),
  },
  {
    name: 'maxRequests: a filter cancel that reaches it is UNFINISHED with what it cancelled, after exactly that many requests',
    runs: () => nightly(1_667),
    call: (api, c) => api.cancelRuns({ ...c, label: 'nightly', maxRequests: 4 }),
    error: { code: 'UNFINISHED', field: 'maxRequests', limit: 4, cancelled: 400, unconfirmed: 0, message: /all 4 requests maxRequests allows/ },
    attempts: 4,
    cancelled: oldest(400),
  },
  {
    name: 'maxRequests: an id list that needs more requests is refused before anything is sent, with the figures',
    runs: () => nightly(3),
    call: (api, c) => api.cancelRuns({ ...c, workflowRunIds: ids(3_000), encoding: 'body', maxRequests: 2 }),
    error: { code: 'INVALID_OPTIONS', field: 'maxRequests', message: /is 2, and these 3000 ids take 3 requests before any retry; raise maxRequests, or cancel the list in parts of about 2000 ids/ },
    attempts: 0,
    cancelled: () => [],
  },
  {
    name: 'all: true cancels every run too, however many',
    runs: () => nightly(250),
    call: (api, c) => api.cancelRuns({ ...c, all: true }),
    result: 250,
    attempts: 4,
    cancelled: oldest(250),
  },
  {
    name: 'a cancel stopped by maxPasses is UNFINISHED, never done, with what it cancelled',
    runs: () => nightly(1_667),
    call: (api, c) => api.cancelRuns({ ...c, label: 'nightly', maxPasses: 5 }),
    error: { code: 'UNFINISHED', field: 'maxPasses', limit: 5, cancelled: 500, unconfirmed: 0, message: /maxPasses \(5\).*more may match/ },
    attempts: 5,
    cancelled: oldest(500),
  },
  {
    name: 'after UNFINISHED, calling again goes on with the runs left',
    runs: () => nightly(1_667),
    call: async (api, c) => {
      const first = await api.cancelRuns({ ...c, label: 'nightly', maxPasses: 5 }).catch((err) => `${err.code} ${err.cancelled}`);
      return [first, await api.cancelRuns({ ...c, label: 'nightly' })];
    },
    result: ['UNFINISHED 500', 1_167],
    cancelled: oldest(1_667),
  },
  {
    name: 'untilDone: false sends exactly one request and says more may match',
    runs: () => nightly(1_667),
    call: (api, c) => api.cancelRunsDetailed({ ...c, label: 'nightly', untilDone: false }),
    result: summary(100, 1, 1, 0, 0, true),
    attempts: 1,
    cancelled: oldest(100),
  },
  {
    name: 'count is a ceiling for the whole call: one request when the service does it all',
    runs: () => nightly(1_667),
    call: (api, c) => api.cancelRunsDetailed({ ...c, label: 'nightly', count: 250 }),
    result: summary(250, 1, 1, 0, 0, true),
    attempts: 1,
    cancelled: oldest(250),
    check: counts(250),
  },
  {
    name: 'count across passes: each pass asks for what is left of it',
    // The eight oldest runs refuse the first pass, so the first request cancels only 4 of 10.
    runs: () => nightly(12).map((run, i) => ({ ...run, refusals: i < 8 ? 1 : 0 })),
    call: (api, c) => api.cancelRunsDetailed({ ...c, label: 'nightly', count: 10 }),
    result: summary(10, 2, 2, 0, 0, true),
    attempts: 2,
    cancelled: (runs) => [...runs.slice(8), ...runs.slice(0, 6)].map((run) => run.id),
    check: counts(10, 6),
  },
  // count: 10 under every fault where the service acted and the answer was lost: sent once,
  // never again, and the error says how many runs the service may have cancelled.
  ...lostAnswers.map(([how, fault]) => ({
    name: `count: 10 is never exceeded when the service acts and ${how}`,
    // Chromium re-sends a request by itself when a reused connection closes before any answer
    // (pinned by the browser-only scenario below), so there only a cut after the answer began
    // holds the ceiling.
    runtimes: fault.drop ? ['node', 'workerd'] : undefined,
    runs: () => nightly(30),
    faults: () => [fault],
    call: (api, c) => api.cancelRuns({ ...c, label: 'nightly', count: 10, timeoutMs: 300, retry: fast }),
    error: { cancelled: 0, unconfirmed: 1, unconfirmedUpTo: 10, message: /may have cancelled up to 10 runs/ },
    attempts: 1,
    cancelled: oldest(10),
  })),
  {
    name: 'a browser re-sends by itself a request whose reused connection closed before any answer: count cannot hold there',
    runtimes: ['browser'],
    runs: () => nightly(30),
    faults: () => [{ act: true, drop: true }],
    call: async (api, c) => {
      // A request first, so the cancel goes out on a reused connection, as it does in a page
      // that has talked to the service before.
      await fetch(`${c.baseUrl}/__emulator/runs?token=${encodeURIComponent(c.token)}`).then((res) => res.text());
      return api.cancelRuns({ ...c, label: 'nightly', count: 10, untilDone: false, retry: false });
    },
    // The library sent one request and never saw the first answer fail: the browser sent it
    // twice. Hence the README: from a browser, go through a server-side proxy.
    result: 10,
    attempts: 2,
    cancelled: oldest(20),
  },
  {
    name: 'count: 10 is retried through a 429 and a 503, which say nothing was done',
    runs: () => nightly(30),
    faults: () => [{ status: 429, headers: { 'Retry-After': '0' } }, { status: 503, body: 'Service Unavailable' }],
    call: (api, c) => api.cancelRunsDetailed({ ...c, label: 'nightly', count: 10, retry: fast }),
    result: summary(10, 3, 1, 2, 0, true),
    attempts: 3,
    cancelled: oldest(10),
  },
  {
    name: 'without count a lost answer is retried (nothing beyond what was asked) and reported as unconfirmed',
    runs: () => nightly(150),
    faults: () => [{ then: 'handle-and-drop' }],
    call: (api, c) => api.cancelRunsDetailed({ ...c, label: 'nightly', retry: fast }),
    // The lost answer had cancelled 100; the retry cancels the other 50, then a pass cancels none.
    result: summary(50, 3, 2, 1, 1, false),
    attempts: 3,
    cancelled: oldest(150),
  },
  {
    name: 'a stop with a request in flight tells confirmed, unconfirmed and not sent apart, and they match the emulator',
    runs: () => nightly(3_000),
    // The first batch is answered; the second is acted on but its answer is held back until the abort.
    faults: () => [{ then: 'handle' }, { act: true, delayMs: 3000 }],
    call: (api, c) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 500);
      return api.cancelRuns({ ...c, workflowRunIds: ids(3_000), encoding: 'body', concurrency: 1, signal: controller.signal });
    },
    error: {
      code: 'ABORTED',
      cancelled: 1_000,
      unconfirmed: 1,
      unconfirmedRunIds: ids(1_000, 1_000),
      notCancelledRunIds: ids(1_000, 2_000),
      failedRunIds: ids(2_000, 1_000),
    },
    attempts: 2,
    // What the error says: 1,000 confirmed, 1,000 maybe (here: yes), 1,000 certainly not.
    cancelled: ids(2_000),
  },
  {
    name: 'a 401 after a lost answer: the lost batch is unconfirmed, the refused and unsent ones are not cancelled',
    runs: () => nightly(3_000),
    faults: () => [{ act: true, status: 502 }, { status: 401, body: { error: 'Unauthorized' } }],
    call: (api, c) => api.cancelRuns({ ...c, workflowRunIds: ids(3_000), encoding: 'body', concurrency: 1, retry: fast }),
    error: {
      code: 'UNAUTHORIZED',
      cancelled: 0,
      unconfirmed: 1,
      unconfirmedRunIds: ids(1_000),
      notCancelledRunIds: ids(2_000, 1_000),
    },
    attempts: 2,
    cancelled: ids(1_000),
  },
  {
    name: 'host and path filters are sent as repeated query parameters and match on the workflow URL',
    runs: () => [
      { id: 'h1', workflowUrl: 'https://a.test/api/one' },
      { id: 'h2', workflowUrl: 'https://b.test/api/one' },
      { id: 'h3', workflowUrl: 'https://a.test/api/two' },
      { id: 'h4', workflowUrl: 'https://c.test/api/one' },
    ],
    call: (api, c) => api.cancelRuns({ ...c, host: ['a.test', 'b.test'], path: '/api/one' }),
    result: 2,
    query: '?host=a.test&host=b.test&path=%2Fapi%2Fone',
    cancelled: ['h1', 'h2'],
  },
  {
    name: 'host and path are refused in the body form, naming the field',
    call: (api, c) => api.cancelRuns({ ...c, host: 'a.test', encoding: 'body' }),
    error: { code: 'INVALID_OPTIONS', field: 'host', message: /query form/ },
    cancelled: [],
  },
];
