// The adversarial fuzzer (hostile.mjs) against the installed package in Node, `import` and
// `require` sharing one instance; then a valid call must still cancel, on the emulator.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as api from 'qstash-cancel';
import { fuzz } from './hostile.mjs';
import { startEmulator, seedRuns, cancelledIds, freshToken } from './helpers.mjs';

const escaped = [];
process.on('unhandledRejection', (reason) => escaped.push(`unhandled rejection: ${reason}`));
process.on('uncaughtException', (err) => escaped.push(`uncaught exception: ${err}`));

test('node: 1,000 hostile inputs through every export are refusals or settled calls, and the instance keeps working', async () => {
  const stats = await fuzz(api, { count: 1_000 });
  console.log(`hostile fuzz (node): ${stats.inputs} inputs, ${stats.calls} calls (${stats.refused} refused) in ${stats.ms} ms; slowest call ${stats.slowestMs} ms`);
  assert.deepEqual(stats.broken, []);
  assert.ok(stats.refused > stats.calls / 2, `mostly refusals: ${stats.refused} of ${stats.calls}`);
  // Timers and listeners of the calls above have run out; nothing escaped to the process.
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(escaped, []);

  const emulator = await startEmulator();
  try {
    const token = freshToken('after-fuzz');
    await seedRuns(emulator.url, token, [{ id: 'after_1', workflowUrl: 'https://app.test/a' }]);
    assert.equal(await api.cancelRuns({ token, baseUrl: emulator.url, workflowRunIds: ['after_1'] }), 1);
    assert.deepEqual(await cancelledIds(emulator.url, token), ['after_1']);
  } finally {
    await emulator.close();
  }
});
