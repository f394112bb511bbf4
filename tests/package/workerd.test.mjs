// The installed package in workerd (Cloudflare's runtime), through Miniflare.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runScenarios } from './runner.mjs';
import { scenarios } from './scenarios.mjs';
import { faultScenarios } from './fault-scenarios.mjs';
import { exactScenarios } from './exact-scenarios.mjs';
import { bulkScenarios } from './bulk-scenarios.mjs';
import { interruptionScenarios } from './interruption-scenarios.mjs';
import { devDependency, startEmulator, seedRuns, cancelledIds, freshToken } from './helpers.mjs';

const { Miniflare } = await devDependency('miniflare');
const here = fileURLToPath(new URL('.', import.meta.url));
const mf = new Miniflare({
  modules: true,
  scriptPath: `${here}worker.mjs`,
  modulesRoot: here,
  modulesRules: [
    { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
    { type: 'CompiledWasm', include: ['**/*.wasm'] },
  ],
  compatibilityDate: '2025-01-01',
});
test.after(() => mf.dispose());

for (const [suite, list] of Object.entries({ scenarios, faultScenarios, exactScenarios, bulkScenarios, interruptionScenarios })) {
  runScenarios(`workerd ${suite}`, list, {
    setup: () => mf.ready,
    invoke: async (scenario, connection) => {
      const body = JSON.stringify({ suite, index: list.indexOf(scenario), connection });
      const res = await mf.dispatchFetch('http://worker.test/', { method: 'POST', body });
      return res.json();
    },
  });
}

test('workerd: the "workerd" condition (used by wrangler) picks the workerd entry', () => {
  const resolve = (conditions) =>
    execFileSync(process.execPath, [...conditions.map((c) => `--conditions=${c}`), '--input-type=module', '-e',
      "console.log(import.meta.resolve('qstash-cancel'))"], { cwd: here, encoding: 'utf8' }).trim();
  assert.match(resolve(['workerd', 'worker', 'browser']), /qstash-cancel\/workerd\.js$/);
  assert.match(resolve(['browser']), /qstash-cancel\/node\.js$/, 'Node itself always adds "node"');
});

test('workerd: hostile fetch answers, aborts inside fetch, and clients freed or disposed (also during waits): every call a QStashCancelError, nothing stranded', async () => {
  for (const [family, options] of [['fetch', {}], ['abortInFetch', {}], ['freed', { calls: 10_000 }], ['freedWaits', { waits: 14_000 }]]) {
    const res = await mf.dispatchFetch('http://worker.test/', { method: 'POST', body: JSON.stringify({ hostile: options, family }) });
    const stats = await res.json();
    console.log(`hostile ${family} (workerd): ${stats.calls} calls in ${stats.ms} ms`);
    assert.deepEqual(stats.broken, [], family);
  }
});

test('workerd: 300 hostile inputs through every export; a valid call still cancels', async () => {
  const res = await mf.dispatchFetch('http://worker.test/', { method: 'POST', body: JSON.stringify({ hostile: { count: 300 } }) });
  const stats = await res.json();
  console.log(`hostile fuzz (workerd): ${stats.inputs} inputs, ${stats.calls} calls (${stats.refused} refused) in ${stats.ms} ms; slowest call ${stats.slowestMs} ms`);
  assert.deepEqual(stats.broken, []);
  const emulator = await startEmulator();
  try {
    const token = freshToken('workerd-after-fuzz');
    await seedRuns(emulator.url, token, [{ id: 'wfr_a1', workflowUrl: 'https://app.test/a' }]);
    const index = scenarios.findIndex((s) => s.name.startsWith('all: true cancels every active run'));
    const body = JSON.stringify({ suite: 'scenarios', index, connection: { token, baseUrl: emulator.url } });
    const outcome = await (await mf.dispatchFetch('http://worker.test/', { method: 'POST', body })).json();
    assert.equal(outcome.value, 1);
    assert.deepEqual(await cancelledIds(emulator.url, token), ['wfr_a1']);
  } finally {
    await emulator.close();
  }
});
