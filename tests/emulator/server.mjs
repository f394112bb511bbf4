// A local emulator of QStash's bulk-cancel endpoint (DELETE /v2/workflows/runs), with no
// dependencies, for tests and the demo. It is a test tool, not a server to expose: it listens on
// loopback only, and its control API answers any origin and hands out the logged
// `Authorization` headers (tests check them). It follows the service contract:
// both encodings, prefix or exact URL match, OR within a filter and AND across filters, date
// ranges, host and path of the workflow URL (exact matches: the service's docs do not say more),
// `count` per call (default 100, as the service's API reference gives it), only active runs
// cancellable, runs that refuse a first pass, CORS.
//
// Accounts are keyed by token, so concurrent tests (even `all: true` ones) never see each
// other's runs: seeding runs for a token creates that account.
//
// Control API (JSON), every call taking ?token= (default: the development token):
//   POST /__emulator/runs      [run, ...]      add or replace runs
//   GET  /__emulator/runs                      runs with their states
//   GET  /__emulator/log                       the requests the endpoint received
//   POST /__emulator/faults    [fault, ...]    one fault for each of the next requests:
//        { delayMs }                       wait first (then answer as below)
//        { status, body, headers }         answer this instead of handling the request
//        { drop: true }                    close the connection without an answer, nothing cancelled
//        { then: "handle" }                handle the request normally (after delayMs)
//        { then: "handle-and-drop" }       cancel as asked, start the answer, then cut the connection
//        { act: true, ... }                cancel as asked first, then apply the rest of the fault
//                                          (drop, delayMs, status): the service acted and its
//                                          answer was lost or replaced by a proxy's
//        { flood: { bytes, gzip? } }       answer `status` with `bytes` of filler (gzip-encoded on
//                                          the fly: a "gzip bomb"), as fast as the client reads;
//                                          with then: "handle", after cancelling as asked
//        { endless: true }                 answer `status`, then a byte every 50 ms, never ending
//   A log entry's `sentBytes` tells how much of a flood the client took before it hung up.
//   POST /__emulator/reset                     forget the account
//   POST /__emulator/bulk-actions [action, ...]  add bulk actions as they are (paging, expiry)
//   POST /__emulator/bulk-speed { perTick, tickMs }  how fast async cancels go (default 25 / 100 ms)
//
// Bulk actions, as the service documents them: every filter or all cancel creates one (a cancel
// of ids does not). Without async it is FINISHED at once; with `async=true` the answer is
// `{"actionId"}` at once and the runs are processed `perTick` at a time, `processed` counting up,
// until FINISHED. GET /v2/workflows/bulkActions/{id} reads one (404 "Bulk action not found");
// GET /v2/workflows/bulkActions?cursor=&count=&state= pages in creation order, `count` actions
// scanned a page (default 100, at most 1000) with `state` applied to each page separately, so a
// page may hold fewer, or none, while more remain; a cursor is given while more remain. Actions
// older than 7 days are gone.
// A run: { id, workflowUrl, label?, createdAt? (ms), callerIp?, flowControlKey?,
//          state? ("RUN_STARTED" = active, default), refusals? (passes it refuses to cancel) }
import http from 'node:http';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';

