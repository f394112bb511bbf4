// The Queue example (www/queue): a list too long for one invocation is queued in chunks and
// cancelled one chunk an invocation, in workerd (Miniflare's queues), against the emulator.
// Miniflare enforces no subrequest budget, so the test counts the requests each invocation
// sent from the emulator's log (a chunk's ids are sent by its invocation alone).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { root, workerModules } from '../../www/dev/worker-host.mjs';
import { startEmulator } from './harness.mjs';
import { seedRuns, cancelledIds, getLog, injectFaults, freshToken } from '../emulator/control.mjs';

const pkgDir = fileURLToPath(new URL('../../pkg', import.meta.url));
const source = readFileSync(new URL('../../www/queue/worker.js', import.meta.url), 'utf8');
const config = readFileSync(new URL('../../www/queue/wrangler.toml', import.meta.url), 'utf8');
const ADMIN = 'queue-admin-credential';
const ids = (n) => Array.from({ length: n }, (_, i) => `wfr_${String(i).padStart(26, '0')}`);

/** Polls `check` until it holds, or fails after `ms`. */
async function until(ms, what, check) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('20,000 ids are queued in 20 chunks and cancelled one chunk an invocation, each within maxRequests, a failing request retried inside the budget', async () => {
  // The test's queue settings are the example's own.
  assert.match(config, /max_batch_size = 1/);
  const emulator = await startEmulator();
  const token = freshToken('queue');
  const list = ids(20_000);
  await seedRuns(emulator.url, token, list.map((id) => ({ id, workflowUrl: 'https://app.test/api/import' })));
  // The service fails the first two requests it gets: their chunks retry within their budget.
  await injectFaults(emulator.url, token, [{ status: 503 }, { status: 503 }]);
  const mf = new Miniflare({
    modules: workerModules(source, pkgDir),
    modulesRoot: root,
    compatibilityDate: '2025-01-01',
    bindings: { QSTASH_TOKEN: token, QSTASH_URL: emulator.url, ADMIN_TOKEN: ADMIN },
    queueProducers: { CANCEL_CHUNKS: { queueName: 'qstash-cancel-chunks' } },
    queueConsumers: { 'qstash-cancel-chunks': { maxBatchSize: 1, maxBatchTimeout: 0, maxRetries: 5 } },
  });
  try {
    const refused = await mf.dispatchFetch('http://worker.test/', { method: 'POST', body: JSON.stringify({ workflowRunIds: ['a'] }) });
    assert.equal(refused.status, 401);
    for (const body of [JSON.stringify({ workflowRunIds: ['ok', 'not ok'] }), '{"workflowRunIds": []}', 'not json', '{}']) {
      const bad = await mf.dispatchFetch('http://worker.test/', { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` }, body });
      assert.deepEqual([bad.status, (await bad.json()).field], [400, 'workflowRunIds'], body);
    }
    assert.equal((await getLog(emulator.url, token)).length, 0, 'a refused list queues and sends nothing');

    const res = await mf.dispatchFetch('http://worker.test/', { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ workflowRunIds: list }) });
    assert.deepEqual(await res.json(), { queued: 20_000, chunks: 20 });
    await until(60_000, 'every run cancelled', async () => (await cancelledIds(emulator.url, token)).length === 20_000);
    // Requests per chunk (= per invocation), from the ids each request carried.
    const perChunk = new Map();
    for (const entry of await getLog(emulator.url, token)) {
      const first = new URLSearchParams(entry.query).get('workflowRunIds');
      const chunk = Math.floor(Number(first.slice(4)) / 1_000);
      perChunk.set(chunk, (perChunk.get(chunk) ?? 0) + 1);
    }
    assert.equal(perChunk.size, 20);
    const counts = [...perChunk.values()];
    assert.ok(counts.every((n) => n <= 45), `requests per invocation: ${counts}`);
    assert.equal(counts.reduce((a, b) => a + b, 0), 20 * 6 + 2, 'six requests a chunk, and the two retries');
  } finally {
    await mf.dispose();
    await emulator.close();
  }
});
