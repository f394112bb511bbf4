// Runs a list of shared scenarios with node:test for one runtime. `invoke(scenario, connection)`
// runs the call where the runtime lives and returns the outcome `settle` reports.
//
// A scenario: { name, call(api, connection, record), runs?() (default: sampleRuns()),
//   faults?() (injected first), result? | error?: {prop: value | RegExp} (neither: check() looks),
//   cancelled: ids | (runs) => ids (the emulator's resulting cancelled set),
//   attempts?: requests the emulator must have received, query?, body?, check?(outcome, seen),
//   token?(fresh) (the account's token, made from a fresh one),
//   runtimes?: the runtimes it runs in, by name prefix (default: all),
//   actions?() (bulk actions seeded as they are), speed? (how fast async cancels go) }
import test from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, seedRuns, cancelledIds, getLog, injectFaults, freshToken, seedActions, setBulkSpeed } from './helpers.mjs';
import { leakIn, sampleRuns } from './scenarios.mjs';

export { settle } from './scenarios.mjs';

export function runScenarios(runtime, list, { setup, teardown, invoke }) {
  test.describe(runtime, () => {
    let server;
    test.before(async () => {
      server = await startEmulator();
      await setup?.(server.url);
    });
    test.after(async () => {
      await teardown?.();
      await server.close();
    });
    for (const scenario of list) {
      const runsHere = !scenario.runtimes || scenario.runtimes.some((name) => runtime.startsWith(name));
      (runsHere ? test : test.skip)(scenario.name, async () => {
        const emulator = server.url;
        // Not named after the scenario: the leak check below looks for any 12 characters of the
        // token, and a name such as "...UNAUTHORIZED..." would find itself in the error code.
        const fresh = freshToken(`${runtime}-${list.indexOf(scenario)}`);
        const token = scenario.token?.(fresh) ?? fresh;
        const runs = scenario.runs?.() ?? sampleRuns();
        await seedRuns(emulator, token, runs);
        if (scenario.actions) await seedActions(emulator, token, scenario.actions());
        if (scenario.speed) await setBulkSpeed(emulator, token, scenario.speed);
        if (scenario.faults) await injectFaults(emulator, token, scenario.faults({ token, baseUrl: emulator }));
        const outcome = await invoke(scenario, { token, baseUrl: emulator });
        const { error } = outcome;
        if (scenario.error) {
          assert.ok(error, `expected an error, got ${JSON.stringify(outcome.value)}`);
          assert.equal(error.name, 'QStashCancelError');
          assert.equal(error.isInstance, true, 'instanceof QStashCancelError');
          for (const [key, want] of Object.entries(scenario.error)) {
            if (want instanceof RegExp) assert.match(error[key], want, key);
            else assert.deepEqual(error[key], want, key);
          }
        } else {
          assert.equal(error, undefined, JSON.stringify(error));
          if ('result' in scenario) assert.deepEqual(outcome.value, scenario.result);
        }
        // No piece of the token, in any form a server may echo it in, appears anywhere in what a
        // caller can see of an error.
        if (error) assert.equal(leakIn(JSON.stringify(error), token), undefined, 'the token leaked into the error');

        const cancelled = await cancelledIds(emulator, token);
        const want = (typeof scenario.cancelled === 'function' ? scenario.cancelled(runs) : scenario.cancelled).toSorted();
        assert.ok(cancelled.length === want.length && cancelled.every((id, i) => id === want[i]),
          `emulator cancelled ${cancelled.length} runs (${cancelled.slice(0, 5)}...), expected ${want.length}`);
        const log = await getLog(emulator, token);
        if (scenario.error?.code === 'INVALID_OPTIONS') assert.equal(log.length, 0, 'a refused call sent a request');
        if (scenario.attempts !== undefined) assert.equal(log.length, scenario.attempts, 'requests the emulator received');
        if (scenario.query !== undefined) assert.equal(log[0].query, scenario.query);
        if (scenario.body !== undefined) assert.equal(log[0].body, scenario.body);
        for (const entry of log) {
          // Cancels are DELETEs of the endpoint; bulk-action reads are GETs of theirs.
          const read = entry.path === '/v2/workflows/bulkActions' || entry.path.startsWith('/v2/workflows/bulkActions/');
          assert.equal(entry.method, read ? 'GET' : 'DELETE');
          if (!read) assert.equal(entry.path, '/v2/workflows/runs');
          assert.equal(entry.authorization, `Bearer ${token}`);
        }
        await scenario.check?.(outcome, { log, cancelled, runs, baseUrl: emulator });
      });
    }
  });
}
