// The fault-injection suite: what the library does when the network and the service misbehave.
// Each scenario injects faults into the emulator, runs one call where the runtime lives, and
// the runner checks the outcome, the requests the emulator received, and the runs it really
// cancelled. Plain ESM: the Worker loads this file too.
import { echoForms, sampleRuns } from './scenarios.mjs';

/** Fast retries, so the suite takes seconds. */
const fast = { retries: 5, baseDelayMs: 5, maxDelayMs: 20 };
const active = ['wfr_a1', 'wfr_a2', 'wfr_b1'];
const html = (status, text) => ({
  status,
  body: `<html><head><title>${status} ${text}</title></head><body><h1>${text}</h1></body></html>`,
  headers: { 'content-type': 'text/html' },
});
const ids = (n) => Array.from({ length: n }, (_, i) => `wfr_${String(i).padStart(6, '0')}`);
const runsWithIds = (n) => ids(n).map((id) => ({ id, workflowUrl: 'https://app.test/api/bulk', label: 'bulk' }));
/** A success: filter and `all` cancels end on a pass that cancels nothing (one request more). */
const summary = (cancelled, requests, passes, retries, unconfirmed = 0, moreMayMatch = false) =>
  ({ cancelled, requests, passes, retries, unconfirmed, moreMayMatch });
/** A check that the call waited (at least 900 ms) for `what` the service asked. */
const waitedFor = (what) => (outcome) => {
  if (outcome.elapsedMs < 900) throw new Error(`did not wait for ${what} (${outcome.elapsedMs} ms)`);
};

