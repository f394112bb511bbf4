// Cold start in workerd: from a fresh Miniflare instance to the first answered request, for a
// Worker that imports the package and cancels once, against the same Worker using raw fetch.
// Both call a local answering server. Runs come in pairs whose order flips every time (so neither
// Worker always starts on a warmer machine), and the difference is the median of the pairs'.
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { answeringServer, fmt, stats } from './lib.mjs';
import { root, workerModules } from '../www/dev/worker-host.mjs';

const pkgDir = fileURLToPath(new URL('../pkg', import.meta.url));
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 25);

const workers = {
  'raw fetch Worker': `export default { async fetch(req, env) {
      const res = await fetch(env.URL + '/v2/workflows/runs', { method: 'DELETE', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: '{"workflowRunIds":["wfr_1"]}' });
      return Response.json(await res.json()); } };`,
  'qstash-cancel Worker': `import { cancelRuns } from 'qstash-cancel';
    export default { async fetch(req, env) {
      return Response.json({ cancelled: await cancelRuns({ token: 't', baseUrl: env.URL, workflowRunIds: ['wfr_1'] }) }); } };`,
};

export async function coldStart() {
  const server = await answeringServer();
  const times = Object.fromEntries(Object.keys(workers).map((name) => [name, []]));
  const order = Object.entries(workers);
  for (let i = 0; i < RUNS; i++) {
    order.reverse();
    for (const [name, source] of order) {
      const started = performance.now();
      const mf = new Miniflare({ modules: workerModules(source, pkgDir), modulesRoot: root, compatibilityDate: '2025-01-01', bindings: { URL: server.url } });
      const res = await mf.dispatchFetch('http://worker.test/');
      const body = await res.json();
      times[name].push(performance.now() - started);
      await mf.dispose();
      if (body.cancelled !== 1) throw new Error(`${name} answered ${JSON.stringify(body)}`);
    }
  }
  await server.close();
  const [raw, ours] = Object.values(times);
  return {
    ...Object.fromEntries(Object.entries(times).map(([name, t]) => [name, stats(t)])),
    difference: stats(ours.map((t, i) => t - raw[i])).p50,
  };
}

export function coldStartTable(results) {
  const lines = ['| Worker | median ms | p99 ms |', '|---|---|---|'];
  for (const name of Object.keys(workers)) lines.push(`| ${name} | ${fmt(results[name].p50, 1)} | ${fmt(results[name].p99, 1)} |`);
  const ours = results['qstash-cancel Worker'].p50;
  const raw = results['raw fetch Worker'].p50;
  lines.push('', `qstash-cancel − raw fetch, median of ${RUNS} paired runs: **${fmt(results.difference, 1)} ms** (medians ${fmt(ours, 1)} / ${fmt(raw, 1)} ms, ratio ${fmt(ours / raw, 2)}x).`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(coldStartTable(await coldStart()));
