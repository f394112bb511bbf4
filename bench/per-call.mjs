// Per-call cost of two builds of the package side by side, in one run: `fetch` stubbed to answer
// at once, so the figure is the library's own work (reading and checking the options, planning,
// building, reading the answer) and not the network's. Rounds alternate between the builds, and
// each figure is the median over rounds, beside raw fetch running the same stub.
//   node bench/per-call.mjs <built pkg dir A> [<built pkg dir B>]
// (a built pkg dir: pkg/ after scripts/build-pkg.sh, or a copy of it; it needs no install; a third, C, may follow).
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { fmt, stats } from './lib.mjs';

const CALLS = Number(process.env.BENCH_CALLS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const TOKEN = 'bench-token';
const base = 'http://127.0.0.1:1';
const dirs = process.argv.slice(2);
if (dirs.length === 0) throw new Error('usage: node bench/per-call.mjs <built pkg dir> [<another>]');

const action = '{"actionId":"ba_1","kind":"cancel","state":"FINISHED","total":1,"processed":1,"createdAt":1764000000000,"completedAt":1764000001000}';
globalThis.fetch = (url) => Promise.resolve(new Response(String(url).includes('bulkActions') ? action : '{"cancelled":1}', { headers: { 'content-type': 'application/json' } }));

const calls = { 'raw fetch + json()': () => fetch(`${base}/v2/workflows/runs?workflowRunIds=wfr_1`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } }).then((res) => res.json()) };
for (const [i, dir] of dirs.entries()) {
  const api = await import(pathToFileURL(resolve(dir, 'node.js')).href);
  const label = dirs.length > 1 ? ` (${'ABC'[i]})` : '';
  calls[`cancelRuns${label}`] = () => api.cancelRuns({ token: TOKEN, baseUrl: base, workflowRunIds: ['wfr_1'], encoding: 'query' });
  calls[`getBulkAction${label}`] = () => api.getBulkAction({ token: TOKEN, baseUrl: base, actionId: 'ba_1' });
}
const perRound = {};
for (const call of Object.values(calls)) for (let i = 0; i < CALLS; i++) await call(); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, call] of Object.entries(calls)) {
    const started = performance.now();
    for (let i = 0; i < CALLS; i++) await call();
    (perRound[name] ??= []).push(((performance.now() - started) * 1000) / CALLS);
  }
}
console.log(dirs.map((d, i) => `${'ABC'[i]}: ${d}`).join('\n'));
// Beside each build's median, its time over A's in the same round (the median of those): a slow
// spell of the shared machine then moves both sides of a ratio, not one.
const ratio = (name) => {
  const a = perRound[name.replace(/\(\w\)$/, '(A)')];
  return stats(perRound[name].map((v, i) => v / a[i])).p50;
};
console.log(`\n| call (fetch stubbed, median of ${ROUNDS} rounds of ${CALLS}) | µs a call | over A, same round |\n|---|---|---|`);
for (const [name, list] of Object.entries(perRound)) console.log(`| ${name} | ${fmt(stats(list).p50, 1)} | ${/\(\w\)$/.test(name) ? fmt(ratio(name), 3) : ''} |`);
