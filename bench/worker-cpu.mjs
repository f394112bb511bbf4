// CPU time one cancel costs inside workerd (Miniflare), at 1, 1,000 and 10,000 ids of 30
// characters: qstash-cancel's workerd entry (query and body form), raw fetch sending the same
// requests (bench/raw-fetch.mjs, built in plain JS) and the official client (`Client.cancel`,
// which sends every id in one URL). Every Worker cancels against bench/counting-server.mjs, and
// every answer is checked to have cancelled every id.
//
// Why the process's CPU and not a clock inside the Worker: workerd freezes `performance.now()`
// and `Date.now()` between I/O, so a Worker cannot time itself. The workerd process's CPU is read
// from /proc (each thread's run time in ns, /proc/<pid>/task/<tid>/schedstat) before and after
// a batch of invocations sent one after another; a Worker that answers at once without cancelling
// (the empty handler) is measured the same way in every round and subtracted, so what is left is
// the cancel: the Worker's JS and wasm, V8's garbage collection, and workerd's own work for the
// subrequests (HTTP and the socket calls of the kernel). That is an upper bound on the CPU time
// Cloudflare bills, which counts the isolate's execution. Each Worker is its own isolate, so one
// client's garbage is never collected on another's time. Linux only.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { previewRequest } from '../pkg/node.js';
import { root, workerModules } from '../www/dev/worker-host.mjs';
import { fmt, stats } from './lib.mjs';
import { idList, rawFetch } from './raw-fetch.mjs';
import { cpuMsSince, officialModule, systemMs, threadCpu, workerdPid } from './workerd.mjs';

