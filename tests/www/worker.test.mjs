// The admin Worker in workerd: authentication, guard rails, both encodings, error shapes, and
// Client.fromEnv, each checked against the emulator's request log and run states.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, callWorker, startAdminWorker, startEmulator } from './harness.mjs';
import { seedRuns, cancelledIds, getLog, injectFaults, freshToken, seedActions } from '../emulator/control.mjs';
import { echoForms, leakIn } from '../package/scenarios.mjs';
import { cancelRuns, listAllBulkActions, waitForBulkAction } from '../../pkg/node.js';

const runs = [
  { id: 'r1', workflowUrl: 'https://shop.example.com/api/workflows/checkout', label: 'nightly' },
  { id: 'r2', workflowUrl: 'https://shop.example.com/api/workflows/refund', label: 'nightly' },
  { id: 'r3', workflowUrl: 'https://mail.example.com/api/workflows/digest', label: 'adhoc' },
];

let emulator;
test.before(async () => (emulator = await startEmulator()));
test.after(() => emulator.close());

/** A Worker over a fresh account seeded with `runs`; closed after `fn`. */
async function withWorker(bindings, fn) {
  // Shaped like the service's tokens (base64), so echoes of it differ in every encoded form.
  const token = `${freshToken('worker')}/+Zm9v=`;
  await seedRuns(emulator.url, token, runs);
  const worker = await startAdminWorker(emulator.url, token, bindings);
  try {
    await fn(worker.url, token);
  } finally {
    await worker.close();
  }
}

test('the admin credential is required and compared exactly', () =>
  withWorker({}, async (url, token) => {
    for (const auth of ['', 'Bearer', `Bearer ${ADMIN}x`, `Bearer ${ADMIN.slice(0, -1)}`, ADMIN, `Basic ${ADMIN}`]) {
      const res = await callWorker(url, { auth, body: '{"label":"nightly"}' });
      assert.equal(res.status, 401, String(auth));
      assert.deepEqual(res.json, { error: 'the admin credential was refused' });
    }
    assert.equal((await getLog(emulator.url, token)).length, 0, 'nothing was forwarded');
  }));

test('with ADMIN_TOKEN unset, empty, not a string or shorter than 16 characters, the Worker accepts no credential and names the secret', async () => {
  const token = freshToken('worker-no-admin');
  await seedRuns(emulator.url, token, runs);
  for (const [admin, tries] of [
    [undefined, ['Bearer undefined', 'Bearer', '']],
    ['', ['Bearer ', 'Bearer']],
    ['  ', ['Bearer   ', 'Bearer']],
    [{ nested: true }, ['Bearer [object Object]']],
    ['admin', ['Bearer admin']],
    ['x'.repeat(15), [`Bearer ${'x'.repeat(15)}`]],
  ]) {
    const worker = await startAdminWorker(emulator.url, token, { ADMIN_TOKEN: admin });
    try {
      for (const auth of tries) {
        const res = await callWorker(worker.url, { auth, query: '?workflowRunIds=r1' });
        assert.equal(res.status, 500, `${JSON.stringify(admin)} / ${auth}`);
        assert.match(res.json.error, /^this Worker is not configured: the ADMIN_TOKEN secret is (not set|shorter than 16 characters, too easy to guess), so no credential is accepted/);
      }
    } finally {
      await worker.close();
    }
  }
  assert.equal((await getLog(emulator.url, token)).length, 0, 'nothing was forwarded');
});

test('both encodings are accepted and forwarded in the query form only, one request each', () =>
  withWorker({}, async (url, token) => {
    let res = await callWorker(url, { body: '{"label":"nightly","workflowUrl":"https://shop.example.com/api/workflows/refund"}' });
    assert.deepEqual([res.status, res.json], [200, { cancelled: 1 }]);
    res = await callWorker(url, { query: '?label=adhoc&label=nightly&workflowUrl=https%3A%2F%2Fmail.example.com&host=mail.example.com&path=%2Fapi%2Fworkflows%2Fdigest' });
    assert.deepEqual([res.status, res.json], [200, { cancelled: 1 }]);
    assert.deepEqual(await cancelledIds(emulator.url, token), ['r2', 'r3']);
    const log = await getLog(emulator.url, token);
    assert.equal(log.length, 2, 'one upstream request each: the caller repeats passes itself');
    assert.deepEqual([log[0].query, log[0].body, log[0].contentType],
      ['?workflowUrl=https%3A%2F%2Fshop.example.com%2Fapi%2Fworkflows%2Frefund&label=nightly', '', null], 'no body on the hop to the service');
    assert.equal(log[1].query, '?workflowUrl=https%3A%2F%2Fmail.example.com&label=adhoc&label=nightly&host=mail.example.com&path=%2Fapi%2Fworkflows%2Fdigest');
    assert.equal(log[0].authorization, `Bearer ${token}`, 'the proxy sends its own token');
    res = await callWorker(url, { body: '{"label":"a,b"}' });
    assert.equal(res.status, 400);
    assert.match(res.json.error, /^the proxy forwards every cancel in the query form; label: must not contain a comma/);
  }));

