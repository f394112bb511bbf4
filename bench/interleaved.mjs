// Sequential one-id cancels (query form) against a local keep-alive server, the clients taking
// turns call by call (the order rotating), so a slow spell of a shared machine falls on all of
// them alike; rounds of whole batches per client (bench/overhead.mjs) could not tell 5 % apart on
// a loaded 2-core machine. Each client's figures: the mean of every call (its throughput's
// inverse, slow calls and all) and the mean with the slowest 5 % (scheduler stalls) left out;
// the ratios are of those means' inverses, as throughputs.
//   node bench/interleaved.mjs [<built pkg dir> [<baseline pkg dir>]]   (default: pkg/)
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { officialCancel } from './official-cancel.mjs';
import { answeringServer, fmt, limitedFetch, stats } from './lib.mjs';

const TOKEN = 'bench-token';
const CALLS = Number(process.env.BENCH_CALLS ?? 20000);
const [dir = new URL('../pkg', import.meta.url).pathname, baselineDir] = process.argv.slice(2);
const load = (d) => import(pathToFileURL(resolve(d, 'node.js')).href);
const ours = await load(dir);
const baseline = baselineDir && (await load(baselineDir));

const server = await answeringServer();
const ids = ['wfr_1'];
const limited = () => limitedFetch(server.url, TOKEN);
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
const mean = (list, keep = 1) => {
  const kept = [...list].sort((a, b) => a - b).slice(0, Math.floor(list.length * keep));
  return kept.reduce((a, b) => a + b, 0) / kept.length;
};
const all = Object.fromEntries(entries.map(([name]) => [name, mean(times[name])]));
const trimmed = Object.fromEntries(entries.map(([name]) => [name, mean(times[name], 0.95)]));
const over = (means, a, b) => fmt(means[b] / means[a], 3);
console.log(`${dir}${baselineDir ? ` (baseline ${baselineDir})` : ''}: ${fmt(CALLS)} calls each, interleaved\n`);
console.log('| client | µs a call: mean (slowest 5 % out) | median | throughput over the official client | over raw fetch + time limit |\n|---|---|---|---|---|');
for (const [name] of entries) {
  console.log(`| ${name} | ${fmt(all[name] * 1000, 1)} (${fmt(trimmed[name] * 1000, 1)}) | ${fmt(stats(times[name]).p50 * 1000, 1)} | ` +
    `${over(all, name, 'official')}x (${over(trimmed, name, 'official')}x) | ${over(all, name, 'raw fetch + time limit')}x (${over(trimmed, name, 'raw fetch + time limit')}x) |`);
}
