// The installed package through Node's `import`.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as api from 'qstash-cancel';
import { runScenarios, settle } from './runner.mjs';
import { scenarios } from './scenarios.mjs';
import { faultScenarios } from './fault-scenarios.mjs';

const invoke = (scenario, connection) => settle(scenario, api, connection);
runScenarios('node-esm', scenarios, { invoke });
runScenarios('node-esm faults', faultScenarios, { invoke });

test('node-esm: import and require share one instance', async () => {
  const { createRequire } = await import('node:module');
  const cjs = createRequire(import.meta.url)('qstash-cancel');
  assert.equal(cjs.QStashCancelError, api.QStashCancelError);
  assert.deepEqual(Object.keys(api).sort(), ['Client', 'QStashCancelError', 'cancelRuns', 'cancelRunsDetailed', 'previewRequest']);
});

test('node-esm: previewRequest redacts the token', () => {
  const preview = api.previewRequest({ token: 'sekret-token', all: true });
  assert.deepEqual(preview, {
    method: 'DELETE',
    url: 'https://qstash.upstash.io/v2/workflows/runs',
    headers: { Authorization: 'Bearer [redacted]', 'Content-Type': 'application/json' },
    body: '{}',
    requests: 1,
  });
  assert.ok(!JSON.stringify(preview).includes('sekret-token'));
});
