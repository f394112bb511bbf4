// Per-call overhead in Node against a local keep-alive server answering {"cancelled":1}:
// (a) raw fetch with a hand-built request, (b) our cancelRuns, (c) the official client's cancel;
// sequential and at concurrency 16, each in the same run, after a warm-up, in alternating rounds.
import { performance } from 'node:perf_hooks';
import { cancelRuns, previewRequest } from '../pkg/node.js';
import { officialCancel } from './official-cancel.mjs';
import { answeringServer, fmt, limitedFetch, stats } from './lib.mjs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const TOKEN = 'bench-token';
const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
// BENCH_BASELINE=<built pkg dir> (a copy of pkg/ from another build) adds its cancelRuns to
// every round, so a change is measured against its baseline in the same run.
const baseline = process.env.BENCH_BASELINE && await import(pathToFileURL(resolve(process.env.BENCH_BASELINE, 'node.js')).href);

export async function overhead() {
  const server = await answeringServer();
  // The official client sends the query form (no body), so each form is measured against a
  // raw fetch of the same request.
  const raw = (query, init) => () =>
    fetch(`${server.url}/v2/workflows/runs${query}`, { method: 'DELETE', ...init }).then((res) => res.json()).then((json) => json.cancelled);
  const limited = () => limitedFetch(server.url, TOKEN);
  const clients = {
    'raw fetch, body': raw('', { headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '{"workflowRunIds":["wfr_1"]}' }),
    'cancelRuns, body': () => cancelRuns({ token: TOKEN, baseUrl: server.url, workflowRunIds: ['wfr_1'] }),
    'raw fetch, query': raw('?workflowRunIds=wfr_1', { headers: { authorization: `Bearer ${TOKEN}` } }),
    // What every attempt of cancelRuns also does: a time limit (the 30 s default) through an
    // AbortController and a timer, no redirects followed. It tells the price of those apart
    // from the rest of a call.
    'raw fetch + time limit, query': () => limited(),
    // The checking and building of a call (previewRequest: no fetch) between real requests, to
    // set beside its cost in a tight loop (the stubbed figures below).
    'previewRequest, then raw fetch + time limit (query)': () => {
      previewRequest({ token: TOKEN, baseUrl: server.url, workflowRunIds: ['wfr_1'] });
      return limited();
    },
    'cancelRuns, query': () => cancelRuns({ token: TOKEN, baseUrl: server.url, workflowRunIds: ['wfr_1'], encoding: 'query' }),
    'official Client.cancel (query)': () => officialCancel({ token: TOKEN, baseUrl: server.url, ids: ['wfr_1'] }),
  };
  if (baseline) clients['baseline cancelRuns, query'] = () => baseline.cancelRuns({ token: TOKEN, baseUrl: server.url, workflowRunIds: ['wfr_1'], encoding: 'query' });
  // Rounds alternate the clients, so a slow moment of the machine hits all of them alike; the
  // figure of each client is its median round.
  const rounds = {};
  for (const [name, call] of Object.entries(clients)) for (let i = 0; i < 300; i++) await call(); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const concurrency of [1, 16]) {
      for (const [name, call] of Object.entries(clients)) {
        const latencies = [];
        const started = performance.now();
        let next = 0;
        await Promise.all(Array.from({ length: concurrency }, async () => {
          while (next++ < CALLS) {
            const t0 = performance.now();
            await call();
            latencies.push(performance.now() - t0);
          }
        }));
        const key = `${name}@${concurrency}`;
        (rounds[key] ??= []).push({ callsPerSecond: CALLS / ((performance.now() - started) / 1000), latencies });
      }
    }
  }
  const results = {};
  for (const [key, list] of Object.entries(rounds)) {
    const median = stats(list.map((r) => r.callsPerSecond)).p50;
    results[key] = { callsPerSecond: median, perRound: list.map((r) => r.callsPerSecond), ...stats(list.flatMap((r) => r.latencies)) };
  }
  await server.close();
  return { ...results, stubbed: await stubbed() };
}

/** Microseconds per call with `fetch` replaced by one that answers at once with a fresh
 * `Response`: the cost of a call without the network and the server, which the throughput ratios
 * above mix with the speed of the machine's HTTP stack. Raw fetch runs the same stub. */