export const DEV_TOKEN = 'eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=';
const ENDPOINT = '/v2/workflows/runs';
const BULK = '/v2/workflows/bulkActions';
const WEEK_MS = 7 * 24 * 3_600_000;
const MULTI = ['workflowUrl', 'label', 'callerIp', 'flowControlKey', 'host', 'path', 'workflowRunIds'];
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'DELETE, GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, cancel-all-runs',
  'access-control-expose-headers':
    'retry-after, burst-ratelimit-limit, burst-ratelimit-remaining, burst-ratelimit-reset, ratelimit-limit, ratelimit-remaining, ratelimit-reset',
  'access-control-max-age': '600',
};

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function createEmulator({ defaultCount = 100 } = {}) {
  const accounts = new Map();
  const account = (token, create) => {
    if (!accounts.has(token) && create) {
      accounts.set(token, { runs: new Map(), log: [], faults: [], actions: [], speed: { perTick: 25, tickMs: 100 } });
    }
    return accounts.get(token);
  };
  const timers = new Set();
  account(DEV_TOKEN, true);

  async function handle(req, res) {
    const url = new URL(req.url, 'http://emulator');
    const body = await readBody(req);
    if (req.method === 'OPTIONS') return send(res, 204, '');
    if (url.pathname.startsWith('/__emulator/')) return control(req, res, url, body);
    const bulk = url.pathname === BULK || url.pathname.startsWith(`${BULK}/`);
    if (!bulk && !url.pathname.endsWith(ENDPOINT)) return send(res, 404, { error: 'not found' });
    if (req.method !== (bulk ? 'GET' : 'DELETE')) return send(res, 405, { error: 'method not allowed' });
    const auth = req.headers.authorization ?? '';
    const acct = auth.startsWith('Bearer ') ? account(auth.slice(7), false) : undefined;
    if (!acct) return send(res, 401, { error: 'Unauthorized' });
    acct.log.push({
      seq: acct.log.length,
      method: req.method,
      path: url.pathname,
      query: url.search,
      contentType: req.headers['content-type'] ?? null,
      authorization: auth,
      cancelAll: req.headers['cancel-all-runs'] ?? null,
      body,
    });
    const fault = acct.faults.shift();
    if (fault) {
      if (fault.act) {
        try {
          cancel(acct, parseRequest(url.searchParams, body));
        } catch (err) {
          if (!(err instanceof HttpError)) throw err;
        }
      }
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.drop) return req.socket.destroy();
      if (fault.endless) return trickle(res, fault.status ?? 200);
      if (fault.flood) {
        if (fault.then === 'handle') cancel(acct, parseRequest(url.searchParams, body));
        return flood(res, fault.status ?? 200, fault.flood, acct.log.at(-1));
      }
      if (fault.then === undefined) {
        const payload = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body ?? {});
        return send(res, fault.status ?? 500, payload, fault.headers);
      }
    }
    if (bulk) return bulkRoute(res, acct, url);
    try {
      const request = parseRequest(url.searchParams, body);
      if (request.background) return send(res, 200, { actionId: startInBackground(acct, request) });
      const cancelled = cancel(acct, request);
      if (fault?.then === 'handle-and-drop') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '64', ...CORS });
        res.write('{"cancelled":');
        return setTimeout(() => req.socket.destroy(), 20);
      }
      send(res, 200, { cancelled });
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      send(res, err.status, { error: err.message });
    }
  }

  function cancel(acct, { ids, filters, count }) {
    // Ids are looked up directly (each once), so a 100,000-id cancel costs the emulator a lookup
    // per id, not a scan of the account per request; filters scan, as they must.
    const active = (run) => run?.state === 'RUN_STARTED';
    const chosen = ids
      ? [...new Set(ids)].map((id) => acct.runs.get(id)).filter(active)
      : [...acct.runs.values()].filter((run) => active(run) && matches(run, filters)).sort((a, b) => a.createdAt - b.createdAt);
    const limit = ids ? Infinity : count ?? defaultCount;
    let cancelled = 0;
    let processed = 0;
    for (const run of chosen) {
      if (cancelled >= limit) break;
      processed += 1;
      if (tryCancel(run)) cancelled += 1;
    }
    if (!ids) {
      const now = Date.now();
      newAction(acct, filters, { state: 'FINISHED', total: processed, processed, completedAt: now });
    }
    return cancelled;
  }

  /** Cancels `run` unless it refuses this pass. */
  function tryCancel(run) {
    if (run.refusals > 0) {
      run.refusals -= 1;
      return false;
    }
    run.state = 'RUN_CANCELED';
    return true;
  }

  function newAction(acct, filters, fields) {
    const filter = Object.fromEntries(Object.entries(filters).map(([key, value]) => [key, [value].flat().map(String)]));
    const action = { actionId: `ba_${randomId()}`, kind: 'cancel', createdAt: Date.now(), filter, ...fields };
    acct.actions.push(action);
    return action;
  }

  /** An async=true cancel: every matching run, `perTick` at a time, `processed` counting up. */
  function startInBackground(acct, { filters }) {
    const queue = [...acct.runs.values()]
      .filter((run) => run.state === 'RUN_STARTED' && matches(run, filters))
      .sort((a, b) => a.createdAt - b.createdAt);
    const action = newAction(acct, filters, { state: 'IN_PROGRESS', total: queue.length, processed: 0 });
    const tick = () => {
      for (const run of queue.splice(0, acct.speed.perTick)) {
        if (run.state === 'RUN_STARTED') tryCancel(run);
        action.processed += 1;
      }
      if (queue.length > 0) return schedule();
      action.state = 'FINISHED';
      action.completedAt = Date.now();
    };
    const schedule = () => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        tick();
      }, acct.speed.tickMs);
      timers.add(timer);
    };
    if (queue.length === 0) tick();
    else schedule();
    return action.actionId;
  }

  /** The bulk-action routes: one action, or one page of them. */
  function bulkRoute(res, acct, url) {
    acct.actions = acct.actions.filter((action) => action.createdAt > Date.now() - WEEK_MS);
    if (url.pathname !== BULK) {
      const id = decodeURIComponent(url.pathname.slice(BULK.length + 1));
      const action = acct.actions.find((a) => a.actionId === id);
      return action ? send(res, 200, action) : send(res, 404, { error: 'Bulk action not found' });
    }
    const params = url.searchParams;
    const start = params.has('cursor') ? Number(params.get('cursor').replace(/^c/, '')) : 0;
    if (!Number.isInteger(start) || start < 0) return send(res, 400, { error: 'invalid cursor' });
    const scan = Math.min(Number(params.get('count') ?? 100) || 100, 1000);
    const state = params.get('state');
    if (state !== null && !['IN_PROGRESS', 'FINISHED'].includes(state)) return send(res, 400, { error: 'invalid state' });
    const page = acct.actions.slice(start, start + scan);
    const more = start + scan < acct.actions.length;
    return send(res, 200, {
      bulkActions: page.filter((a) => state === null || a.state === state),
      ...(more ? { cursor: `c${start + scan}` } : {}),
    });
  }

  function control(req, res, url, body) {
    const token = url.searchParams.get('token') ?? DEV_TOKEN;
    const route = `${req.method} ${url.pathname}`;
    if (route === 'POST /__emulator/runs') {
      const acct = account(token, true);
      for (const run of JSON.parse(body || '[]')) {
        acct.runs.set(run.id, {
          label: null,
          callerIp: null,
          flowControlKey: null,
          createdAt: Date.now(),
          state: 'RUN_STARTED',
          refusals: 0,
          ...run,
        });
      }
      return send(res, 200, { runs: acct.runs.size });
    }
    const acct = account(token, false);
    if (route === 'POST /__emulator/reset') {
      accounts.delete(token);
      return send(res, 200, {});
    }
    if (!acct) return send(res, 404, { error: 'no such account' });
    if (route === 'GET /__emulator/runs') return send(res, 200, [...acct.runs.values()]);
    if (route === 'GET /__emulator/log') return send(res, 200, acct.log);
    if (route === 'POST /__emulator/bulk-actions') {
      acct.actions.push(...JSON.parse(body || '[]'));
      return send(res, 200, { actions: acct.actions.length });
    }
    if (route === 'GET /__emulator/bulk-actions') return send(res, 200, acct.actions);
    if (route === 'POST /__emulator/bulk-speed') {
      acct.speed = { ...acct.speed, ...JSON.parse(body || '{}') };
      return send(res, 200, acct.speed);
    }
    if (route === 'POST /__emulator/faults') {
      acct.faults.push(...JSON.parse(body || '[]'));
      return send(res, 200, { faults: acct.faults.length });
    }
    return send(res, 404, { error: `unknown control route ${route}` });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => send(res, 500, { error: String(err?.message ?? err) }));
  });
  return {
    server,
    async listen(port = 0, host = '127.0.0.1') {
      if (!['127.0.0.1', '::1', 'localhost'].includes(host)) throw new Error('the emulator listens on loopback only');
      await new Promise((resolve) => server.listen(port, host, resolve));
      return `http://${host}:${server.address().port}`;
    },
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}

