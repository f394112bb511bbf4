// Sequential one-id cancels (query form) against a local keep-alive server, the clients taking
// turns call by call (the order rotating), so a slow spell of a shared machine falls on all of
// them alike; rounds of whole batches per client (bench/overhead.mjs) could not tell 5 % apart on
// a loaded 2-core machine. Each client's figure is the mean of its calls with the slowest 5 %
// (scheduler stalls) left out; the ratios are those means' inverses, as throughputs.
//   node bench/interleaved.mjs [<built pkg dir> [<baseline pkg dir>]]   (default: pkg/)
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { officialCancel } from './official-cancel.mjs';
import { answeringServer, fmt, stats } from './lib.mjs';

const TOKEN = 'bench-token';
const CALLS = Number(process.env.BENCH_CALLS ?? 20000);
const [dir = new URL('../pkg', import.meta.url).pathname, baselineDir] = process.argv.slice(2);
const load = (d) => import(pathToFileURL(resolve(d, 'node.js')).href);
const ours = await load(dir);
const baseline = baselineDir && (await load(baselineDir));

const server = await answeringServer();
const ids = ['wfr_1'];
const limited = () => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  const init = { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` }, redirect: 'manual', signal: controller.signal };
  return fetch(`${server.url}/v2/workflows/runs?workflowRunIds=wfr_1`, init)
    .then((res) => res.json())
    .then((json) => json.cancelled)
    .finally(() => clearTimeout(timer));
};
const clients = {
  'raw fetch + time limit': limited,
  official: () => officialCancel({ token: TOKEN, baseUrl: server.url, ids }),
  cancelRuns: () => ours.cancelRuns({ token: TOKEN, baseUrl: server.url, workflowRunIds: ids, encoding: 'query' }),
};
if (baseline) clients['cancelRuns (baseline)'] = () => baseline.cancelRuns({ token: TOKEN, baseUrl: server.url, workflowRunIds: ids, encoding: 'query' });
const entries = Object.entries(clients);
const times = Object.fromEntries(entries.map(([name]) => [name, []]));
for (let i = 0; i < 500; i++) for (const [, call] of entries) await call(); // warm-up
for (let i = 0; i < CALLS; i++) {
  for (let k = 0; k < entries.length; k++) {
    const [name, call] = entries[(i + k) % entries.length];
    const t0 = performance.now();
    await call();
    times[name].push(performance.now() - t0);
  }
}
await server.close();
const trimmed = (list) => {
  const sorted = [...list].sort((a, b) => a - b).slice(0, Math.floor(list.length * 0.95));
  return sorted.reduce((a, b) => a + b, 0) / sorted.length;
};
const mean = Object.fromEntries(entries.map(([name]) => [name, trimmed(times[name])]));
console.log(`${dir}${baselineDir ? ` (baseline ${baselineDir})` : ''}: ${fmt(CALLS)} calls each, interleaved\n`);
console.log('| client | µs a call (mean, slowest 5 % left out) | median µs | throughput over the official client | over raw fetch + time limit |\n|---|---|---|---|---|');
for (const [name] of entries) {
  console.log(`| ${name} | ${fmt(mean[name] * 1000, 1)} | ${fmt(stats(times[name]).p50 * 1000, 1)} | ${fmt(mean.official / mean[name], 3)}x | ${fmt(mean['raw fetch + time limit'] / mean[name], 3)}x |`);
}
