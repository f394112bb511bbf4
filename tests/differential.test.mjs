// Differential test against the official client, @upstash/workflow 1.3.3: the same filter, sent
// by both to the emulator, must reach it as the same query parameters (values compared decoded,
// since the two encode reserved characters differently) and cancel the same runs. The official
// client always adds count=100 and sends nothing but the query; this library sends `count` only
// when asked, so `count` is left out of the comparison and this library sends one request
// (`untilDone: false`) to match the official client's one.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Client as Official } from '@upstash/workflow';
import { cancelRuns } from '../pkg/node.js';
import { startEmulator } from './emulator/server.mjs';
import { seedRuns, cancelledIds, getLog, freshToken } from './emulator/control.mjs';

const runs = [
  { id: 'd1', workflowUrl: 'https://a.test/api/one', label: 'nightly', callerIp: '10.0.0.1', flowControlKey: 'k1', createdAt: 1_700_000_000_000 },
  { id: 'd2', workflowUrl: 'https://b.test/api/one', label: 'adhoc', callerIp: '10.0.0.2', flowControlKey: 'k2', createdAt: 1_750_000_000_000 },
  { id: 'd3', workflowUrl: 'https://a.test/api/two', label: 'nightly', callerIp: '10.0.0.1', flowControlKey: 'k1', createdAt: 1_760_000_000_000 },
  { id: 'd4', workflowUrl: 'https://c.test/api/one?x=1', label: 'a b&c', callerIp: '10.0.0.3', flowControlKey: 'k/3', createdAt: 1_770_000_000_000 },
];

// (what, the official client's filter, this library's options)
const cases = [
  ['host, several values', { host: ['a.test', 'b.test'] }, { host: ['a.test', 'b.test'] }],
  ['path', { path: '/api/one' }, { path: '/api/one' }],
  ['host and path with a label', { host: 'a.test', path: ['/api/one', '/api/two'], label: 'nightly' },
    { host: 'a.test', path: ['/api/one', '/api/two'], label: 'nightly' }],
  ['a workflow URL prefix', { workflowUrlStartingWith: 'https://a.test/api' }, { workflowUrl: 'https://a.test/api' }],
  ['an exact workflow URL', { workflowUrl: 'https://a.test/api/one' }, { workflowUrl: 'https://a.test/api/one', workflowUrlExactMatch: true }],
  ['dates, caller IP and flow-control key', { fromDate: 1_740_000_000_000, toDate: new Date(1_780_000_000_000), callerIp: ['10.0.0.2', '10.0.0.3'], flowControlKey: 'k2' },
    { fromDate: 1_740_000_000_000, toDate: new Date(1_780_000_000_000), callerIp: ['10.0.0.2', '10.0.0.3'], flowControlKey: 'k2' }],
  ['reserved characters in values', { label: 'a b&c', flowControlKey: 'k/3' }, { label: 'a b&c', flowControlKey: 'k/3' }],
];

/** The query parameters of a request as key -> sorted decoded values, without `count`. */
function params(query) {
  const parsed = new URLSearchParams(query);
  const keys = [...new Set(parsed.keys())].filter((key) => key !== 'count').sort();
  return Object.fromEntries(keys.map((key) => [key, parsed.getAll(key).sort()]));
}

let emulator;
test.before(async () => (emulator = await startEmulator()));
test.after(() => emulator.close());

for (const [what, filter, options] of cases) {
  test(`the official client and this library send the same filter: ${what}`, async () => {
    const theirs = freshToken('official');
    const ours = freshToken('ours');
    for (const token of [theirs, ours]) await seedRuns(emulator.url, token, runs);
    await new Official({ token: theirs, baseUrl: emulator.url }).cancel({ filter });
    await cancelRuns({ token: ours, baseUrl: emulator.url, ...options, untilDone: false });
    const [official, ourLog] = [await getLog(emulator.url, theirs), await getLog(emulator.url, ours)];
    assert.equal(official.length, 1);
    assert.equal(ourLog.length, 1);
    assert.deepEqual(params(ourLog[0].query), params(official[0].query), `${official[0].query} vs ${ourLog[0].query}`);
    assert.deepEqual(await cancelledIds(emulator.url, ours), await cancelledIds(emulator.url, theirs));
    assert.ok((await cancelledIds(emulator.url, ours)).length > 0, 'the filter matched something');
  });
}