const ALL = { 'cancel-all-runs': 'true' };

test('names on Object.prototype are unknown keys like any other, in the query, the body and the bulk list', () =>
  withWorker({}, async (url, token) => {
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf']) {
      let res = await callWorker(url, { query: `?${key}=x` });
      assert.deepEqual([res.status, res.json], [400, { error: `unknown query parameter ${key}` }], key);
      res = await callWorker(url, { query: `?label=nightly&${key}=x` });
      assert.deepEqual([res.status, res.json], [400, { error: `unknown query parameter ${key}` }], key);
      res = await callWorker(url, { body: JSON.stringify({ label: 'nightly', [key]: 'x' }) });
      assert.deepEqual([res.status, res.json], [400, { error: `unknown field ${key} in the request body` }], key);
      res = await fetch(`${url}/v2/workflows/bulkActions?${key}=1`, { headers: { authorization: `Bearer ${ADMIN}` } });
      assert.deepEqual([res.status, await res.json()], [400, { error: `unknown query parameter ${key}` }], key);
    }
    assert.equal((await getLog(emulator.url, token)).length, 0, 'nothing was forwarded');
  }));

test('a request with both a query and a body is refused, whichever names what: the body was once ignored', () =>
  withWorker({}, async (url, token) => {
    for (const [query, body] of [
      ['?label=nightly', '{"workflowRunIds":["r1"]}'],
      ['?workflowRunIds=r3', '{"label":"nightly"}'],
      ['?label=nightly', '{}'],
      ['?async=true', '{"workflowRunIds":["r1"]}'],
    ]) {
      const res = await callWorker(url, { query, body });
      assert.equal(res.status, 400, `${query} + ${body}`);
      assert.equal(res.json.error, 'a cancel is sent either in the query or in the body, not both: this request has both');
    }
    const res = await callWorker(url, { query: '?workflowRunIds=r3', body: ' \n' });
    assert.deepEqual([res.status, res.json], [200, { cancelled: 1 }], 'a blank body is no body');
    assert.deepEqual(await cancelledIds(emulator.url, token), ['r3'], 'only the request without a body was carried out');
    assert.equal((await getLog(emulator.url, token)).length, 1);
  }));

