// Time of a 1,000,000-id cancel (ids of 30 characters, read from JSON, 4 requests in flight) in
// each encoding, against raw fetch sending exactly the same requests (bench/raw-fetch.mjs: the
// library's batches, the same concurrency) to the same loopback server
// (bench/counting-server.mjs, its own process). Every measurement is a fresh Node process (a big
// list is a cancel a process makes once; each starts with the same cold engine and empty heap),
// warmed by a 1,000-id cancel of its own kind. Rounds alternate the order of the contenders, and
// each figure is the median over rounds, with the spread (lowest-highest) to show how noisy the
// machine was. The server's tally after each measurement must be the same for every contender:
// the same requests, ids and bytes.
//   node bench/big-call.mjs [<built pkg dir> ...]   (default: pkg/; several: compared in one run)
// BIG_CALL_ROUNDS (default 5) and BIG_CALL_IDS (default 1,000,000) change the size of the run.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rawFetch } from './raw-fetch.mjs';
import { fmt, stats } from './lib.mjs';

const CONCURRENCY = 4;
const here = fileURLToPath(new URL('.', import.meta.url));
const mb = (bytes) => Math.round(bytes / 2 ** 20);
const growth = (n) => (n > 0 ? `+${fmt(n)}` : fmt(n));

if (process.argv[2] === '--one') await one(...process.argv.slice(3));
else if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dirs = process.argv.length > 2 ? process.argv.slice(2) : [resolve(here, '../pkg')];
  console.log(bigCallTable(await bigCall(dirs), dirs.length > 1 ? dirs : []));
}

/**
 * Measures every contender (raw fetch, then each package) in both encodings, `rounds` times.
 * Returns `{ [encoding]: { [contender]: { ms: [...], growthMb: [...], requests } } }`.
 */
export async function bigCall(dirs, { rounds = Number(process.env.BIG_CALL_ROUNDS ?? 5), n = Number(process.env.BIG_CALL_IDS ?? 1_000_000) } = {}) {
  const server = spawn(process.execPath, [`${here}counting-server.mjs`], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = await once(server.stdout, 'data');
    const baseUrl = String(line).trim().split('=')[1];
    const contenders = [['raw fetch', 'raw'], ...dirs.map((dir, i) => [dirs.length > 1 ? `qstash-cancel (${'ABCD'[i]})` : 'qstash-cancel', dir])];
    const results = {};
    for (let round = 0; round < rounds; round++) {
      for (const encoding of ['query', 'body']) {
        // Alternate who goes first: a machine that slows down during a round hurts each in turn.
        const order = round % 2 === 0 ? contenders : [...contenders].reverse();
        for (const [name, what] of order) {
          const out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--one', what, encoding, baseUrl, String(n)], { encoding: 'utf8' });
          const run = JSON.parse(out.trim().split('\n').at(-1));
          const tally = await (await fetch(`${baseUrl}/tally`)).json();
          if (run.cancelled !== n || tally.ids !== n + 1_000) throw new Error(`${name} (${encoding}) did not cancel every id: ${out} ${JSON.stringify(tally)}`);
          const entry = (results[encoding] ??= {})[name] ??= { ms: [], cpuMs: [], growthMb: [], tally };
          if (JSON.stringify(tally) !== JSON.stringify(Object.values(results[encoding])[0].tally)) {
            throw new Error(`${name} (${encoding}) sent other requests than the first contender: ${JSON.stringify(tally)}`);
          }
          entry.ms.push(run.ms);
          entry.cpuMs.push(run.cpuMs);
          entry.growthMb.push(run.growthMb);
          entry.requests = run.requests;
        }
      }
    }
    return results;
  } finally {
    server.kill();
  }
}

/** The Markdown table of `bigCall`'s results: medians, spread, ratio to raw fetch. */
export function bigCallTable(results, dirs = []) {
  const lines = [
    '| encoding | requests | client | median ms | spread ms | vs raw fetch | CPU ms (median) | CPU vs raw fetch | peak growth MB (median) | growth over raw fetch |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [encoding, byName] of Object.entries(results)) {
    const raw = stats(byName['raw fetch'].ms).p50, rawCpu = stats(byName['raw fetch'].cpuMs).p50, rawGrowth = stats(byName['raw fetch'].growthMb).p50;
    for (const [name, { ms, cpuMs, growthMb, requests }] of Object.entries(byName)) {
      const { p50 } = stats(ms), cpu = stats(cpuMs).p50;
      lines.push(`| ${encoding} | ${fmt(requests)} | ${name} | ${fmt(p50)} | ${fmt(Math.min(...ms))}-${fmt(Math.max(...ms))} | ${(p50 / raw).toFixed(2)}x | ${fmt(cpu)} | ${(cpu / rawCpu).toFixed(2)}x | ${fmt(stats(growthMb).p50)} | ${growth(stats(growthMb).p50 - rawGrowth)} MB |`);
    }
  }
  const rounds = Object.values(Object.values(results)[0])[0].ms.length;
  lines.push('', `Targets (issue 30): at most 1.25x raw fetch's time, growth at most 64 MB over raw fetch's. Median of ${rounds} rounds, each contender in a fresh Node process warmed by a 1,000-id cancel, the order alternating between rounds; ${CONCURRENCY} requests in flight; raw fetch sends the same requests (the server's tally of requests, ids, URL and body bytes is checked equal). CPU is the client process's user and system time during the call (its GC threads included), less sensitive than wall time to what else the machine runs. Growth is peak resident memory during the call above the process's settled state.`);
  for (const [i, dir] of dirs.entries()) lines.push(`${'ABCD'[i]}: ${dir}`);
  return lines.join('\n');
}

/** One measurement, in its own process: prints `{ ms, cpuMs, growthMb, cancelled, requests }`. */
async function one(what, encoding, baseUrl, n) {
  // Read from JSON, as a list of ids usually is (a file, an API's answer): flat strings. Ids
  // made by concatenation are ropes, which the first reader of each flattens (ours when it packs
  // the list, raw fetch when it serialises a batch): 0.24 s more before ours sends anything, paid
  // by raw fetch as it sends.
  const ids = (count) => JSON.parse(JSON.stringify(Array.from({ length: count }, (_, i) => `wfr_${String(i).padStart(26, '0')}`)));
  let cancel;
  if (what === 'raw') {
    cancel = (list) => rawFetch(baseUrl, list, encoding, CONCURRENCY);
  } else {
    const { cancelRunsDetailed } = await import(pathToFileURL(resolve(what, 'node.js')).href);
    cancel = (list) => cancelRunsDetailed({ token: 'bench-memory', baseUrl, workflowRunIds: list, encoding, concurrency: CONCURRENCY });
  }
  await cancel(ids(1_000));
  const list = ids(Number(n));
  for (let i = 0; i < 3; i++) globalThis.gc();
  await new Promise((done) => setTimeout(done, 20));
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const [started, cpuBefore] = [performance.now(), process.cpuUsage()];
  const summary = await cancel(list);
  const ms = performance.now() - started;
  const { user, system } = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(JSON.stringify({ ms, cpuMs: (user + system) / 1000, growthMb: mb(peak - baseline), cancelled: summary.cancelled, requests: summary.requests }));
}
