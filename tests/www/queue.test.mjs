// The Queue example (www/queue): a list too long for one invocation is queued in chunks and
// cancelled one chunk an invocation, in workerd (Miniflare's queues), against the emulator.
// Miniflare enforces no subrequest budget, so the test counts the requests each invocation
// sent from the emulator's log (a chunk's ids are sent by its invocation alone). A second
// Worker records what reaches the dead-letter queue (or, standing in for the consumer, what was
// queued at all), so every test asserts on what the queue delivered, not only on an answer.
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
/** The queue names and consumer settings, as the example's wrangler.toml gives them. */
const setting = (name) => config.match(new RegExp(`^${name} = "?([^"\\n]*)"?$`, 'm'))?.[1];
const QUEUE = 'qstash-cancel-chunks';
const DEAD = setting('dead_letter_queue');
const MAX_RETRIES = Number(setting('max_retries'));

/** Stores every message it is given under `<queue>/<id>`, and acknowledges it. */
const RECORDER = `export default {
  async queue(batch, env) {
    for (const message of batch.messages) {
      await env.SEEN.put(batch.queue + '/' + message.id, JSON.stringify(message.body));
      message.ack();
    }
  },
};`;

/** Stands in for the queue binding: passes every sendBatch on, except the FAIL_AT-th, which throws. */
const FLAKY_QUEUE = `export function flakyQueue(env) {
  let calls = 0;
  return {
    async sendBatch(messages, options) {
      calls += 1;
      if (calls === env.FAIL_AT) throw new Error('Queue send failed: service unavailable');
      return env.QUEUE.sendBatch(messages, options);
    },
  };
}`;

/**
 * The example and the package's modules in queue/, and the modules it shares with the admin
 * Worker in worker/, laid out as in www/ (the example imports "../worker/credential.js").
 */
const modules = [
  ...workerModules(source, pkgDir).map((m) => ({ ...m, path: m.path.replace(root, `${root}/queue`) })),
  ...['credential.js', 'body.js'].map((name) => ({
    type: 'ESModule',
    path: `${root}/worker/${name}`,
    contents: readFileSync(new URL(`../../www/worker/${name}`, import.meta.url), 'utf8'),
  })),
];

/** Polls `check` until it holds, or fails after `ms`. */
async function until(ms, what, check) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The example in workerd with `bindings`. With `consumer: false` the recorder consumes the chunks
 * queue instead of the example (so a test sees exactly what was queued); with `failAt`, the
 * producer's FAIL_AT-th sendBatch throws.
 */
async function startExample(bindings, { consumer = true, failAt } = {}) {
  const queue = { maxBatchSize: 1, maxBatchTimeout: 0, maxRetries: MAX_RETRIES, deadLetterQueue: DEAD };
  const mf = new Miniflare({
    workers: [
      {
        name: 'example',
        modules,
        modulesRoot: root,
        compatibilityDate: '2025-01-01',
        bindings,
        ...(failAt === undefined
          ? { queueProducers: { CANCEL_CHUNKS: { queueName: QUEUE } } }
          : { wrappedBindings: { CANCEL_CHUNKS: { scriptName: 'flaky-queue', entrypoint: 'flakyQueue', bindings: { FAIL_AT: failAt } } } }),
        queueConsumers: consumer ? { [QUEUE]: queue } : {},
      },
      {
        name: 'recorder',
        modules: true,
        script: RECORDER,
        compatibilityDate: '2025-01-01',
        kvNamespaces: ['SEEN'],
        queueConsumers: { [DEAD]: { maxBatchTimeout: 0 }, ...(consumer ? {} : { [QUEUE]: { maxBatchTimeout: 0 } }) },
      },
      { name: 'flaky-queue', modules: true, script: FLAKY_QUEUE, queueProducers: { QUEUE: { queueName: QUEUE } } },
    ],
  });
  const seen = await mf.getKVNamespace('SEEN', 'recorder');
  return {
    /** POSTs `body` with `auth` as the Authorization header (none when null) to `url`, or sends it with `init.method`. */
    post: (body, auth = `Bearer ${ADMIN}`, { url = 'http://worker.test/', ...init } = {}) => mf.dispatchFetch(url, {
      method: 'POST',
      headers: auth === null ? {} : { authorization: auth },
      body,
      ...init,
    }),
    /** The bodies the recorder got from `queue`, in no particular order. */
    recorded: async (queue) => Promise.all((await seen.list({ prefix: `${queue}/` })).keys
      .map(async ({ name }) => JSON.parse(await seen.get(name)))),
    /** Puts `body` on the chunks queue, as the producer would. */
    enqueue: async (body) => (await mf.getQueueProducer('CANCEL_CHUNKS', 'example')).send(body),
    close: () => mf.dispose(),
  };
}