const pkgDir = fileURLToPath(new URL('../pkg', import.meta.url));
/** The sizes measured, smallest first (BENCH_WORKER_CPU_IDS=1,3700 to check another size). */
const ID_COUNTS = (process.env.BENCH_WORKER_CPU_IDS ?? '1,1000,10000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_WORKER_CPU_ROUNDS ?? 7);
/** Invocations a sample: enough that a sample is over 100 ms of CPU at every size. */
const calls = (n) => (n < 100 ? 200 : n < 5_000 ? 40 : 8);
/**
 * The official client's URL costs time quadratic in the ids (it appends them one at a time to
 * `url.searchParams`, which serialises the whole query again each time): seconds of CPU at
 * 10,000 ids. Fewer invocations a sample there, in the first 3 rounds only, and no more than
 * 10,000 ids.
 */
const SLOW = { calls: (n) => (n < 100 ? 200 : n < 5_000 ? 5 : 1), rounds: 3, most: 10_000 };
/** qstash-cancel's default; the raw fetch Worker keeps as many requests in flight. */
const IN_FLIGHT = 4;
/** The Free plan's limits per invocation (Cloudflare's limits page, 2026). */
export const FREE = { cpuMs: 10, subrequests: 50 };

/** The same ids in every Worker, made once per size and kept. */
const prelude = `const lists = new Map();
const idList = ${idList.toString()};
const ids = (n) => lists.get(n) ?? lists.set(n, idList(n)).get(n);
const asked = (req) => { const url = new URL(req.url); return { n: Number(url.searchParams.get('n')), encoding: url.searchParams.get('encoding') }; };`;

/**
 * A fetch that answers at once, without a network, counting the ids a request carries as the
 * counting server does: what a cancel costs the isolate alone (the JS and the wasm), a lower
 * bound on what Cloudflare bills, beside the process's figure with real subrequests.
 */
const stubbedFetch = `globalThis.fetch = async (url, init = {}) => {
  const inQuery = (String(url).match(/[?&]workflowRunIds=/g) ?? []).length;
  const body = typeof init.body === 'string' || init.body === undefined ? init.body : new TextDecoder().decode(init.body);
  const inBody = body ? JSON.parse(body).workflowRunIds.length : 0;
  return new Response(JSON.stringify({ cancelled: inQuery + inBody }), { headers: { 'content-type': 'application/json' } });
};`;

/** Each Worker answers {"cancelled": n}; `encoding` is the form of the query string's choice. */
const workers = {
  empty: `${prelude}
    export default { async fetch(req) { return Response.json({ cancelled: ids(asked(req).n).length }); } };`,
  ours: `import { cancelRuns } from 'qstash-cancel';
    ${prelude}
    export default { async fetch(req, env) {
      const { n, encoding } = asked(req);
      return Response.json({ cancelled: await cancelRuns({ token: 't', baseUrl: env.URL, workflowRunIds: ids(n), encoding }) }); } };`,
  raw: `${prelude}
    ${rawFetch.toString()}
    export default { async fetch(req, env) {
      const { n, encoding } = asked(req);
      return Response.json(await rawFetch(env.URL, ids(n), encoding, ${IN_FLIGHT})); } };`,
  // Reading, checking and planning the list alone: previewRequest checks every id and counts
  // the requests, building only the first; the rest of a cancel's own time is building and
  // sending each request.
  preview: `import { previewRequest } from 'qstash-cancel';
    ${prelude}
    export default { async fetch(req, env) {
      const { n, encoding } = asked(req);
      const { requests } = previewRequest({ token: 't', baseUrl: env.URL, workflowRunIds: ids(n), encoding });
      return Response.json({ cancelled: n, requests }); } };`,
  get 'ours, fetch stubbed'() {
    return `${this.ours}\n${stubbedFetch}`;
  },
  get 'raw, fetch stubbed'() {
    return `${this.raw}\n${stubbedFetch}`;
  },
  official: `import { officialCancel } from './official.js';
    ${prelude}
    export default { async fetch(req, env) {
      return Response.json(await officialCancel({ token: 't', baseUrl: env.URL, ids: ids(asked(req).n) })); } };`,
};

/** What is measured: the Worker, and the form it is asked for. */
const CLIENTS = [
  ['qstash-cancel, query', 'ours', 'query'],
  ['qstash-cancel, body', 'ours', 'body'],
  ['raw fetch, query', 'raw', 'query'],
  ['raw fetch, body', 'raw', 'body'],
  ['official Client.cancel (query, one URL)', 'official', 'query', SLOW],
  ['qstash-cancel, query, fetch stubbed', 'ours, fetch stubbed', 'query'],
  ['qstash-cancel, body, fetch stubbed', 'ours, fetch stubbed', 'body'],
  ['raw fetch, query, fetch stubbed', 'raw, fetch stubbed', 'query'],
  ['raw fetch, body, fetch stubbed', 'raw, fetch stubbed', 'body'],
  ['qstash-cancel previewRequest alone, query', 'preview', 'query'],
  ['qstash-cancel previewRequest alone, body', 'preview', 'body'],
];

/** Starts the counting server with a header limit the official client's one-URL requests fit in. */
async function countingServer() {
  const script = fileURLToPath(new URL('counting-server.mjs', import.meta.url));
  const child = spawn(process.execPath, ['--max-http-header-size=4194304', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(child.stdout, 'data');
  return { url: String(line).trim().split('=')[1], close: () => child.kill() };
}

export async function workerCpu() {
  const server = await countingServer();
  const official = await officialModule();
  const mf = new Miniflare({
    workers: Object.entries(workers).map(([name, source]) => ({
      name: name.replaceAll(/\W+/g, '-'),
      routes: [`${name.replaceAll(/\W+/g, '-')}.test/*`],
      modules: [...workerModules(source, pkgDir), { type: 'ESModule', path: `${root}/official.js`, contents: official }],
      modulesRoot: root,
      compatibilityDate: '2025-01-01',
      // The raw fetch Worker splits a list as the package does (bench/raw-fetch.mjs), so both send the same requests.
      bindings: { URL: server.url },
    })),
  });
  try {
    await mf.ready;
    const pid = workerdPid();
    const requests = requestCounts(server.url);
    const invoke = async (worker, n, encoding) => {
      const res = await mf.dispatchFetch(`http://${worker.replaceAll(/\W+/g, '-')}.test/?n=${n}&encoding=${encoding}`);
      const text = await res.text();
      const answer = res.status === 200 ? JSON.parse(text) : {};
      const sent = answer.requests === undefined || worker === 'official' || answer.requests === requests[n][encoding];
      if (answer.cancelled !== n || !sent) throw new Error(`${worker} (${encoding}, ${n} ids) answered ${res.status} ${text.slice(0, 300)}`);
    };
    /** CPU ms and wall ms per invocation over `calls` invocations, one after another. */
    const sample = async (worker, n, encoding, calls) => {
      const [before, kernel] = [threadCpu(pid), systemMs(pid)];
      const started = performance.now();
      for (let i = 0; i < calls; i++) await invoke(worker, n, encoding);
      const wall = performance.now() - started;
      return { cpu: cpuMsSince(before, threadCpu(pid)) / calls, system: (systemMs(pid) - kernel) / calls, wall: wall / calls };
    };
    // Warm-up: every Worker's isolate up, its code optimised and its memory grown.
    for (const n of ID_COUNTS) {
      await sample('empty', n, 'query', 20);
      for (const [, worker, encoding, slow] of CLIENTS) if (!(n > slow?.most)) await sample(worker, n, encoding, slow ? 1 : Math.min(20, calls(n)));
    }
    // Rounds turn the order of the clients, so a busy moment of the shared machine does not
    // always fall on the same one; each client's figure is its median round.
    const samples = {};
    const keep = (key, value) => (samples[key] ??= []).push(value);
    for (let round = 0; round < ROUNDS; round++) {
      for (const n of ID_COUNTS) {
        const empty = await sample('empty', n, 'query', calls(1));
        keep(`empty|${n}`, empty);
        const order = CLIENTS.map((_, i) => CLIENTS[(i + round) % CLIENTS.length]);
        for (const [name, worker, encoding, slow] of order) {
          if (slow && (round >= slow.rounds || n > slow.most)) continue;
          const measured = await sample(worker, n, encoding, (slow ?? { calls }).calls(n));
          keep(`${name}|${n}`, { ...measured, net: measured.cpu - empty.cpu, netSystem: measured.system - empty.system });
        }
      }
    }
    return { samples, requests, limits: freePlanIds() };
  } finally {
    await mf.dispose();
    server.close();
  }
}

/** Requests a cancel of `n` ids to `baseUrl` sends in each form (the raw fetch Worker sends the same). */
function requestCounts(baseUrl) {
  const count = (n, encoding) => previewRequest({ token: 't', baseUrl, workflowRunIds: idList(n), encoding }).requests;
  return Object.fromEntries(ID_COUNTS.map((n) => [n, { query: count(n, 'query'), body: count(n, 'body') }]));
}

/** The most ids of 30 characters a cancel to `baseUrl` sends in at most `budget` requests (previewRequest's count). */
function mostIds(encoding, budget, baseUrl) {
  const takes = (n) => previewRequest({ token: 't', baseUrl, workflowRunIds: idList(n), encoding }).requests;
  let [fits, fails] = [1, 2];
  while (takes(fails) <= budget) [fits, fails] = [fails, fails * 2];
  while (fails - fits > 1) {
    const mid = Math.floor((fits + fails) / 2);
    if (takes(mid) <= budget) fits = mid;
    else fails = mid;
  }
  return fits;
}

/** The ids a Free-plan invocation's subrequests carry to the service's default URL, by form. */
const freePlanIds = () => Object.fromEntries(['query', 'body'].map((encoding) => [encoding, mostIds(encoding, FREE.subrequests, 'https://qstash.upstash.io')]));

/** Median, least and most over rounds, in ms. */
const spread = (values) => `${fmt(stats(values).p50, 3)} (${fmt(Math.min(...values), 3)}–${fmt(Math.max(...values), 3)})`;
const median = (values) => stats(values).p50;

export function workerCpuTable({ samples, requests, limits }) {
  const lines = [
    '| ids | client | requests | CPU ms an invocation, less the empty handler | of it, system | workerd process CPU ms | wall ms |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const n of ID_COUNTS) {
    const empty = samples[`empty|${n}`];
    lines.push(`| ${fmt(n)} | empty handler (the baseline) | 0 | | | ${spread(empty.map((s) => s.cpu))} | ${fmt(median(empty.map((s) => s.wall)), 3)} |`);
    for (const [name, worker, encoding] of CLIENTS) {
      const runs = samples[`${name}|${n}`];
      if (!runs) continue;
      const sent = { official: 1, preview: 0 }[worker] ?? requests[n][encoding];
      lines.push(`| ${fmt(n)} | ${name} | ${fmt(sent)} | **${spread(runs.map((s) => s.net))}** | ${fmt(median(runs.map((s) => s.netSystem)), 2)} | ${spread(runs.map((s) => s.cpu))} | ${fmt(median(runs.map((s) => s.wall)), 3)} |`);
    }
  }
  const slow = CLIENTS.find(([, , , isSlow]) => isSlow)[0];
  const slowRounds = ID_COUNTS.filter((n) => n <= SLOW.most).map((n) => `${fmt(n)} ids: ${samples[`${slow}|${n}`].length} rounds of ${SLOW.calls(n)}`).join(', ');
  lines.push('', `Median (least–most) over ${ROUNDS} rounds; a round's sample is ${ID_COUNTS.map((n) => `${calls(n)} invocations (${fmt(n)} ids)`).join(', ')} one after another (the official client, ${slowRounds}). Ids of 30 characters; ${IN_FLIGHT} requests in flight. CPU is the workerd process's (every thread, user and system, from /proc), less the empty handler's measured in the same round, so it counts workerd's own work for each subrequest (HTTP, sockets): an upper bound on what Cloudflare bills. "Fetch stubbed" rows replace \`fetch\` with a function that answers at once, counting the ids as the server does: the isolate's JS and wasm alone, a lower bound. "previewRequest alone" reads, checks and plans the list (it builds the first request only and sends nothing): the part of the package's own time that is not building and sending each request. Raw fetch puts as many ids in a query as the package does, so both send the same requests. "Of it, system" is the kernel's share, in 10 ms ticks over a sample, so coarse at 1 id. The official client sends every id in one URL (1,000 ids: 47 KB; 10,000: 470 KB), built in time quadratic in the ids, and is measured against a server that accepts such a URL; one with Node's default 16 KB header limit answers 431 and nothing is cancelled.`);
  lines.push('', differences(samples), '', freePlanLines({ samples, limits }));
  return lines.join('\n');
}

/** qstash-cancel less raw fetch sending the same requests, median of the same rounds' differences. */
function differences(samples) {
  const parts = (stub) => ID_COUNTS.flatMap((n) => ['query', 'body'].map((encoding) => {
    const [ours, raw] = [samples[`qstash-cancel, ${encoding}${stub}|${n}`], samples[`raw fetch, ${encoding}${stub}|${n}`]];
    return `${fmt(n)} ids ${encoding} ${fmt(median(ours.map((s, i) => s.net - raw[i].net)), 3)}`;
  })).join('; ');
  return `qstash-cancel − raw fetch, CPU ms an invocation (median of same-round differences): with subrequests ${parts('')}; fetch stubbed ${parts(', fetch stubbed')}.`;
}

/**
 * What one Free-plan invocation can cancel: CPU an invocation taken as a line through the
 * medians at the smallest and largest sizes, with real subrequests (the upper bound) and with
 * fetch stubbed (the lower), against the subrequest limit as previewRequest counts it.
 */
function freePlanLines({ samples, limits }) {
  const [small, large] = [ID_COUNTS[0], ID_COUNTS.at(-1)];
  const lines = [`Within one Free-plan invocation (${FREE.cpuMs} ms CPU, ${FREE.subrequests} subrequests), ids of 30 characters, qstash-cancel (CPU taken as a line through the medians at ${fmt(small)} and ${fmt(large)} ids):`, ''];
  for (const encoding of ['query', 'body']) {
    const within = (stub) => {
      const [one, many] = [small, large].map((n) => median(samples[`qstash-cancel, ${encoding}${stub}|${n}`].map((s) => s.net)));
      const perId = (many - one) / (large - small);
      return { one, perId, ids: Math.floor((FREE.cpuMs - one) / perId) + small };
    };
    const [upper, lower] = [within(''), within(', fetch stubbed')];
    const bySubrequests = limits[encoding];
    const binds = upper.ids >= bySubrequests ? `subrequests bind first, at ${fmt(bySubrequests)} ids`
      : lower.ids < bySubrequests ? `CPU binds first, at ${fmt(upper.ids)} to ${fmt(lower.ids)} ids`
        : `CPU binds first at ${fmt(upper.ids)} ids if Cloudflare bills a subrequest as workerd spends it here, subrequests at ${fmt(bySubrequests)} if it bills only the isolate's JS and wasm`;
    const line = ({ one, perId, ids }) => `${fmt(one, 3)} ms + ${fmt(perId * 1000, 3)} µs an id, so about ${fmt(ids)} ids in ${FREE.cpuMs} ms`;
    lines.push(`- ${encoding} form: with subrequests ${line(upper)}; fetch stubbed ${line(lower)}; ${FREE.subrequests} requests carry ${fmt(bySubrequests)} ids: **${binds}**.`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(workerCpuTable(await workerCpu()));
