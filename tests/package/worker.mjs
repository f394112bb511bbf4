// A module Worker that runs one shared scenario per request (of either suite) with the package's workerd entry
// (what wrangler picks through the "workerd" export condition).
import * as api from './node_modules/qstash-cancel/workerd.js';
import { scenarios, settle } from './scenarios.mjs';
import { faultScenarios } from './fault-scenarios.mjs';
import { exactScenarios } from './exact-scenarios.mjs';
import { bulkScenarios } from './bulk-scenarios.mjs';
import { interruptionScenarios } from './interruption-scenarios.mjs';
import { fuzz, fuzzAbortInFetch, fuzzFetch, fuzzFreed, fuzzFreedWaits } from './hostile.mjs';

const suites = { scenarios, faultScenarios, exactScenarios, bulkScenarios, interruptionScenarios };

export default {
  async fetch(request) {
    const { suite, index, connection, hostile, family } = await request.json();
    const families = { fetch: fuzzFetch, abortInFetch: fuzzAbortInFetch, freed: fuzzFreed, freedWaits: fuzzFreedWaits };
    if (hostile) return Response.json(await (families[family] ?? fuzz)(api, hostile));
    return Response.json(await settle(suites[suite][index], api, connection));
  },
};