let emulator;
test.before(async () => (emulator = await startEmulator()));
test.after(() => emulator.close());

test('20,000 ids are queued in 20 chunks and cancelled one chunk an invocation, each within maxRequests, a failing request retried inside the budget', async () => {
  // The test's queue settings are the example's own.
  assert.match(config, /max_batch_size = 1/);
  const token = freshToken('queue');
  const list = ids(20_000);
  await seedRuns(emulator.url, token, list.map((id) => ({ id, workflowUrl: 'https://app.test/api/import' })));
  // The service fails the first two requests it gets: their chunks retry within their budget.
  await injectFaults(emulator.url, token, [{ status: 503 }, { status: 503 }]);
  const example = await startExample({ QSTASH_TOKEN: token, QSTASH_URL: emulator.url, ADMIN_TOKEN: ADMIN });
  try {
    const refused = await example.post(JSON.stringify({ workflowRunIds: ['a'] }), null);
    assert.equal(refused.status, 401);
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await example.post(undefined, `Bearer ${ADMIN}`, { method });
      assert.equal(res.status, 405, method);
    }
    const inUrl = await example.post(JSON.stringify({ workflowRunIds: ['a'] }), `Bearer ${ADMIN}`, { url: `http://worker.test/?token=${ADMIN}` });
    assert.deepEqual([inUrl.status, (await inUrl.json()).error.startsWith('the admin credential was sent in the URL')], [400, true]);
    for (const body of [JSON.stringify({ workflowRunIds: ['ok', 'not ok'] }), '{"workflowRunIds": []}', 'not json', '{}']) {
      const bad = await example.post(body);
      assert.deepEqual([bad.status, (await bad.json()).field], [400, 'workflowRunIds'], body);
    }
    assert.equal((await getLog(emulator.url, token)).length, 0, 'a refused list queues and sends nothing');

    const res = await example.post(JSON.stringify({ workflowRunIds: list }));
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
    assert.deepEqual(await example.recorded(DEAD), [], 'no chunk was given up on');
  } finally {
    await example.close();
  }
});

/** Posts a sentinel straight onto the queue and waits for the recorder: what came before it is all that was queued. */
async function queuedBefore(example) {
  await example.enqueue({ sentinel: true });
  await until(10_000, 'the sentinel recorded', async () => (await example.recorded(QUEUE)).some((b) => b.sentinel));
  return (await example.recorded(QUEUE)).filter((b) => !b.sentinel);
}

