// Cold start in workerd, measured two ways: from a fresh Miniflare instance (workerd's process
// start included) to the first answered request, and from the runtime being ready (`mf.ready`)
// to that answer, for a Worker that imports the package and cancels once, against the same
// Worker using raw fetch.
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
  const ready = Object.fromEntries(Object.keys(workers).map((name) => [name, []]));
  const order = Object.entries(workers);
  for (let i = 0; i < RUNS; i++) {
    order.reverse();
    for (const [name, source] of order) {
      const started = performance.now();
      const mf = new Miniflare({ modules: workerModules(source, pkgDir), modulesRoot: root, compatibilityDate: '2025-01-01', bindings: { URL: server.url } });
      await mf.ready;
      const readyAt = performance.now();
      const res = await mf.dispatchFetch('http://worker.test/');
      const body = await res.json();
      times[name].push(performance.now() - started);
      ready[name].push(performance.now() - readyAt);
      await mf.dispose();
      if (body.cancelled !== 1) throw new Error(`${name} answered ${JSON.stringify(body)}`);
    }
  }
  await server.close();
  const [raw, ours] = Object.values(times);
  const [rawReady, oursReady] = Object.values(ready);
  return {
    ...Object.fromEntries(Object.entries(times).map(([name, t]) => [name, stats(t)])),
    ready: Object.fromEntries(Object.entries(ready).map(([name, t]) => [name, stats(t)])),
    difference: stats(ours.map((t, i) => t - raw[i])).p50,
    readyDifference: stats(oursReady.map((t, i) => t - rawReady[i])).p50,
  };
}

export function coldStartTable(results) {
  const lines = ['| Worker | from a new instance: median ms | p99 ms | from the runtime ready: median ms | p99 ms |', '|---|---|---|---|---|'];
  for (const name of Object.keys(workers)) {
    const [all, ready] = [results[name], results.ready[name]];
    lines.push(`| ${name} | ${fmt(all.p50, 1)} | ${fmt(all.p99, 1)} | ${fmt(ready.p50, 1)} | ${fmt(ready.p99, 1)} |`);
  }
  const ours = results['qstash-cancel Worker'].p50;
  const raw = results['raw fetch Worker'].p50;
  lines.push('', `qstash-cancel − raw fetch, median of ${RUNS} paired runs: **${fmt(results.difference, 1)} ms** from a new instance (medians ${fmt(ours, 1)} / ${fmt(raw, 1)} ms, ratio ${fmt(ours / raw, 2)}x), **${fmt(results.readyDifference, 1)} ms** from the runtime ready.`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(coldStartTable(await coldStart()));