test('refusals use the service error shape and a fitting status', () =>
  withWorker({ ALLOW_CANCEL_ALL: 'false' }, async (url, token) => {
    const cases = [
      [{ body: '{}' }, 400, /names nothing to cancel; to cancel every run, send the header Cancel-All-Runs: true/],
      [{ body: '' }, 400, /names nothing to cancel/],
      [{}, 400, /names nothing to cancel/],
      [{ body: '{}', headers: ALL }, 403, /cancelling every run is disabled/],
      [{ headers: ALL }, 403, /cancelling every run is disabled/],
      [{ headers: { 'cancel-all-runs': 'yes' } }, 400, /must be "true"/],
      [{ body: '{"label":"x"}', headers: ALL }, 400, /cannot be combined with label/],
      [{ body: '{"lable":"x"}' }, 400, /unknown field lable/],
      [{ body: '{"all":true}' }, 400, /unknown field all/],
      [{ body: 'nope' }, 400, /not JSON/],
      [{ body: '[1]' }, 400, /JSON object/],
      [{ query: '?lable=x' }, 400, /unknown query parameter lable/],
      [{ query: `?${'k'.repeat(10_000)}=x` }, 400, /^unknown query parameter k{64}$/],
      [{ body: '{"fromDate":1700000000}' }, 400, /fromDate: must be Unix milliseconds/],
      [{ body: '{"workflowRunIds":[]}' }, 400, /workflowRunIds: must not be empty/],
      [{ body: '{"workflowUrl":5}' }, 400, /workflowUrl: must be a string/],
      [{ body: '{"workflowUrl":[{}]}' }, 400, /workflowUrl/],
      [{ body: '{"label":"a\\ud800"}' }, 400, /label: must be well-formed Unicode/],
      [{ query: '?workflowUrl=https%3A%2F%2Fa.test&workflowUrlExactMatch=1' }, 400, /workflowUrlExactMatch must be "true" or "false"/],
      [{ query: '?workflowUrl=https%3A%2F%2Fa.test&workflowUrlExactMatch=True' }, 400, /workflowUrlExactMatch must be/],
      [{ query: '?fromDate=1e12' }, 400, /fromDate must be a whole number/],
      [{ query: '?fromDate=1700000000000&fromDate=1' }, 400, /fromDate is given more than once/],
      [{ query: '?label=a,,b' }, 400, /label\[1\]: must not be empty/],
      [{ body: JSON.stringify({ workflowRunIds: ['x'.repeat(2_000_000)] }) }, 413, /over 65536 bytes/],
      [{ method: 'POST', body: '{}' }, 405, /use DELETE/],
    ];
    for (const [request, status, message] of cases) {
      const res = await callWorker(url, request);
      assert.equal(res.status, status, JSON.stringify(request).slice(0, 200));
      assert.deepEqual(Object.keys(res.json), ['error']);
      assert.match(res.json.error, message);
    }
    // A chunked body that never says how long it is, over the limit, is refused as it streams.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(32 * 1024)));
        controller.close();
      },
    });
    const res = await fetch(`${url}/v2/workflows/runs`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` }, body: stream, duplex: 'half' });
    assert.equal(res.status, 413);
    assert.equal((await getLog(emulator.url, token)).length, 0);
  }));

test('ALLOW_CANCEL_ALL refuses requests naming no filter; a date range over all time is a filter', () =>
  withWorker({ ALLOW_CANCEL_ALL: 'false' }, async (url, token) => {
    const res = await callWorker(url, { body: '{"fromDate":100000000000,"toDate":8640000000000000}' });
    assert.deepEqual([res.status, res.json], [200, { cancelled: 3 }]);
    assert.deepEqual(await cancelledIds(emulator.url, token), ['r1', 'r2', 'r3']);
  }));

test('a workflow URL allow-list confines filter cancels on URL boundaries', () =>
  withWorker({ WORKFLOW_URL_PREFIXES: 'https://shop.example.com/api/workflows/refund, https://mail.example.com' }, async (url, token) => {
    const q = (...urls) => ({ query: `?${urls.map((u) => `workflowUrl=${encodeURIComponent(u)}`).join('&')}` });
    const cases = [
      [{ body: '{"label":"nightly"}' }, 403, /requires a workflowUrl/],
      [{ body: '{"workflowUrl":"https://shop.example.com/api/workflows/checkout"}' }, 403, /outside the allowed prefixes/],
      [q('https://shop.example.com/api/workflows/refund/1', 'https://evil.example.com'), 403, /outside/],
      // The service matches by string prefix: each of these would reach runs outside the list.
      [q('https://shop.example.com/api/workflows/refundXYZ'), 403, /outside/],
      [q('https://shop.example.com/api/workflows/refund'), 403, /outside/],
      [q('https://mail.example.com.evil.com/wf'), 403, /outside/],
      [q('https://mail.example.com@evil.com/wf'), 403, /outside/],
      [q('https://mail.example.com'), 403, /outside/],
      [{ body: '{"workflowUrl":5}' }, 400, /workflowUrl: must be a string/],
      [{ body: '{"workflowUrl":[{}]}' }, 400, /workflowUrl/],
      [{ headers: ALL }, 403, /not every run/],
    ];
    for (const [request, status, message] of cases) {
      const res = await callWorker(url, request);
      assert.equal(res.status, status, JSON.stringify(request));
      assert.match(res.json.error, message);
    }
    assert.equal((await getLog(emulator.url, token)).length, 0, 'nothing refused was forwarded');
    let res = await callWorker(url, { query: `${q('https://shop.example.com/api/workflows/refund').query}&workflowUrlExactMatch=true` });
    assert.deepEqual(res.json, { cancelled: 1 }, 'the prefix itself, matched exactly');
    res = await callWorker(url, q('https://mail.example.com/api/'));
    assert.deepEqual(res.json, { cancelled: 1 }, 'under the prefix, past a "/"');
    res = await callWorker(url, { body: '{"workflowRunIds":["r1"]}' });
    assert.deepEqual(res.json, { cancelled: 1 }, 'ids name runs exactly and pass');
    assert.deepEqual(await cancelledIds(emulator.url, token), ['r1', 'r2', 'r3']);
  }));

test('service failures are passed on in the proxy\'s words with a proxy status; 429 keeps its wait', () =>
  withWorker({}, async (url, token) => {
    await injectFaults(emulator.url, token, [
      { status: 429, body: { error: 'slow down' }, headers: { 'Retry-After': '3' } },
      { status: 503, body: '<html><title>503 Service Unavailable</title></html>' },
      { status: 429, headers: { 'Retry-After': 'Wed, 25 Nov 2026 20:00:05 GMT' } },
    ]);
    let res = await callWorker(url, { body: '{"label":"nightly"}', origin: 'https://admin.example.com' });
    assert.deepEqual([res.status, res.json, res.headers.get('retry-after')], [429, { error: 'rate limited by the service: slow down' }, '3']);
    assert.match(res.headers.get('access-control-expose-headers'), /retry-after/);
    res = await callWorker(url, { body: '{"label":"nightly"}' });
    assert.deepEqual([res.status, res.json], [503, { error: 'the service answered HTTP 503: 503 Service Unavailable' }]);
    res = await callWorker(url, { body: '{"label":"nightly"}' });
    assert.deepEqual([res.status, res.headers.get('retry-after')], [429, 'Wed, 25 Nov 2026 20:00:05 GMT']);
    assert.equal((await getLog(emulator.url, token)).length, 3, 'the proxy does not retry; the caller does');
  }));

test('an upstream that echoes the proxy\'s QStash token gets nothing of it to the caller', () =>
  withWorker({}, async (url, token) => {
    const forms = Object.values(echoForms(token));
    const statuses = [400, 401, 403, 404, 429, 500, 502, 503, 200];
    const faults = statuses.flatMap((status) => forms.map((form, i) => ({
      status,
      body: i % 2 ? `upstream saw Authorization: Bearer ${form}` : { error: `token ${form} rejected` },
      headers: { 'x-echo': form },
    })));
    await injectFaults(emulator.url, token, faults);
    for (const fault of faults) {
      const res = await callWorker(url, { body: '{"label":"nightly"}' });
      const seen = JSON.stringify([res.status, res.json, [...res.headers]]);
      assert.equal(leakIn(seen, token), undefined, `${fault.status}: ${seen}`);
      assert.equal(res.json.cancelled, undefined, 'an answer the proxy could not read is never a count');
    }
  }));

test('upstream outcomes keep their meaning: what the library would not retry, the caller\'s library does not retry either', () =>
  withWorker({}, async (url, token) => {
    const cases = [
      // (upstream fault, the Worker's status, its message)
      [{ status: 401, body: { error: 'Unauthorized' } }, 424, /refused the proxy's QStash token \(HTTP 401\)/],
      [{ status: 403 }, 424, /refused the proxy's QStash token \(HTTP 403\)/],
      [{ status: 307, headers: { location: 'https://elsewhere.test/' } }, 424, /answered HTTP 307/],
      [{ status: 404, body: { error: 'not found' } }, 404, /answered HTTP 404: not found/],
      [{ status: 501, body: 'Not Implemented' }, 501, /HTTP 501/],
      [{ status: 505 }, 505, /HTTP 505/],
      [{ status: 503 }, 503, /HTTP 503/],
      [{ status: 522 }, 522, /HTTP 522/],
      [{ status: 500 }, 500, /HTTP 500/],
      [{ status: 504 }, 504, /HTTP 504/],
      [{ act: true, status: 200, body: '<html>ok</html>' }, 200, /could not read; runs may have been cancelled/],
      [{ drop: true }, 502, /could not reach the service/],
    ];
    for (const [fault, status, message] of cases) {
      await injectFaults(emulator.url, token, [fault]);
      const res = await callWorker(url, { query: '?label=nightly' });
      assert.equal(res.status, status, JSON.stringify(fault));
      assert.match(res.json.error, message, JSON.stringify(fault));
      assert.equal(res.json.cancelled, undefined);
    }
    // Through the library, as the page calls it: a 424 is not retried, so one upstream request.
    await seedRuns(emulator.url, token, runs.map((run) => ({ ...run, state: 'RUN_STARTED' })));
    const before = (await getLog(emulator.url, token)).length;
    await injectFaults(emulator.url, token, [{ status: 401 }]);
    const err = await cancelRuns({ token: ADMIN, baseUrl: url, label: 'nightly', retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 1 } }).catch((e) => e);
    assert.deepEqual([err.code, err.status], ['HTTP_ERROR', 424]);
    assert.equal((await getLog(emulator.url, token)).length - before, 1, 'not retried');
  }));

test('for every status the service may answer, the caller\'s library reads the Worker\'s answer as it would the service\'s: retried or not, may have acted or not', () =>
  withWorker({}, async (url, token) => {
    // Every status the library reports as an HTTP error (3xx to 5xx), the registered ones and
    // Cloudflare's 52x and 530, beside some unregistered ones. Not 421: Node's fetch sends the
    // request again by itself on a 421, so the library never sees it.
    const statuses = [
      ...range(300, 308), ...range(400, 418), ...range(422, 426), 428, 431, 451, 499,
      ...range(500, 511), ...range(520, 527), 530, 555, 599,
    ];
    /** What the library does with one answer of `status`: retries it or not, counts it as possibly acted on or not. */
    async function reading(baseUrl, credential, status) {
      const call = (retry) => cancelRuns({ token: credential, baseUrl, workflowRunIds: ['r1'], retry }).catch((e) => e);
      await injectFaults(emulator.url, token, [{ status }]);
      const before = (await getLog(emulator.url, token)).length;
      await call({ retries: 1, baseDelayMs: 1, maxDelayMs: 1 });
      const retried = (await getLog(emulator.url, token)).length - before === 2;
      await injectFaults(emulator.url, token, [{ status }]);
      const err = await call(false);
      assert.equal(err.name, 'QStashCancelError', `${status}: ${err}`);
      return { retried, mayHaveActed: err.unconfirmed > 0 };
    }
    const differ = [];
    for (const status of statuses) {
      const direct = await reading(emulator.url, token, status);
      const proxied = await reading(url, ADMIN, status);
      if (JSON.stringify(direct) !== JSON.stringify(proxied)) differ.push(`${status}: directly ${JSON.stringify(direct)}, through the Worker ${JSON.stringify(proxied)}`);
    }
    assert.deepEqual(differ, []);
  }));

test('every query the library writes reaches the service unchanged through the Worker, which parses it again (fromQuery)', () =>
  withWorker({}, async (url, token) => {
    const cases = [
      { workflowRunIds: ['r1', 'r2'] },
      { workflowUrl: ['https://shop.example.com/api/workflows/', 'https://mail.example.com/'], workflowUrlExactMatch: false },
      { workflowUrl: 'https://shop.example.com/api/workflows/refund', workflowUrlExactMatch: true },
      { label: ['nightly', 'adhoc'], fromDate: 1_700_000_000_000, toDate: 1_800_000_000_000, count: 7 },
      { callerIp: ['10.0.0.1', '2001:db8::1'], flowControlKey: ['key-a', 'key b'], host: 'shop.example.com', path: '/api/workflows/refund' },
      { label: 'ünïcode & = + %', count: 3, async: true },
    ];
    const last = async () => (await getLog(emulator.url, token)).at(-1).query;
    for (const options of cases) {
      const direct = { ...options, ...(options.async ? {} : { untilDone: false }), retry: false };
      await cancelRuns({ token, baseUrl: emulator.url, ...direct });
      const written = await last();
      await cancelRuns({ token: ADMIN, baseUrl: url, ...direct });
      assert.equal(await last(), written, JSON.stringify(options));
    }
  }));

test('a body-form call the proxy sends as several requests, failing after the first, is never reported as not done', () =>
  withWorker({}, async (url, token) => {
    const ids = Array.from({ length: 600 }, (_, i) => `wfr_${String(i).padStart(26, '0')}`);
    await seedRuns(emulator.url, token, ids.map((id) => ({ id, workflowUrl: 'https://shop.example.com/a' })));
    // The proxy forwards the 600 ids in the query form, in several requests: the first is carried
    // out, the second answered 503 ("not done"), as if the service had done nothing at all.
    await injectFaults(emulator.url, token, [{ then: 'handle' }, { status: 503 }]);
    const err = await cancelRuns({ token: ADMIN, baseUrl: url, workflowRunIds: ids, encoding: 'body', retry: false }).catch((e) => e);
    const cancelled = (await cancelledIds(emulator.url, token)).length;
    assert.ok(cancelled > 0 && cancelled < 600, `${cancelled} cancelled by the other requests`);
    assert.equal(err.code, 'HTTP_ERROR');
    assert.equal(err.status, 502, 'a status that says the service may have acted');
    assert.equal(err.unconfirmed, 1, 'the caller counts the call as sent without a confirmed answer, not as not sent');
    assert.match(err.serverMessage ?? err.message, new RegExp(`${cancelled} runs`));
  }));

function range(from, to) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

test('count: 10 through the Worker never cancels more than 10, whatever the service does to its answer', () =>
  withWorker({}, async (url, token) => {
    const lost = [
      { act: true, status: 502, body: 'Bad Gateway' },
      { act: true, status: 504 },
      { act: true, drop: true },
      { then: 'handle-and-drop' },
      { act: true, status: 200, body: '<html>ok</html>' },
      { act: true, status: 500 },
    ];
    for (const fault of lost) {
      const account = `${freshToken('worker-count')}/+Zm9v=`;
      const worker = await startAdminWorker(emulator.url, account);
      try {
        await seedRuns(emulator.url, account, Array.from({ length: 30 }, (_, i) => ({ id: `c${i}`, workflowUrl: 'https://shop.example.com/a', label: 'bulk', createdAt: 1_700_000_000_000 + i })));
        await injectFaults(emulator.url, account, [fault]);
        const err = await cancelRuns({ token: ADMIN, baseUrl: worker.url, label: 'bulk', count: 10, retry: { retries: 5, baseDelayMs: 1, maxDelayMs: 1 } }).catch((e) => e);
        assert.equal(err.name, 'QStashCancelError', JSON.stringify(fault));
        assert.deepEqual([err.cancelled, err.unconfirmed, err.unconfirmedUpTo], [0, 1, 10], JSON.stringify(fault));
        assert.equal((await getLog(emulator.url, account)).length, 1, `${JSON.stringify(fault)}: sent once`);
        assert.equal((await cancelledIds(emulator.url, account)).length, 10, `${JSON.stringify(fault)}: never more than count`);
      } finally {
        await worker.close();
      }
    }
  }));

test('a host or path filter never stands in for an allowed workflowUrl', () =>
  withWorker({ WORKFLOW_URL_PREFIXES: 'https://shop.example.com/api/workflows' }, async (url, token) => {
    for (const query of ['?host=shop.example.com', '?path=%2Fapi%2Fworkflows%2Frefund', '?host=mail.example.com&label=adhoc']) {
      const res = await callWorker(url, { query });
      assert.deepEqual([res.status, res.json.error], [403, 'this proxy requires a workflowUrl under https://shop.example.com/api/workflows'], query);
    }
    assert.equal((await getLog(emulator.url, token)).length, 0);
    const res = await callWorker(url, { query: `?workflowUrl=${encodeURIComponent('https://shop.example.com/api/workflows/')}&path=%2Fapi%2Fworkflows%2Frefund` });
    assert.deepEqual(res.json, { cancelled: 1 }, 'with an allowed workflowUrl they narrow it');
    assert.deepEqual(await cancelledIds(emulator.url, token), ['r2']);
  }));

test('under an allow-list, dot segments and encoded slashes or dots are refused; only the exact endpoint is served; a disallowed Origin is refused', () =>
  withWorker({ WORKFLOW_URL_PREFIXES: 'https://shop.example.com/api/workflows', ALLOWED_ORIGINS: 'https://admin.example.com' }, async (url, token) => {
    for (const tricky of [
      'https://shop.example.com/api/workflows/../billing/',
      'https://shop.example.com/api/workflows/%2e%2e/billing/',
      'https://shop.example.com/api/workflows/%2E%2E%2Fbilling/',
      'https://shop.example.com/api/workflows/x/..',
      'https://shop.example.com/api/workflows/./refund',
      'https://shop.example.com/api/workflows/a%2fb',
      'https://shop.example.com/api/workflows/a%5Cb',
    ]) {
      const res = await callWorker(url, { query: `?workflowUrl=${encodeURIComponent(tricky)}` });
      assert.equal(res.status, 403, tricky);
      assert.match(res.json.error, /dot segment or an encoded slash, dot or backslash/, tricky);
    }
    let res = await fetch(`${url}/anything/v2/workflows/runs?label=nightly`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(res.status, 404, 'only the documented path');
    res = await callWorker(url, { query: '?workflowRunIds=r1', origin: 'https://evil.example.com' });
    assert.deepEqual([res.status, res.json.error], [403, 'requests from this origin are not allowed (ALLOWED_ORIGINS)']);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal((await getLog(emulator.url, token)).length, 0, 'nothing was forwarded');
    res = await callWorker(url, { query: '?workflowRunIds=r1', origin: 'https://admin.example.com' });
    assert.deepEqual([res.status, res.json], [200, { cancelled: 1 }], 'an allowed origin');
    res = await callWorker(url, { query: `?workflowUrl=${encodeURIComponent('https://shop.example.com/api/workflows/refund.v2/')}` });
    assert.equal(res.status, 200, 'a dot inside a segment is no dot segment');
  }));

test('bulk actions: the reads are proxied with the same authentication (guard rails do not apply to reads), and an async cancel is started and followed through the Worker', () =>
  withWorker({ WORKFLOW_URL_PREFIXES: 'https://shop.example.com/api/workflows', ALLOW_CANCEL_ALL: 'false' }, async (url, token) => {
    const now = Date.now();
    await seedActions(emulator.url, token, [{ actionId: 'ba_1', kind: 'cancel', state: 'FINISHED', total: 2, processed: 2, createdAt: now, completedAt: now, filter: { label: ['x'] } }]);
    const get = (path, auth = `Bearer ${ADMIN}`) => fetch(`${url}${path}`, { headers: { authorization: auth } })
      .then(async (res) => [res.status, await res.json()]);
    assert.deepEqual((await get('/v2/workflows/bulkActions/ba_1', 'Bearer wrong'))[0], 401);
    assert.deepEqual(await get('/v2/workflows/bulkActions/ba_1').then(([status, body]) => [status, body.state]), [200, 'FINISHED']);
    let [status, body] = await get('/v2/workflows/bulkActions?state=FINISHED&count=10');
    assert.deepEqual([status, body.bulkActions.map((a) => a.actionId), body.cursor], [200, ['ba_1'], null]);
    assert.deepEqual(await get('/v2/workflows/bulkActions/ba_missing'), [404, { error: 'the service answered HTTP 404: Bulk action not found' }]);
    [status, body] = await get('/v2/workflows/bulkActions/..%2Fruns');
    assert.equal(status, 400);
    assert.match(body.error, /^actionId: must be an action id/);
    assert.equal((await get('/v2/workflows/bulkActions?bogus=1'))[0], 400);
    assert.equal((await fetch(`${url}/v2/workflows/bulkActions/ba_1`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` } })).status, 405);
    const reads = (await getLog(emulator.url, token)).filter((e) => e.method === 'GET');
    assert.equal(reads.length, 3, 'only the checked reads were forwarded');
    assert.ok(reads.every((e) => e.authorization === `Bearer ${token}`), 'with the proxy\'s own token');
    // As the page does it: start in the background through the Worker, follow it, list them all.
    const c = { token: ADMIN, baseUrl: url };
    const { actionId } = await cancelRuns({ ...c, workflowUrl: 'https://shop.example.com/api/workflows/', async: true });
    const done = await waitForBulkAction({ ...c, actionId, pollMs: 100 });
    assert.deepEqual([done.state, done.processed, done.total], ['FINISHED', 2, 2]);
    assert.deepEqual(await cancelledIds(emulator.url, token), ['r1', 'r2']);
    const listed = [];
    for await (const action of listAllBulkActions(c)) listed.push(action.actionId);
    assert.deepEqual(listed.sort(), [actionId, 'ba_1'].sort());
    // An upstream that echoes the proxy's QStash token inside an action: nothing of it reaches the caller.
    await seedActions(emulator.url, token, [{ actionId: 'ba_echo', kind: `cancel ${token}`, state: 'FINISHED', total: 1, processed: 1, createdAt: now, filter: { label: [token] } }]);
    const echoed = await fetch(`${url}/v2/workflows/bulkActions/ba_echo`, { headers: { authorization: `Bearer ${ADMIN}` } });
    const seen = JSON.stringify([echoed.status, await echoed.text(), [...echoed.headers]]);
    assert.equal(leakIn(seen, token), undefined, seen);
    assert.equal(echoed.status, 502, 'an answer the proxy will not pass on is a bad upstream answer');
    const page = await fetch(`${url}/v2/workflows/bulkActions`, { headers: { authorization: `Bearer ${ADMIN}` } }).then((r) => r.text());
    assert.equal(leakIn(page, token), undefined, page);
    // A guard rail still holds for a cancel started in the background.
    const err = await cancelRuns({ ...c, label: 'nightly', async: true }).catch((e) => e);
    assert.deepEqual([err.code, err.status], ['UNAUTHORIZED', 403]);
  }));

