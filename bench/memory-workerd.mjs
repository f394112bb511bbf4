// Memory of a 1,000,000-id cancel (ids of 30 characters) inside workerd (Miniflare), in one
// encoding (argv[2]), against bench/counting-server.mjs. The Worker makes the ids itself and
// cancels them; the workerd process's resident memory is sampled every 5 ms from /proc, and
// growth is counted from the Worker's state after a first small cancel (the isolate and the
// wasm instance up). argv[3] `raw`: the baseline Worker, the same requests built in plain JS and
// sent with `fetch`, 8 at a time. Prints JSON. Linux only (reads /proc).
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { root, workerModules } from '../www/dev/worker-host.mjs';
import { idList, rawFetch } from './raw-fetch.mjs';

const encoding = process.argv[2] ?? 'body';
const raw = process.argv[3] === 'raw';
const pkgDir = fileURLToPath(new URL('../pkg', import.meta.url));
const server = spawn(process.execPath, [fileURLToPath(new URL('counting-server.mjs', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = await once(server.stdout, 'data');
const baseUrl = String(line).trim().split('=')[1];

const source = `import { cancelRunsDetailed } from 'qstash-cancel';
const ids = ${idList.toString()};
${rawFetch.toString()}
export default { async fetch(req, env) {
  const n = Number(new URL(req.url).searchParams.get('n'));
  const list = ids(n);
  const summary = ${raw} ? await rawFetch(env.URL, list, '${encoding}')
    : await cancelRunsDetailed({ token: 't', baseUrl: env.URL, workflowRunIds: list, encoding: '${encoding}', concurrency: 8 });
  return Response.json(summary);
} };`;
const mf = new Miniflare({ modules: workerModules(source, pkgDir), modulesRoot: root, compatibilityDate: '2025-01-01', bindings: { URL: baseUrl } });
await (await mf.dispatchFetch('http://worker.test/?n=1000')).json();
const pid = execFileSync('pgrep', ['-n', 'workerd'], { encoding: 'utf8' }).trim();
const rss = () => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) * 1024;
const baseline = rss();
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 5);
const started = performance.now();
const summary = await (await mf.dispatchFetch('http://worker.test/?n=1000000')).json();
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
peak = Math.max(peak, rss());
await mf.dispose();
server.kill();
const mb = (bytes) => Math.round(bytes / 2 ** 20 * 10) / 10;
console.log(JSON.stringify({ runtime: 'workerd', encoding, worker: raw ? 'raw fetch' : 'qstash-cancel', cancelled: summary.cancelled, requests: summary.requests, seconds, baselineMb: mb(baseline), peakMb: mb(peak), growthMb: mb(peak - baseline) }));