/** Starts an emulator on a free loopback port; resolves to `{ url, close }`. */
export async function startEmulator() {
  const emulator = createEmulator();
  return { url: await emulator.listen(), close: () => emulator.close() };
}

/** The cancel request in either encoding: query parameters win when any is present. */
function parseRequest(params, body) {
  const keys = [...params.keys()];
  const source = keys.length > 0 ? fromQuery(params) : fromBody(body);
  const { workflowRunIds, count, async: background, ...filters } = source;
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) throw new HttpError(400, 'count must be a positive integer');
  if (background && workflowRunIds) throw new HttpError(400, 'async applies to filter cancels');
  return { ids: workflowRunIds, filters, count, background: background === true };
}

function fromQuery(params) {
  const out = {};
  for (const key of MULTI) {
    const values = params.getAll(key).flatMap((v) => v.split(',')).filter((v) => v !== '');
    if (values.length > 0) out[key] = values;
  }
  for (const key of ['fromDate', 'toDate', 'count']) {
    if (!params.has(key)) continue;
    const n = Number(params.get(key));
    if (!Number.isInteger(n)) throw new HttpError(400, `${key} must be an integer`);
    out[key] = n;
  }
  if (params.has('workflowUrlExactMatch')) out.workflowUrlExactMatch = params.get('workflowUrlExactMatch') === 'true';
  if (params.has('async')) out.async = params.get('async') === 'true';
  return out;
}