test('a bulk-action read whose answer cannot be read is a 502 in words that fit a read (a read cancels nothing)', () =>
  withWorker({}, async (url, token) => {
    const now = Date.now();
    await seedActions(emulator.url, token, [{ actionId: 'ba_1', kind: 'cancel', state: 'FINISHED', total: 2, processed: 2, createdAt: now, completedAt: now, filter: { label: ['x'] } }]);
    for (const path of ['/v2/workflows/bulkActions/ba_1', '/v2/workflows/bulkActions']) {
      for (const fault of [{ status: 200, body: '<html>ok</html>' }, { status: 200, body: { bulkActions: 'no', state: 5 } }]) {
        await injectFaults(emulator.url, token, [fault]);
        const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
        const body = await res.json();
        assert.equal(res.status, 502, `${path} ${JSON.stringify(fault)}`);
        assert.match(body.error, /^the proxy could not read the service's answer to the bulk-action read \(the service answered 200 with /);
        assert.doesNotMatch(body.error, /cancel/, 'a read cancels nothing');
      }
    }
    const reads = await getLog(emulator.url, token);
    assert.deepEqual(reads.map((e) => e.method), ['GET', 'GET', 'GET', 'GET'], 'one request each, nothing else sent');
  }));

test('an outsider\'s requests: odd credentials, the credential in the URL, other methods, other origins\' preflights', () =>
  withWorker({ ALLOWED_ORIGINS: 'https://admin.example.com' }, async (url, token) => {
    // The credential with anything around it, twice, or in another scheme's clothes.
    for (const auth of [`Bearer ${ADMIN} extra`, `Bearer ${ADMIN},Bearer ${ADMIN}`, `Bearer  ${ADMIN}`, `bearer ${ADMIN}`,
      `Bearer ${ADMIN};`, `Bearer "${ADMIN}"`, `Bearer ${encodeURIComponent(`${ADMIN}/`)}`, `Bearer ${btoa(ADMIN)}`]) {
      const res = await callWorker(url, { auth, query: '?workflowRunIds=r1' });
      assert.deepEqual([res.status, res.json], [401, { error: 'the admin credential was refused' }], auth);
    }
    // Two Authorization headers arrive joined into one value, which is refused.
    const twice = new Headers([['authorization', `Bearer ${ADMIN}`], ['authorization', `Bearer ${ADMIN}`]]);
    let res = await fetch(`${url}/v2/workflows/runs?workflowRunIds=r1`, { method: 'DELETE', headers: twice });
    assert.equal(res.status, 401, 'two Authorization headers');
    // The credential in the URL, where logs keep it, is refused, with or without the header, and never echoed.
    for (const query of [`?token=${ADMIN}`, `?${ADMIN}`, `?workflowRunIds=r1&access_token=${encodeURIComponent(`Bearer ${ADMIN}`)}`, `?label=${ADMIN}`]) {
      for (const auth of [`Bearer ${ADMIN}`, '']) {
        res = await callWorker(url, { query, auth });
        assert.equal(res.status, 400, `${query} ${auth}`);
        assert.equal(res.json.error, 'the admin credential was sent in the URL, where logs keep it: send it only as "Authorization: Bearer ...", and replace ADMIN_TOKEN (wrangler secret put ADMIN_TOKEN)');
      }
      const read = await fetch(`${url}/v2/workflows/bulkActions${query}`, { headers: { authorization: `Bearer ${ADMIN}` } });
      assert.equal(read.status, 400, `read ${query}`);
      assert.equal(JSON.stringify(await read.json()).includes(ADMIN), false);
    }
    for (const id of [ADMIN, ADMIN.replaceAll('-', '%2D')]) {
      res = await fetch(`${url}/v2/workflows/bulkActions/${id}`, { headers: { authorization: `Bearer ${ADMIN}` } });
      assert.equal(res.status, 400, `the credential as an action id (${id}) is never forwarded to the service`);
    }
    // Methods other than the endpoint's own.
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'PURGE']) {
      res = await fetch(`${url}/v2/workflows/runs?workflowRunIds=r1`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'x-http-method-override': 'DELETE' } });
      assert.equal(res.status, 405, method);
    }
    for (const method of ['HEAD', 'POST', 'PUT', 'DELETE']) {
      res = await fetch(`${url}/v2/workflows/bulkActions`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'x-http-method-override': 'GET' } });
      assert.equal(res.status, 405, `bulk ${method}`);
    }
    // Another origin's preflight, to either path and for any method, gets no CORS answer.
    for (const path of ['/v2/workflows/runs', '/v2/workflows/bulkActions', '/v2/workflows/bulkActions/ba_1']) {
      for (const origin of ['https://evil.example.com', 'null', 'https://admin.example.com.evil.com', 'https://ADMIN.example.com', 'https://admin.example.com/']) {
        res = await fetch(`${url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization' } });
        assert.deepEqual([res.status, res.headers.get('access-control-allow-origin')], [403, null], `${path} ${origin}`);
        res = await fetch(`${url}${path}?workflowRunIds=r1`, { method: path.endsWith('runs') ? 'DELETE' : 'GET', headers: { origin, authorization: `Bearer ${ADMIN}` } });
        assert.deepEqual([res.status, res.headers.get('access-control-allow-origin')], [403, null], `${path} ${origin}`);
      }
    }
    assert.equal((await getLog(emulator.url, token)).length, 0, 'nothing was forwarded');
  }));

test('a body over the library\'s 64 KB is refused before it is read to the end, and one that never ends is given up on', () =>
  withWorker({}, async (url, token) => {
    // 70 KB of ids: the library never sends a body this big, and the proxy would fan it out into
    // many requests to the service.
    const ids = Array.from({ length: 2_000 }, (_, i) => `wfr_${String(i).padStart(26, '0')}`);
    let res = await callWorker(url, { body: JSON.stringify({ workflowRunIds: ids }) });
    assert.deepEqual([res.status, res.json], [413, { error: 'the request body is over 65536 bytes' }]);
    // A body that sends a little and then nothing more.
    const stalled = new ReadableStream({ start(controller) { controller.enqueue(new TextEncoder().encode('{"label":')); } });
    const started = Date.now();
    res = await fetch(`${url}/v2/workflows/runs`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` }, body: stalled, duplex: 'half' });
    assert.deepEqual([res.status, await res.json()], [408, { error: 'the request body did not arrive within 10 seconds' }]);
    assert.ok(Date.now() - started < 15_000);
    assert.equal((await getLog(emulator.url, token)).length, 0, 'nothing was forwarded');
  }));