test('with ADMIN_TOKEN unset, empty, not a string or shorter than 16 characters, the producer accepts no credential, names the secret, and queues nothing', async () => {
  const token = freshToken('queue-no-admin');
  for (const [admin, tries] of [
    [undefined, ['Bearer undefined', 'Bearer', '']],
    ['', ['Bearer ', 'Bearer', '']],
    ['   ', ['Bearer    ', 'Bearer']],
    [{ nested: true }, ['Bearer [object Object]']],
    ['admin', ['Bearer admin']],
    ['x'.repeat(15), [`Bearer ${'x'.repeat(15)}`]],
  ]) {
    const bindings = { QSTASH_TOKEN: token, QSTASH_URL: emulator.url, ...(admin === undefined ? {} : { ADMIN_TOKEN: admin }) };
    const example = await startExample(bindings, { consumer: false });
    try {
      for (const auth of tries) {
        const res = await example.post(JSON.stringify({ workflowRunIds: ['wfr_1'] }), auth);
        const body = await res.json();
        assert.equal(res.status, 500, `${JSON.stringify(admin)} / ${auth}`);
        assert.match(body.error, /^this Worker is not configured: the ADMIN_TOKEN secret is (not set|shorter than 16 characters, too easy to guess), so no credential is accepted/);
      }
      assert.deepEqual(await queuedBefore(example), [], `${JSON.stringify(admin)}: nothing was queued`);
    } finally {
      await example.close();
    }
  }
});

test('a QSTASH_URL or QSTASH_TOKEN the library refuses is refused by the producer, naming the binding, before anything is queued', async () => {
  const token = freshToken('queue-bad-url');
  await seedRuns(emulator.url, token, [{ id: 'wfr_1', workflowUrl: 'https://app.test/api/import' }]);
  for (const [bindings, field] of [
    [{ QSTASH_TOKEN: token, QSTASH_URL: 'http://qstash.example.com' }, /^this Worker is not configured: QSTASH_URL: must use https/],
    [{ QSTASH_TOKEN: token, QSTASH_URL: 'https://user:pw@qstash.example.com' }, /^this Worker is not configured: QSTASH_URL: must not contain credentials/],
    [{ QSTASH_URL: emulator.url }, /^this Worker is not configured: QSTASH_TOKEN: is not set/],
    [{ QSTASH_TOKEN: token, QSTASH_REGION: 'MARS_1' }, /^this Worker is not configured: QSTASH_REGION: must be one of/],
  ]) {
    const example = await startExample({ ...bindings, ADMIN_TOKEN: ADMIN }, { consumer: false });
    try {
      // A small body: the refusal comes before the body is read, and a big one still being sent would be cut off.
      const res = await example.post(JSON.stringify({ workflowRunIds: ids(3) }));
      const body = await res.json();
      assert.equal(res.status, 500, JSON.stringify(bindings));
      assert.match(body.error, field);
      assert.equal(body.queued, undefined);
      assert.deepEqual(await queuedBefore(example), [], `${JSON.stringify(bindings)}: nothing was queued`);
    } finally {
      await example.close();
    }
  }
  assert.equal((await getLog(emulator.url, token)).length, 0);
});

test('a consumer that cannot act acknowledges nothing: the chunk is retried, then kept in the dead-letter queue', async () => {
  assert.ok(DEAD, 'wrangler.toml names a dead_letter_queue');
  const token = freshToken('queue-consumer');
  const list = ids(3);
  await seedRuns(emulator.url, token, list.map((id) => ({ id, workflowUrl: 'https://app.test/api/import' })));
  // A connection the library refuses (the binding changed after the chunk was queued), and a
  // token the service refuses: neither cancels the chunk. (A transient failure is retried too:
  // the first test.)
  for (const [bindings, faults] of [
    [{ QSTASH_TOKEN: token, QSTASH_URL: 'http://qstash.example.com' }, []],
    [{ QSTASH_TOKEN: token, QSTASH_URL: emulator.url }, Array(MAX_RETRIES + 1).fill({ status: 401 })],
  ]) {
    await injectFaults(emulator.url, token, faults);
    const example = await startExample({ ...bindings, ADMIN_TOKEN: ADMIN });
    try {
      await example.enqueue({ ids: list });
      await until(20_000, 'the chunk moved to the dead-letter queue', async () => (await example.recorded(DEAD)).length === 1);
      assert.deepEqual(await example.recorded(DEAD), [{ ids: list }], JSON.stringify(bindings));
    } finally {
      await example.close();
    }
  }
  assert.deepEqual(await cancelledIds(emulator.url, token), [], 'nothing was cancelled');
  const log = await getLog(emulator.url, token);
  assert.equal(log.length, MAX_RETRIES + 1, 'one request per delivery for the refused token (a 401 is not retried); none for the refused URL');
});