async function stubbed() {
  const real = globalThis.fetch;
  globalThis.fetch = () => Promise.resolve(new Response('{"cancelled":1}', { headers: { 'content-type': 'application/json' } }));
  const base = 'http://127.0.0.1:1';
  const options = () => ({ token: TOKEN, baseUrl: base, workflowRunIds: ['wfr_1'], encoding: 'query' });
  const calls = {
    'raw fetch + json()': () => fetch(`${base}/v2/workflows/runs?workflowRunIds=wfr_1`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } }).then((res) => res.json()).then((json) => json.cancelled),
    'cancelRuns': () => cancelRuns(options()),
    'previewRequest (check and build only, no fetch)': async () => previewRequest(options()),
  };
  const n = CALLS * 10;
  const perRound = {};
  try {
    for (const call of Object.values(calls)) for (let i = 0; i < n; i++) await call(); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, call] of Object.entries(calls)) {
        const started = performance.now();
        for (let i = 0; i < n; i++) await call();
        (perRound[name] ??= []).push(((performance.now() - started) * 1000) / n);
      }
    }
  } finally {
    globalThis.fetch = real;
  }
  return Object.fromEntries(Object.entries(perRound).map(([name, list]) => [name, stats(list).p50]));
}

/** The median over rounds of `a`'s throughput over `b`'s in the same round: a slow spell of the
 * machine then moves both sides of a ratio, not one. */
function ratio(results, a, b) {
  const [x, y] = [results[a].perRound, results[b].perRound];
  return stats(x.map((v, i) => v / y[i])).p50;
}

export function overheadTable(results) {
  const { stubbed, ...measured } = results;
  const lines = ['| client | concurrency | calls/s | p50 ms | p99 ms |', '|---|---|---|---|---|'];
  for (const [key, r] of Object.entries(measured)) {
    const [name, concurrency] = key.split('@');
    lines.push(`| ${name} | ${concurrency} | ${fmt(r.callsPerSecond)} | ${fmt(r.p50, 3)} | ${fmt(r.p99, 3)} |`);
  }
  lines.push('');
  const over = (a, b, c) => fmt(ratio(results, `${a}@${c}`, `${b}@${c}`), 2);
  lines.push(`Ratios are medians over ${ROUNDS} rounds of the two throughputs measured in the same round.`, '');
  for (const c of [1, 16]) {
    lines.push(`- concurrency ${c}, throughput: cancelRuns / raw fetch = **${over('cancelRuns, body', 'raw fetch, body', c)}x** (body), ` +
      `**${over('cancelRuns, query', 'raw fetch, query', c)}x** (query); ` +
      `cancelRuns / official = **${over('cancelRuns, query', 'official Client.cancel (query)', c)}x** (both query); ` +
      `raw fetch + time limit / raw fetch = **${over('raw fetch + time limit, query', 'raw fetch, query', c)}x**, ` +
      `cancelRuns / raw fetch + time limit = **${over('cancelRuns, query', 'raw fetch + time limit, query', c)}x** (query)` +
      (results[`baseline cancelRuns, query@${c}`] ? `; the baseline build: cancelRuns / official = **${over('baseline cancelRuns, query', 'official Client.cancel (query)', c)}x**, ` +
        `/ raw fetch = **${over('baseline cancelRuns, query', 'raw fetch, query', c)}x**` : ''));
  }
  // µs a call more than `b`, the median over rounds of the difference within each round.
  const extra = (a, b) => {
    const [x, y] = [results[`${a}@1`].perRound, results[`${b}@1`].perRound];
    return stats(x.map((v, i) => 1e6 / v - 1e6 / y[i])).p50;
  };
  const first = extra('previewRequest, then raw fetch + time limit (query)', 'raw fetch + time limit, query');
  lines.push('', `previewRequest between real requests (sequential): **${fmt(first, 1)} µs** a call more than raw fetch + time limit alone ` +
    `(median of same-round differences); in a tight loop with \`fetch\` stubbed (below): ${fmt(stubbed['previewRequest (check and build only, no fetch)'], 1)} µs.`);
  const raw = stubbed['raw fetch + json()'];
  lines.push('', `With \`fetch\` stubbed to answer at once (no network, no server; query form, median of ${ROUNDS} rounds of ${CALLS * 10} calls):`, '',
    '| call | µs per call | minus raw fetch |', '|---|---|---|');
  for (const [name, us] of Object.entries(stubbed)) lines.push(`| ${name} | ${fmt(us, 1)} | ${name.startsWith('previewRequest') ? '' : fmt(us - raw, 1)} |`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(overheadTable(await overhead()));