test('CORS: allowed origins get a preflight answer, others do not', () =>
  withWorker({ ALLOWED_ORIGINS: 'https://admin.example.com' }, async (url) => {
    let res = await fetch(`${url}/v2/workflows/runs`, { method: 'OPTIONS', headers: { origin: 'https://admin.example.com' } });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://admin.example.com');
    assert.match(res.headers.get('access-control-allow-headers'), /authorization/);
    res = await fetch(`${url}/v2/workflows/runs`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com' } });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  }));

test('Client.fromEnv in workerd: region variables, and a clear error when half-set', async () => {
  const token = freshToken('region');
  await seedRuns(emulator.url, token, runs);
  const regional = await startAdminWorker(emulator.url, 'unused', {
    QSTASH_TOKEN: undefined,
    QSTASH_URL: undefined,
    QSTASH_REGION: 'US_EAST_1',
    US_EAST_1_QSTASH_TOKEN: token,
    US_EAST_1_QSTASH_URL: emulator.url,
  });
  try {
    const res = await callWorker(regional.url, { body: '{"workflowRunIds":["r1"]}' });
    assert.deepEqual([res.status, res.json], [200, { cancelled: 1 }]);
  } finally {
    await regional.close();
  }
  const halfSet = await startAdminWorker(emulator.url, 'unused', { QSTASH_TOKEN: undefined, QSTASH_REGION: 'US_EAST_1' });
  try {
    const res = await callWorker(halfSet.url, { body: '{"workflowRunIds":["r2"]}' });
    assert.equal(res.status, 500);
    assert.match(res.json.error, /misconfigured: US_EAST_1_QSTASH_TOKEN: is not set \(QSTASH_REGION is set\)/);
  } finally {
    await halfSet.close();
  }
  assert.deepEqual(await cancelledIds(emulator.url, token), ['r1']);
});