test('a sendBatch that fails part-way answers with what was queued; exactly those chunks are cancelled', async () => {
  const token = freshToken('queue-partial');
  const list = ids(8_000);
  await seedRuns(emulator.url, token, list.map((id) => ({ id, workflowUrl: 'https://app.test/api/import' })));
  // 8 chunks go in two sendBatch calls (6 and 2); the second throws.
  const example = await startExample({ QSTASH_TOKEN: token, QSTASH_URL: emulator.url, ADMIN_TOKEN: ADMIN }, { failAt: 2 });
  try {
    const res = await example.post(JSON.stringify({ workflowRunIds: list }));
    const body = await res.json();
    assert.equal(res.status, 502);
    assert.deepEqual([body.queued, body.chunks, body.unconfirmed], [6_000, 6, 2_000]);
    assert.match(body.error, /^queueing stopped after 6 of 8 chunks \(Queue send failed: service unavailable\); the ids from index 6000 on are not confirmed queued: POST them again/);
    await until(30_000, 'the queued chunks cancelled', async () => (await cancelledIds(emulator.url, token)).length === 6_000);
    assert.deepEqual(await cancelledIds(emulator.url, token), list.slice(0, 6_000));
  } finally {
    await example.close();
  }
});

test('long ids are chunked to fit a message and a batch, and every one is cancelled', async () => {
  const token = freshToken('queue-long');
  // 2,000 ids of 200 characters: 1,000 of them would make a 203 KB message, over the 128 KB a message may be.
  const list = Array.from({ length: 2_000 }, (_, i) => `wfr_${String(i).padStart(196, '0')}`);
  await seedRuns(emulator.url, token, list.map((id) => ({ id, workflowUrl: 'https://app.test/api/import' })));
  const example = await startExample({ QSTASH_TOKEN: token, QSTASH_URL: emulator.url, ADMIN_TOKEN: ADMIN });
  try {
    const res = await example.post(JSON.stringify({ workflowRunIds: list }));
    assert.deepEqual([res.status, await res.json()], [200, { queued: 2_000, chunks: 11 }]);
    await until(30_000, 'every run cancelled', async () => (await cancelledIds(emulator.url, token)).length === 2_000);
    assert.deepEqual(await example.recorded(DEAD), []);
  } finally {
    await example.close();
  }
});

test('a body that never ends, or one over 16 MiB, is refused and queues nothing', async () => {
  const token = freshToken('queue-body');
  await seedRuns(emulator.url, token, [{ id: 'wfr_1', workflowUrl: 'https://app.test/api/import' }]);
  const example = await startExample({ QSTASH_TOKEN: token, QSTASH_URL: emulator.url, ADMIN_TOKEN: ADMIN }, { consumer: false });
  try {
    const stalled = new ReadableStream({ start(controller) { controller.enqueue(new TextEncoder().encode('{"workflowRunIds":["wfr_1"')); } });
    let res = await example.post(stalled, `Bearer ${ADMIN}`, { duplex: 'half' });
    assert.deepEqual([res.status, await res.json()], [408, { error: 'the request body did not arrive within 30 seconds' }]);
    // Refused from its Content-Length; the client may see the connection closed before it finished sending.
    res = await example.post('x'.repeat(16 * 1024 * 1024 + 1)).catch((err) => err);
    if (!(res instanceof Error)) assert.deepEqual([res.status, await res.json()], [413, { error: 'the request body is over 16777216 bytes' }]);
    assert.deepEqual(await queuedBefore(example), []);
  } finally {
    await example.close();
  }
});
