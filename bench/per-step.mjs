// Where a call's time goes, step by step: a stubbed-fetch cancel (one id, query form) timed in
// alternating rounds against raw fetch running the same stub, then profiled with V8's sampling
// profiler (node:inspector), each sample charged to the step it was taken in. The wasm's steps
// are told apart by its function names: build the package with `KEEP_NAMES=1
// scripts/build-pkg.sh` (the names section kept, the code the same) and copy pkg/ aside; in a
// build without names the wasm is one step.
//   node bench/per-step.mjs <built pkg dir>
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { fmt, stats } from './lib.mjs';

const CALLS = Number(process.env.BENCH_CALLS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const TOKEN = 'bench-token';
const base = 'http://127.0.0.1:1';
const dir = process.argv[2];
if (!dir) throw new Error('usage: node bench/per-step.mjs <built pkg dir>');
const api = await import(pathToFileURL(resolve(dir, 'node.js')).href);

globalThis.fetch = () => Promise.resolve(new Response('{"cancelled":1}', { headers: { 'content-type': 'application/json' } }));
const calls = {
  raw: () => fetch(`${base}/v2/workflows/runs?workflowRunIds=wfr_1`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } }).then((res) => res.json()),
  cancelRuns: () => api.cancelRuns({ token: TOKEN, baseUrl: base, workflowRunIds: ['wfr_1'], encoding: 'query' }),
};
const loop = async (call, n) => {
  for (let i = 0; i < n; i++) await call();
};
const perRound = { raw: [], cancelRuns: [] };
for (const call of Object.values(calls)) await loop(call, CALLS); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, call] of Object.entries(calls)) {
    const started = performance.now();
    await loop(call, CALLS);
    perRound[name].push(((performance.now() - started) * 1000) / CALLS);
  }
}
const us = stats(perRound.cancelRuns).p50;
const raw = stats(perRound.raw).p50;

// The steps, each found by a wasm function's name anywhere on a sample's stack (the innermost
// wins): what a call does inside the wasm, in order.
const WASM_STEPS = [
  ['reading the options (one call into JS, the text decoded)', /input::options_from_js/],
  ['checking them (the rules)', /validate::parse_/],
  ['planning (the machine)', /Cancellation::new/],
  ['building the request and handing it over', /call::Call::poll|call_poll/],
  ['reading the answer', /call::Call::answer|call_answer/],
  ['finishing (the count)', /call::Call::finish|call_finish/],
];
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 50 });
await session.post('Profiler.start');
await loop(calls.cancelRuns, CALLS * 4);
const { profile } = await session.post('Profiler.stop');
session.disconnect();

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const named = profile.nodes.some((node) => /qstash_cancel::/.test(node.callFrame.functionName));
const spent = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const t = profile.timeDeltas[i] ?? 0;
  const stack = [];
  for (let at = id; at !== undefined; at = parent.get(at)) stack.push(nodes.get(at).callFrame);
  const leaf = stack[0];
  let step;
  for (const frame of stack) {
    step = WASM_STEPS.find(([, name]) => name.test(frame.functionName))?.[0];
    if (step) break;
  }
  if (step) {
  } else if (leaf.functionName === '(garbage collector)') step = 'garbage collection';
  else if (['(program)', '(idle)', '(root)'].includes(leaf.functionName)) step = 'the engine, outside any function';
  else if (/^wasm:|\.wasm/.test(leaf.url)) step = named ? 'the wasm, elsewhere (the exports, the allocator)' : 'the wasm (a build without names)';
  else if (/qstash_cancel\.js$/.test(leaf.url)) step = "the executor (drive.js) and the glue's crossings";
  else if (/per-step\.mjs$/.test(leaf.url)) step = 'the stubbed fetch and the loop';
  else step = "the platform: fetch's Response and its stream, AbortController, timers, promises";
  spent.set(step, (spent.get(step) ?? 0) + t);
  total += t;
});

console.log(`${dir}\n\nA cancelRuns with \`fetch\` stubbed (one id, query form): **${fmt(us, 1)} µs** a call; raw fetch with the same stub: ${fmt(raw, 1)} µs ` +
  `(medians of ${ROUNDS} alternating rounds of ${CALLS} calls; rounds of cancelRuns ${perRound.cancelRuns.map((v) => fmt(v, 0)).join(', ')}).`);
console.log(`\n| step (share of ${fmt(profile.samples.length)} profile samples over ${fmt(CALLS * 4)} calls) | share | µs a call |\n|---|---|---|`);
for (const [step, t] of [...spent].sort((a, b) => b[1] - a[1])) console.log(`| ${step} | ${fmt((100 * t) / total, 1)} % | ${fmt((us * t) / total, 1)} |`);
