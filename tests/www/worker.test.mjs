// The admin Worker in workerd: authentication, guard rails, both encodings, error shapes, and
// Client.fromEnv, each checked against the emulator's request log and run states.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, callWorker, startAdminWorker, startEmulator } from './harness.mjs';
import { seedRuns, cancelledIds, getLog, injectFaults, freshToken } from '../emulator/control.mjs';

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
  const token = freshToken('worker');
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

test('both encodings are forwarded as such and cancel what they say', () =>
  withWorker({}, async (url, token) => {
    let res = await callWorker(url, { body: '{"label":"nightly","workflowUrl":"https://shop.example.com/api/workflows/refund"}' });
    assert.deepEqual([res.status, res.json], [200, { cancelled: 1 }]);
    res = await callWorker(url, { query: '?label=adhoc&label=nightly&workflowUrl=https%3A%2F%2Fmail.example.com' });
    assert.deepEqual([res.status, res.json], [200, { cancelled: 1 }]);
    assert.deepEqual(await cancelledIds(emulator.url, token), ['r2', 'r3']);
    const log = await getLog(emulator.url, token);
    assert.equal(log[0].body, '{"workflowUrl":"https://shop.example.com/api/workflows/refund","label":"nightly"}');
    assert.equal(log[1].query, '?workflowUrl=https%3A%2F%2Fmail.example.com&label=adhoc&label=nightly');
    assert.equal(log[0].authorization, `Bearer ${token}`, 'the proxy sends its own token');
  }));

test('refusals use the service error shape and a fitting status', () =>
  withWorker({ ALLOW_CANCEL_ALL: 'false' }, async (url, token) => {
    const cases = [
      [{ body: '{}' }, 403, /cancelling every run is disabled/],
      [{ body: '' }, 403, /cancelling every run is disabled/],
      [{ body: '{"lable":"x"}' }, 400, /unknown field lable/],
      [{ body: 'nope' }, 400, /not JSON/],
      [{ body: '[1]' }, 400, /JSON object/],
      [{ query: '?lable=x' }, 400, /unknown query parameter lable/],
      [{ body: '{"fromDate":1700000000}' }, 400, /fromDate: must be Unix milliseconds/],
      [{ body: '{"workflowRunIds":[]}' }, 400, /workflowRunIds: must not be empty/],
      [{ method: 'POST', body: '{}' }, 405, /use DELETE/],
    ];
    for (const [request, status, message] of cases) {
      const res = await callWorker(url, request);
      assert.equal(res.status, status, JSON.stringify(request));
      assert.deepEqual(Object.keys(res.json), ['error']);
      assert.match(res.json.error, message);
    }
    assert.equal((await getLog(emulator.url, token)).length, 0);
  }));

test('a workflow URL allow-list confines filter cancels', () =>
  withWorker({ WORKFLOW_URL_PREFIXES: 'https://shop.example.com/api/workflows/refund, https://shop.example.com/api/workflows/checkout' }, async (url, token) => {
    const cases = [
      [{ body: '{"label":"nightly"}' }, 403, /requires a workflowUrl/],
      [{ body: '{"workflowUrl":"https://mail.example.com/api/workflows/digest"}' }, 403, /outside the allowed prefixes/],
      [{ query: '?workflowUrl=https%3A%2F%2Fshop.example.com%2Fapi%2Fworkflows%2Frefund&workflowUrl=https%3A%2F%2Fevil.example.com' }, 403, /outside/],
      [{ body: '{}' }, 403, /not every run/],
    ];
    for (const [request, status, message] of cases) {
      const res = await callWorker(url, request);
      assert.equal(res.status, status, JSON.stringify(request));
      assert.match(res.json.error, message);
    }
    let res = await callWorker(url, { body: '{"workflowUrl":"https://shop.example.com/api/workflows/refund"}' });
    assert.deepEqual(res.json, { cancelled: 1 });
    res = await callWorker(url, { body: '{"workflowRunIds":["r3"]}' });
    assert.deepEqual(res.json, { cancelled: 1 }, 'ids name runs exactly and pass');
    assert.deepEqual(await cancelledIds(emulator.url, token), ['r2', 'r3']);
  }));

test('service failures are passed on with a proxy status; 429 keeps its wait', () =>
  withWorker({}, async (url, token) => {
    await injectFaults(emulator.url, token, [
      { status: 429, body: { error: 'slow down' }, headers: { 'Retry-After': '3' } },
      { status: 503, body: '<html><title>503 Service Unavailable</title></html>' },
    ]);
    let res = await callWorker(url, { body: '{"label":"nightly"}', origin: 'https://admin.example.com' });
    assert.deepEqual([res.status, res.json, res.headers.get('retry-after')], [429, { error: 'slow down' }, '3']);
    assert.match(res.headers.get('access-control-expose-headers'), /retry-after/);
    res = await callWorker(url, { body: '{"label":"nightly"}' });
    assert.deepEqual([res.status, res.json], [502, { error: '503 Service Unavailable' }]);
    assert.equal((await getLog(emulator.url, token)).length, 2, 'the proxy does not retry; the caller does');
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
