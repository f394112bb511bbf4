// The installed package in workerd (Cloudflare's runtime), through Miniflare.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runScenarios } from './runner.mjs';
import { scenarios } from './scenarios.mjs';
import { faultScenarios } from './fault-scenarios.mjs';
import { devDependency } from './helpers.mjs';

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

for (const [suite, list] of Object.entries({ scenarios, faultScenarios })) {
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
