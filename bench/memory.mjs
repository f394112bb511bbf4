// Memory of a 1,000,000-id cancel (ids of 30 characters) in Node, in one encoding (argv[2]:
// body or query), against bench/counting-server.mjs in a child process (not counted). argv[4]
// `raw`: the baseline, the same requests built in plain JS and sent with `fetch`, 8 at a time,
// which is what Node's fetch itself costs. Growth is
// measured from a settled baseline: the ids are made and garbage is collected (node
// --expose-gc) before the baseline is read, and the peak is the largest RSS sampled every 2 ms
// during the call (and the process's own high-water mark, which cannot be lower). argv[3]: the
// package folder to load (default: ../pkg), to measure another build the same way. Prints JSON.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { idList, rawFetch } from './raw-fetch.mjs';

const encoding = process.argv[2] ?? 'body';
const pkg = process.argv[3] || new URL('../pkg', import.meta.url).pathname;
const server = spawn(process.execPath, [new URL('counting-server.mjs', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = await once(server.stdout, 'data');
const baseUrl = String(line).trim().split('=')[1];

const { cancelRunsDetailed } = await import(pathToFileURL(`${pkg}/node.js`).href);
const ids = idList(1_000_000);
const mb = (bytes) => Math.round(bytes / 2 ** 20 * 10) / 10;
for (let i = 0; i < 3; i++) globalThis.gc();
await new Promise((resolve) => setTimeout(resolve, 50));
const baseline = process.memoryUsage().rss;
const highBefore = process.resourceUsage().maxRSS * 1024;
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
const started = performance.now();
const summary = process.argv[4] === 'raw'
  ? await rawFetch(baseUrl, ids, encoding)
  : await cancelRunsDetailed({ token: 'bench-memory', baseUrl, workflowRunIds: ids, encoding, concurrency: 8 });
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
// The high-water mark counts only if the call raised it past where it stood before.
const highAfter = process.resourceUsage().maxRSS * 1024;
if (highAfter > highBefore) peak = Math.max(peak, highAfter);
server.kill();
console.log(JSON.stringify({ encoding, cancelled: summary.cancelled, requests: summary.requests, seconds, baselineMb: mb(baseline), peakMb: mb(peak), growthMb: mb(peak - baseline) }));
