// Cold start in workerd: from a fresh Miniflare instance to the first answered request, for a
// Worker that imports the package and cancels once, against the same Worker using raw fetch.
// Both call a local answering server; medians of alternating runs.
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { answeringServer, fmt, stats } from './lib.mjs';
import { root, workerModules } from '../www/dev/worker-host.mjs';

const pkgDir = fileURLToPath(new URL('../pkg', import.meta.url));
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 9);

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
  for (let i = 0; i < RUNS; i++) {
    for (const [name, source] of Object.entries(workers)) {
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
  return Object.fromEntries(Object.entries(times).map(([name, t]) => [name, stats(t)]));
}

export function coldStartTable(results) {
  const lines = ['| Worker | median ms | p99 ms |', '|---|---|---|'];
  for (const [name, r] of Object.entries(results)) lines.push(`| ${name} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} |`);
  const ours = results['qstash-cancel Worker'].p50;
  const raw = results['raw fetch Worker'].p50;
  lines.push('', `qstash-cancel − raw fetch: **${fmt(ours - raw, 1)} ms** (ratio ${fmt(ours / raw, 2)}x).`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(coldStartTable(await coldStart()));
