// Runs the shared scenarios with node:test for one runtime. `invoke(scenario, connection)`
// runs the call where the runtime lives and returns { value } or { error: {name, code, ...} }.
import test from 'node:test';
import assert from 'node:assert/strict';
import { scenarios } from './scenarios.mjs';

export { settle } from './scenarios.mjs';
import { startEmulator, seedRuns, cancelledIds, getLog, injectFaults, freshToken, sampleRuns } from './helpers.mjs';

export function runScenarios(runtime, { setup, teardown, invoke }) {
  test.describe(runtime, () => {
    let emulator, server;
    test.before(async () => {
      server = await startEmulator();
      emulator = server.url;
      await setup?.(emulator);
    });
    test.after(async () => {
      await teardown?.();
      await server.close();
    });
    for (const scenario of scenarios) {
      test(scenario.name, async () => {
        const token = freshToken(`${runtime}-${scenario.name}`);
        await seedRuns(emulator, token, sampleRuns());
        if (scenario.fault) await injectFaults(emulator, token, [scenario.fault]);
        const outcome = await invoke(scenario, { token, baseUrl: emulator });
        if (scenario.error) {
          assert.ok(outcome.error, `expected an error, got ${JSON.stringify(outcome)}`);
          assert.equal(outcome.error.name, 'QStashCancelError');
          assert.equal(outcome.error.isInstance, true, 'instanceof QStashCancelError');
          for (const [key, want] of Object.entries(scenario.error)) {
            if (want instanceof RegExp) assert.match(outcome.error[key], want);
            else assert.equal(outcome.error[key], want, key);
          }
          assert.ok(!JSON.stringify(outcome.error).includes(token), 'the token leaked into the error');
        } else {
          assert.equal(outcome.error, undefined, JSON.stringify(outcome.error));
          assert.equal(outcome.value, scenario.result);
        }
        assert.deepEqual(await cancelledIds(emulator, token), scenario.cancelled);
        const log = await getLog(emulator, token);
        if (scenario.error?.code === 'INVALID_OPTIONS') assert.equal(log.length, 0, 'a refused call sent a request');
        if (scenario.query !== undefined) assert.equal(log[0].query, scenario.query);
        if (scenario.body !== undefined) assert.equal(log[0].body, scenario.body);
        for (const entry of log) {
          assert.equal(entry.method, 'DELETE');
          assert.equal(entry.path, '/v2/workflows/runs');
        }
      });
    }
  });
}
