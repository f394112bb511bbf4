// The installed package through Node's `import`.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as api from 'qstash-cancel';
import { runScenarios, settle } from './runner.mjs';
import { scenarios } from './scenarios.mjs';
import { faultScenarios } from './fault-scenarios.mjs';
import { exactScenarios } from './exact-scenarios.mjs';
import { bulkScenarios } from './bulk-scenarios.mjs';
import { interruptionScenarios } from './interruption-scenarios.mjs';

// Anything a call lets escape (an async onProgress's rejection, say) would land here.
const escaped = [];
process.on('unhandledRejection', (reason) => escaped.push(`unhandled rejection: ${reason}`));

const invoke = (scenario, connection) => settle(scenario, api, connection);
runScenarios('node-esm', scenarios, { invoke });
runScenarios('node-esm faults', faultScenarios, { invoke });
runScenarios('node-esm exactly what was asked', exactScenarios, { invoke });
runScenarios('node-esm bulk actions', bulkScenarios, { invoke });
runScenarios('node-esm interrupted calls', interruptionScenarios, { invoke });

test('node-esm: import and require share one instance', async () => {
  const { createRequire } = await import('node:module');
  const cjs = createRequire(import.meta.url)('qstash-cancel');
  assert.deepEqual(Object.keys(api).sort(), ['Client', 'QStashCancelError', 'cancelRuns', 'cancelRunsDetailed', 'getBulkAction',
    'listAllBulkActions', 'listBulkActions', 'previewRequest', 'tokenFingerprint', 'waitForBulkAction']);
  assert.deepEqual(Object.keys(cjs).sort(), Object.keys(api).sort());
  for (const name of Object.keys(api)) assert.equal(cjs[name], api[name], name);
});

test('node-esm: "/inline" imported beside the main entry is the same API, not a second one', async () => {
  // Both entries take their API from one exports module: the second must not make a second
  // Client class (or error class) beside the first's.
  const before = { ...api };
  const inline = await import('qstash-cancel/inline');
  for (const name of Object.keys(api)) {
    assert.equal(api[name], before[name], `${name} changed under the main entry's callers`);
    assert.equal(inline[name], before[name], name);
  }
});

test('node-esm: every ES module entry exports the names of the API, no more and no fewer', async () => {
  // Each entry writes its list (lib/exports.js says why): read them as the package ships them.
  const { readFileSync } = await import('node:fs');
  const { createRequire } = await import('node:module');
  const dir = createRequire(import.meta.url).resolve('qstash-cancel/package.json').replace(/package\.json$/, '');
  for (const entry of ['index.js', 'inline.js', 'workerd.js', 'edge-light.js', 'node.js']) {
    const source = readFileSync(`${dir}${entry}`, 'utf8');
    const [, list] = /export const \{([^}]*)\} = expose\(/.exec(source) ?? [];
    assert.ok(list, `${entry} exports its list`);
    assert.deepEqual(list.split(',').map((n) => n.trim()).filter(Boolean).sort(), Object.keys(api).sort(), entry);
    assert.doesNotMatch(source, /export \*/, entry);
  }
});

test('node-esm: previewRequest redacts the token', () => {
  const preview = api.previewRequest({ token: 'sekret-token', all: true });
  assert.deepEqual(preview, {
    method: 'DELETE',
    url: 'https://qstash.upstash.io/v2/workflows/runs',
    headers: { Authorization: 'Bearer [redacted]', 'Cancel-All-Runs': 'true' },
    body: null,
    requests: 1,
  });
  assert.ok(!JSON.stringify(preview).includes('sekret-token'));
});

test('node-esm: Client.fromEnv reads process.env by default and names a missing variable', () => {
  const saved = { ...process.env };
  try {
    delete process.env.QSTASH_REGION;
    process.env.QSTASH_TOKEN = 'env-token';
    process.env.QSTASH_URL = 'http://127.0.0.1:8080';
    assert.equal(api.Client.fromEnv().previewRequest({ all: true }).url, 'http://127.0.0.1:8080/v2/workflows/runs');
    const err = (() => {
      try {
        api.Client.fromEnv({ QSTASH_REGION: 'EU_CENTRAL_1', QSTASH_TOKEN: 'x' });
      } catch (e) {
        return e;
      }
    })();
    assert.ok(err instanceof api.QStashCancelError);
    assert.equal(err.field, 'EU_CENTRAL_1_QSTASH_TOKEN');
  } finally {
    process.env = saved;
  }
});

test('node-esm: no call let a rejection or exception escape', () => {
  assert.deepEqual(escaped, []);
});
