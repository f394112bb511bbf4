// The installed package through Node's `require` (the CommonJS loader and "require" condition).
import { createRequire } from 'node:module';
import { runScenarios, settle } from './runner.mjs';
import { scenarios } from './scenarios.mjs';

const api = createRequire(import.meta.url)('qstash-cancel');

runScenarios('node-cjs', scenarios, {
  invoke: (scenario, connection) => settle(scenario, api, connection),
});
