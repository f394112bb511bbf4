// The README's JavaScript examples, run as written against the emulator, so they cannot rot.
// Blocks fenced as ```js node-test run in Node; ```js worker-test run as a Worker in workerd.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { repo, devDependency, startEmulator, seedRuns, cancelledIds, freshToken } from './helpers.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const readme = readFileSync(`${repo}/README.md`, 'utf8');
const block = (kind) => {
  const found = [...readme.matchAll(/```js (\S+)\n([\s\S]*?)```/g)].filter((m) => m[1] === kind);
  assert.equal(found.length, 1, `README has one ${kind} block`);
  return found[0][2];
};

const runs = [
  { id: 'r1', workflowUrl: 'https://app.example.com/api/workflows/report', label: 'nightly' },
  { id: 'r2', workflowUrl: 'https://app.example.com/api/workflows/report-v2', label: 'nightly' },
  { id: 'r3', workflowUrl: 'https://app.example.com/api/workflows/report', label: 'adhoc' },
  { id: 'r4', workflowUrl: 'https://app.example.com/api/workflows/billing', label: 'nightly' },
];

let emulator;
test.before(async () => (emulator = await startEmulator()));

/** The README's Worker example `kind` in workerd (Miniflare), connected to the emulator as `token`. */
async function readmeWorker(kind, token) {
  // wrangler resolves the bare name through the "workerd" condition (checked in workerd.test.mjs).
  const source = block(kind).replace('from "qstash-cancel"', 'from "./node_modules/qstash-cancel/workerd.js"');
  writeFileSync(`${here}readme-${kind}.mjs`, source);
  const { Miniflare } = await devDependency('miniflare');
  return new Miniflare({
    modules: true,
    scriptPath: `${here}readme-${kind}.mjs`,
    modulesRoot: here,
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
    compatibilityDate: '2025-01-01',
    bindings: { QSTASH_TOKEN: token, QSTASH_URL: emulator.url },
  });
}
test.after(() => emulator.close());

test('README: the Node quick start cancels what it says', async () => {
  const token = freshToken('readme-node');
  await seedRuns(emulator.url, token, runs);
  writeFileSync(`${here}readme-node.mjs`, block('node-test'));
  // Asynchronously: the emulator lives in this process and must keep answering.
  const { stdout } = await promisify(execFile)(process.execPath, ['readme-node.mjs'], {
    cwd: here,
    env: { ...process.env, QSTASH_TOKEN: token, QSTASH_URL: emulator.url },
    encoding: 'utf8',
  });
  assert.equal(stdout.trim(), 'cancelled 2 runs');
  assert.deepEqual(await cancelledIds(emulator.url, token), ['r1', 'r2']);
});

test('README: the Workers example cancels ids and reports refusals', async () => {
  const token = freshToken('readme-worker');
  await seedRuns(emulator.url, token, runs);
  const mf = await readmeWorker('worker-test', token);
  try {
    const post = (body) => mf.dispatchFetch('http://admin.test/', { method: 'POST', body: JSON.stringify(body) });
    let res = await post(['r3', 'r4']);
    assert.deepEqual([res.status, await res.json()], [200, { cancelled: 2 }]);
    res = await post([]);
    const refusal = await res.json();
    assert.equal(res.status, 400);
    assert.equal(refusal.code, 'INVALID_OPTIONS');
    assert.equal(refusal.field, 'workflowRunIds');
    assert.deepEqual(await cancelledIds(emulator.url, token), ['r3', 'r4']);
  } finally {
    await mf.dispose();
  }
});

test('README: the bulk-actions example starts a cancel in the background, follows it, and lists the history', async () => {
  const token = freshToken('readme-bulk');
  await seedRuns(emulator.url, token, runs);
  writeFileSync(`${here}readme-bulk.mjs`, block('node-bulk-test'));
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['readme-bulk.mjs'], {
    cwd: here,
    env: { ...process.env, QSTASH_TOKEN: token, QSTASH_URL: emulator.url },
    encoding: 'utf8',
  });
  const [line, ...listed] = stdout.trim().split('\n');
  const [, actionId] = /^(ba_\S+) FINISHED: 3 of 3 processed$/.exec(line) ?? [];
  assert.ok(actionId, stdout);
  assert.deepEqual(listed, [actionId]);
  assert.match(stderr, /3 of 3 processed/);
  assert.deepEqual(await cancelledIds(emulator.url, token), ['r1', 'r2', 'r4']);
});

test('README: the Workers bulk-actions example starts one and reads it back', async () => {
  const token = freshToken('readme-worker-bulk');
  await seedRuns(emulator.url, token, runs);
  const mf = await readmeWorker('worker-bulk-test', token);
  try {
    const { actionId } = await (await mf.dispatchFetch('http://admin.test/', { method: 'POST', body: JSON.stringify({ label: 'adhoc' }) })).json();
    assert.match(actionId, /^ba_/);
    let action;
    for (let i = 0; i < 50 && action?.state !== 'FINISHED'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      action = await (await mf.dispatchFetch(`http://admin.test/?action=${actionId}`)).json();
    }
    assert.deepEqual([action.actionId, action.state, action.total], [actionId, 'FINISHED', 1]);
    assert.deepEqual(await cancelledIds(emulator.url, token), ['r3']);
  } finally {
    await mf.dispose();
  }
});