function fromBody(body) {
  if (body.trim() === '') return {};
  let doc;
  try {
    doc = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new HttpError(400, 'request body must be an object');
  const out = {};
  // Like the real service, fields it does not know are ignored.
  if ('workflowRunIds' in doc) {
    if (!Array.isArray(doc.workflowRunIds) || doc.workflowRunIds.some((id) => typeof id !== 'string'))
      throw new HttpError(400, 'workflowRunIds must be an array of strings');
    if (doc.workflowRunIds.length > 0) out.workflowRunIds = doc.workflowRunIds;
  }
  for (const key of ['workflowUrl', 'label']) {
    if (!(key in doc)) continue;
    if (typeof doc[key] !== 'string') throw new HttpError(400, `${key} must be a string`);
    out[key] = [doc[key]];
  }
  for (const key of ['fromDate', 'toDate']) {
    if (!(key in doc)) continue;
    if (!Number.isInteger(doc[key])) throw new HttpError(400, `${key} must be an integer`);
    out[key] = doc[key];
  }
  return out;
}

function randomId() {
  return Math.random().toString(36).slice(2, 12);
}

function matches(run, f) {
  const any = (values, test) => values === undefined || values.some(test);
  return (
    any(f.workflowUrl, (u) => (f.workflowUrlExactMatch ? run.workflowUrl === u : run.workflowUrl.startsWith(u))) &&
    any(f.label, (l) => run.label === l) &&
    any(f.callerIp, (ip) => run.callerIp === ip) &&
    any(f.flowControlKey, (k) => run.flowControlKey === k) &&
    any(f.host, (h) => new URL(run.workflowUrl).host === h) &&
    any(f.path, (p) => new URL(run.workflowUrl).pathname === p) &&
    (f.fromDate === undefined || run.createdAt >= f.fromDate) &&
    (f.toDate === undefined || run.createdAt <= f.toDate)
  );
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** `bytes` of filler as fast as the client takes them (optionally gzip-encoded), until it hangs up. */
function flood(res, status, { bytes, gzip = false }, entry) {
  const headers = { 'content-type': 'text/plain', ...CORS, ...(gzip ? { 'content-encoding': 'gzip' } : {}) };
  res.writeHead(status, headers);
  const sink = gzip ? zlib.createGzip() : res;
  if (gzip) sink.pipe(res);
  const chunk = Buffer.alloc(1 << 16, gzip ? 0 : 'x');
  entry.sentBytes = 0;
  let closed = false;
  res.on('close', () => (closed = true));
  const pump = () => {
    while (!closed && entry.sentBytes < bytes) {
      entry.sentBytes += chunk.length;
      if (!sink.write(chunk)) return sink.once('drain', pump);
    }
    if (!closed) sink.end();
  };
  pump();
}

/** An answer that starts and never ends: one byte every 50 ms until the client hangs up. */
function trickle(res, status) {
  res.writeHead(status, { 'content-type': 'application/json', ...CORS });
  res.write('{');
  const timer = setInterval(() => res.write(' '), 50);
  res.on('close', () => clearInterval(timer));
}

function send(res, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  res.writeHead(status, { 'content-type': type, ...CORS, ...headers });
  res.end(text);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const portArg = process.argv.indexOf('--port');
  const emulator = createEmulator();
  const url = await emulator.listen(portArg > 0 ? Number(process.argv[portArg + 1]) : 0);
  console.log(`QSTASH_EMULATOR_URL=${url}`);
  // The account every call without ?token= uses: what a client run by hand connects with.
  console.log(`QSTASH_EMULATOR_TOKEN=${DEV_TOKEN}`);
  const stop = () => emulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
