// The installed package through Node's `import`.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as api from 'qstash-cancel';
import { runScenarios, settle } from './runner.mjs';

runScenarios('node-esm', {
  invoke: (scenario, connection) => settle(scenario.call(api, connection), api.QStashCancelError),
});

test('node-esm: import and require share one instance', async () => {
  const { createRequire } = await import('node:module');
  const cjs = createRequire(import.meta.url)('qstash-cancel');
  assert.equal(cjs.QStashCancelError, api.QStashCancelError);
  assert.deepEqual(Object.keys(api).sort(), ['Client', 'QStashCancelError', 'cancelRuns', 'previewRequest']);
});

test('node-esm: previewRequest redacts the token', () => {
  const preview = api.previewRequest({ token: 'sekret-token', all: true });
  assert.deepEqual(preview, {
    method: 'DELETE',
    url: 'https://qstash.upstash.io/v2/workflows/runs',
    headers: { Authorization: 'Bearer [redacted]', 'Content-Type': 'application/json' },
    body: '{}',
  });
  assert.ok(!JSON.stringify(preview).includes('sekret-token'));
});