export const faultScenarios = [
  {
    name: 'a burst of 500/502/503/504 with HTML bodies is retried through',
    faults: () => [html(500, 'Internal Server Error'), html(502, 'Bad Gateway'), html(503, 'Service Unavailable'), html(504, 'Gateway Timeout')],
    call: (api, c) => api.cancelRunsDetailed({ ...c, all: true, retry: fast }),
    // A 500, 502 and 504 may come after the service acted: each is counted as unconfirmed.
    result: summary(3, 6, 2, 4, 3),
    attempts: 6,
    cancelled: active,
  },
  {
    name: 'a burst longer than the retries ends in HTTP_ERROR with the page title',
    faults: () => [html(503, 'Service Unavailable'), html(503, 'Service Unavailable'), html(503, 'Service Unavailable')],
    call: (api, c) => api.cancelRuns({ ...c, all: true, retry: { ...fast, retries: 2 } }),
    error: { code: 'HTTP_ERROR', status: 503, serverMessage: '503 Service Unavailable Service Unavailable', cancelled: 0 },
    attempts: 3,
    cancelled: [],
  },
  {
    name: '429 waits for Burst-RateLimit-Reset, then succeeds',
    faults: () => [{
      status: 429,
      body: { error: 'Too many requests' },
      headers: { 'Burst-RateLimit-Limit': '10', 'Burst-RateLimit-Remaining': '0', 'Burst-RateLimit-Reset': String(Math.floor(Date.now() / 1000) + 2) },
    }],
    call: (api, c) => api.cancelRunsDetailed({ ...c, all: true, retry: fast }),
    result: summary(3, 3, 2, 1),
    attempts: 3,
    cancelled: active,
    check: waitedFor('the reset'),
  },
  {
    name: '429 with retry: false is RATE_LIMITED with the rate-limit figures',
    faults: () => [{
      status: 429,
      body: { error: 'daily limit reached' },
      headers: { 'Retry-After': '7', 'RateLimit-Limit': '1000', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '1764003600' },
    }],
    call: (api, c) => api.cancelRuns({ ...c, all: true, retry: false }),
    error: {
      code: 'RATE_LIMITED',
      status: 429,
      serverMessage: 'daily limit reached',
      rateLimit: { limit: 1000, remaining: 0, reset: 1764003600, retryAfter: 7, retryAt: null },
      cancelled: 0,
    },
    attempts: 1,
    cancelled: [],
  },
  {
    name: 'a connection reset before the answer is retried',
    faults: () => [{ drop: true }],
    call: (api, c) => api.cancelRunsDetailed({ ...c, all: true, retry: fast }),
    // Nothing tells a reset before the answer from one after the service acted: unconfirmed.
    result: summary(3, 3, 2, 1, 1),
    attempts: 3,
    cancelled: active,
  },
  {
    // The service cancelled the runs but its answer was lost: the retry cancels none of them
    // twice, and the count cannot include them (nothing reports them), so the summary says one
    // request went unconfirmed. See docs/reliability.md.
    name: 'a connection cut after the answer started: retried, nothing cancelled twice, reported unconfirmed',
    faults: () => [{ then: 'handle-and-drop' }],
    call: (api, c) => api.cancelRunsDetailed({ ...c, all: true, retry: fast }),
    result: summary(0, 2, 1, 1, 1),
    attempts: 2,
    cancelled: active,
  },
  {
    name: 'a hanging server: every attempt times out, then TIMEOUT',
    faults: () => [{ delayMs: 3000 }, { delayMs: 3000 }],
    call: (api, c) => api.cancelRuns({ ...c, all: true, timeoutMs: 150, retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 5 } }),
    error: { code: 'TIMEOUT', cancelled: 0, message: /longer than 150 ms/ },
    attempts: 2,
    cancelled: [],
  },
  {
    name: 'deadlineMs bounds the whole call',
    faults: () => [{ delayMs: 3000 }],
    call: (api, c) => api.cancelRuns({ ...c, all: true, deadlineMs: 300 }),
    error: { code: 'TIMEOUT', cancelled: 0, message: /deadlineMs \(300 ms\)/ },
    attempts: 1,
    cancelled: [],
  },
  {
    name: 'malformed JSON in a 200 is INVALID_RESPONSE and not retried',
    faults: () => [{ status: 200, body: '{"cancelled": 3' }],
    call: (api, c) => api.cancelRuns({ ...c, all: true, retry: fast }),
    error: { code: 'INVALID_RESPONSE', status: 200, serverMessage: '{"cancelled": 3', cancelled: 0 },
    attempts: 1,
    cancelled: [],
  },
  {
    name: 'a 200 of the wrong shape is INVALID_RESPONSE',
    faults: () => [{ status: 200, body: { count: 3 } }],
    call: (api, c) => api.cancelRuns({ ...c, all: true }),
    error: { code: 'INVALID_RESPONSE', status: 200 },
    attempts: 1,
    cancelled: [],
  },
  {
    name: '100,000 ids in the body form are split into 1,000-id requests and all cancelled',
    runs: () => runsWithIds(100_000),
    call: (api, c, record) =>
      api.cancelRunsDetailed({ ...c, workflowRunIds: ids(100_000), encoding: 'body', onProgress: (p) => record.progress.push(p) }),
    result: summary(100_000, 100, 1, 0),
    attempts: 100,
    cancelled: ids(100_000),
    check: ({ record }) => {
      const totals = record.progress.map((p) => p.total);
      if (record.progress.length !== 100 || totals.at(-1) !== 100_000 || totals.some((t, i) => i > 0 && t <= totals[i - 1]))
        throw new Error(`progress: ${record.progress.length} events, last ${JSON.stringify(record.progress.at(-1))}`);
    },
  },
  {
    name: '20,000 ids in the (default) query form are split into URLs under 8,000 bytes',
    runs: () => runsWithIds(20_000),
    call: (api, c) => api.cancelRunsDetailed({ ...c, workflowRunIds: ids(20_000) }),
    cancelled: ids(20_000),
    check: ({ value }, { log, baseUrl }) => {
      const sizes = log.map((entry) => `${baseUrl}${entry.path}${entry.query}`.length);
      if (value.cancelled !== 20_000 || value.requests !== log.length || log.length < 60 || sizes.some((n) => n > 8000))
        throw new Error(`${JSON.stringify(value)}; ${log.length} requests, longest ${Math.max(...sizes)}`);
    },
  },
  {
    name: '401 in the middle of a long list reports what was cancelled and exactly the ids not done',
    runs: () => runsWithIds(2_500),
    faults: () => [{ then: 'handle' }, { status: 401, body: { error: 'Unauthorized' } }],
    call: (api, c) => api.cancelRuns({ ...c, workflowRunIds: ids(2_500), encoding: 'body', concurrency: 1, retry: fast }),
    error: {
      code: 'UNAUTHORIZED',
      status: 401,
      cancelled: 1_000,
      unconfirmed: 0,
      failedRunIds: ids(2_500).slice(1_000),
      unconfirmedRunIds: [],
      notCancelledRunIds: ids(2_500).slice(1_000),
    },
    attempts: 2,
    cancelled: ids(1_000),
  },
  {
    name: 'an abort during a rate-limit wait stops at once',
    faults: () => [{ status: 429, headers: { 'Retry-After': '30' } }],
    call: (api, c) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      return api.cancelRuns({ ...c, all: true, signal: controller.signal });
    },
    error: { code: 'ABORTED', cancelled: 0 },
    attempts: 1,
    cancelled: [],
    check: (outcome) => {
      if (outcome.elapsedMs > 5000) throw new Error(`the abort took ${outcome.elapsedMs} ms`);
    },
  },
  {
    name: 'an abort with a request in flight reports what was done',
    runs: () => runsWithIds(3_000),
    faults: () => [{ then: 'handle' }, { delayMs: 2000 }],
    call: (api, c) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 400);
      return api.cancelRuns({ ...c, workflowRunIds: ids(3_000), encoding: 'body', concurrency: 1, signal: controller.signal });
    },
    error: {
      code: 'ABORTED',
      cancelled: 1_000,
      failedRunIds: ids(3_000).slice(1_000),
      unconfirmedRunIds: ids(3_000).slice(1_000, 2_000),
      notCancelledRunIds: ids(3_000).slice(2_000),
    },
    attempts: 2,
    cancelled: ids(1_000),
  },
  {
    name: 'an already aborted signal sends nothing',
    call: (api, c) => api.cancelRuns({ ...c, all: true, signal: AbortSignal.abort() }),
    error: { code: 'ABORTED', cancelled: 0 },
    attempts: 0,
    cancelled: [],
  },
  {
    name: 'a redirect is not followed, so the token goes nowhere else',
    faults: (c) => [{ status: 307, headers: { location: `${c.baseUrl}/v2/workflows/runs?redirected=1` } }],
    call: (api, c) => api.cancelRuns({ ...c, all: true }),
    error: { code: 'HTTP_ERROR', status: 307, message: /redirect/ },
    attempts: 1,
    cancelled: [],
  },
  {
    name: 'untilDone repeats until a pass cancels nothing (runs that refuse a first pass)',
    runs: () => sampleRuns().map((run) => ({ ...run, refusals: { wfr_a1: 1, wfr_b1: 2 }[run.id] ?? 0 })),
    call: (api, c, record) => api.cancelRunsDetailed({ ...c, all: true, untilDone: true, onProgress: (p) => record.progress.push(p) }),
    result: summary(3, 4, 4, 0),
    attempts: 4,
    cancelled: active,
    check: ({ record }) => {
      const seen = record.progress.map((p) => [p.pass, p.cancelled, p.total].join('/')).join(' ');
      if (seen !== '1/1/1 2/1/2 3/1/3 4/0/3') throw new Error(`progress ${seen}`);
    },
  },
  {
    name: 'count is a ceiling for the whole call, not a page size',
    runs: () => ids(7).map((id, i) => ({ id, workflowUrl: 'https://app.test/api/page', label: 'page', createdAt: 1_700_000_000_000 + i })),
    call: (api, c) => api.cancelRunsDetailed({ ...c, label: 'page', count: 3, encoding: 'query' }),
    result: summary(3, 1, 1, 0, 0, true),
    attempts: 1,
    cancelled: ids(3),
    query: '?label=page&count=3',
  },
  {
    name: 'maxPasses stops a cancel that is not done: UNFINISHED with the count so far',
    runs: () => runsWithIds(250),
    call: (api, c) => api.cancelRunsDetailed({ ...c, label: 'bulk', maxPasses: 2 }),
    error: { code: 'UNFINISHED', cancelled: 200 },
    attempts: 2,
    cancelled: ids(200),
  },
  {
    name: 'an onProgress that throws does not stop the cancel',
    call: (api, c) => api.cancelRuns({ ...c, all: true, onProgress: () => { throw new Error('ui broke'); } }),
    result: 3,
    attempts: 2,
    cancelled: active,
  },
  {
    name: '429 with Retry-After as an HTTP date waits for that date',
    faults: () => [{ status: 429, headers: { 'Retry-After': new Date(Date.now() + 2000).toUTCString() } }],
    call: (api, c) => api.cancelRunsDetailed({ ...c, all: true, retry: fast }),
    result: summary(3, 3, 2, 1),
    attempts: 3,
    cancelled: active,
    check: waitedFor('the date'),
  },
  {
    name: '503 with Retry-After waits what it asked, not the backoff',
    faults: () => [{ status: 503, headers: { 'Retry-After': '1' } }],
    call: (api, c) => api.cancelRunsDetailed({ ...c, all: true, retry: fast }),
    result: summary(3, 3, 2, 1),
    attempts: 3,
    cancelled: active,
    check: waitedFor('Retry-After'),
  },
  {
    name: '429 asking for an hour gives up at once and says how long it asked',
    faults: () => [{ status: 429, headers: { 'Retry-After': '3600', 'Burst-RateLimit-Reset': '2e20' } }],
    call: (api, c) => api.cancelRuns({ ...c, all: true, retry: fast }),
    error: { code: 'RATE_LIMITED', message: /asked to wait 3600 s, longer than the 60 s/, cancelled: 0 },
    attempts: 1,
    cancelled: [],
  },
  {
    name: 'a proxy\'s 520 is retried, a 501 is not',
    faults: () => [{ status: 520, body: 'origin error' }, { status: 501, body: 'Not Implemented' }],
    call: (api, c) => api.cancelRuns({ ...c, all: true, retry: fast }),
    error: { code: 'HTTP_ERROR', status: 501, serverMessage: 'Not Implemented', cancelled: 0 },
    attempts: 2,
    cancelled: [],
  },
  {
    name: 'an async onProgress that rejects does not stop the cancel',
    call: (api, c) => api.cancelRuns({ ...c, all: true, onProgress: async () => { throw new Error('ui broke'); } }),
    result: 3,
    attempts: 2,
    cancelled: active,
  },
  {
    name: 'a 50 MB error answer is read only up to 64 KiB',
    faults: () => [{ status: 500, flood: { bytes: 50_000_000 } }],
    call: (api, c) => api.cancelRuns({ ...c, all: true, retry: false }),
    error: { code: 'HTTP_ERROR', status: 500, serverMessage: /^x{200}…$/ },
    attempts: 1,
    cancelled: [],
    check: (_, { log }) => {
      if (!(log[0].sentBytes < 20_000_000)) throw new Error(`the client took ${log[0].sentBytes} bytes`);
    },
  },
  {
    name: 'a gzip bomb in a 200 after the service acted is INVALID_RESPONSE, read no further, not retried',
    faults: () => [{ status: 200, then: 'handle', flood: { bytes: 300_000_000, gzip: true } }],
    call: (api, c) => api.cancelRuns({ ...c, all: true, retry: fast }),
    error: { code: 'INVALID_RESPONSE', status: 200, message: /longer than 65536 bytes/ },
    attempts: 1,
    cancelled: active,
  },
  {
    name: 'an answer that never ends is cut by the attempt time-out',
    faults: () => [{ endless: true }],
    call: (api, c) => api.cancelRuns({ ...c, all: true, timeoutMs: 300, retry: false }),
    error: { code: 'TIMEOUT', message: /longer than 300 ms/ },
    attempts: 1,
    cancelled: [],
  },
  {
    // A filter's pass has no bound on its count (an id request's is its ids: a larger count is
    // refused, 'a count larger than the request could cancel…').
    name: 'totals past 2^53-1 stop there: the summary and the error keep every detail',
    faults: () => [{ status: 200, body: '{"cancelled":9007199254740991}' }, { status: 200, body: '{"cancelled":9007199254740991}' }],
    call: (api, c) => api.cancelRunsDetailed({ ...c, workflowUrl: 'https://app.test/api/none' }),
    result: summary(9_007_199_254_740_991, 3, 3, 0),
    attempts: 3,
    cancelled: [],
  },
  {
    name: 'a total past 2^53-1 and then a 401: the error keeps its status and count',
    faults: () => [{ status: 200, body: '{"cancelled":9007199254740991}' }, { status: 401, body: { error: 'Unauthorized' } }],
    call: (api, c) => api.cancelRuns({ ...c, workflowUrl: 'https://app.test/api/none' }),
    error: { code: 'UNAUTHORIZED', status: 401, cancelled: 9_007_199_254_740_991 },
    attempts: 2,
    cancelled: [],
  },
  {
    name: 'a count larger than the request could cancel is not taken: INVALID_RESPONSE, not retried, its runs unconfirmed',
    runs: () => runsWithIds(2),
    faults: () => [{ status: 200, body: '{"cancelled":5000}' }],
    call: (api, c) => api.cancelRuns({ ...c, workflowRunIds: ids(2) }),
    error: { code: 'INVALID_RESPONSE', status: 200, cancelled: 0, unconfirmed: 1, unconfirmedRunIds: ids(2), notCancelledRunIds: [], message: /a count of 5000 for a request that could cancel at most 2 runs/ },
    attempts: 1,
    cancelled: [],
  },
  {
    // The service acted (2, the count sent) and answered 3: past its count, the count bounds
    // nothing (a service may ignore it), so no "up to 2" is claimed.
    name: 'a filter pass answered with more than the count it sent: INVALID_RESPONSE naming count, no bound claimed',
    faults: () => [{ act: true, status: 200, body: '{"cancelled":3}' }],
    call: (api, c) => api.cancelRuns({ ...c, label: 'nightly', count: 2, encoding: 'query' }),
    error: { code: 'INVALID_RESPONSE', status: 200, cancelled: 0, unconfirmed: 1, unconfirmedUpTo: undefined, message: /a count of 3 for a request that could cancel at most 2 runs if the service honours count \(it may ignore it/ },
    attempts: 1,
    cancelled: ['wfr_a1', 'wfr_b1'],
  },
  // Servers that echo the token back, in each form, across the kinds of answers: the runner
  // checks that no 12-character piece of any form reaches the error.
  ...Object.keys(echoForms('x')).flatMap((form, i) => [200, 401, 403, 429, 500, 503].map((status, j) => ({
    name: `a ${status} echoing the token (${form}) is withheld`,
    token: (fresh) => `${fresh}/+Zm9vYmFy=`,
    faults: (c) => [{ status, body: (i + j) % 2 ? `Authorization: Bearer ${echoForms(c.token)[form]}` : { error: `bad token ${echoForms(c.token)[form]}` } }],
    call: (api, c) => api.cancelRuns({ ...c, all: true, retry: false }),
    error: { status, serverMessage: '[withheld: the text contained the token or a piece of it]' },
    attempts: 1,
    cancelled: [],
  }))),
];
