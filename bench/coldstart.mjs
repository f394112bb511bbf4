// Cold start in workerd, measured three ways: from a fresh Miniflare instance (workerd's process
// start included) to the first answered request, from the runtime being ready (`mf.ready`) to
// that answer, and as the CPU time the new workerd process has spent by then (every thread, from
// /proc; less noisy than the clock on a shared machine). For a Worker that imports the package and
// cancels once, against the same Worker with the official client and with raw fetch, each bundled
// as wrangler deploys it (its JS in one module, a .wasm beside it). Each also runs in workerd on
// its own, without Miniflare's services around it, for a steadier CPU figure.
// Three more Workers tell where the package's share goes: raw fetch plus the package's .wasm
// imported (workerd compiles it while loading the Worker), plus the wasm instantiated by the glue
// (`initSync`), plus the whole package entry imported, plus a first previewRequest (checking and
// building the request); the rest is the first cancelRuns.
// All call a local answering server. Runs come in groups whose order rotates every time (so no
// Worker always starts on a warmer machine), and a difference is the median of the groups'.
// The CPU is also split at the runtime being ready: the first request's share (the lazy
// compiling of the wasm and the JS it runs, the first call) is far less noisy than the start's.
//   node bench/coldstart.mjs [<built pkg dir> [<baseline pkg dir>]]   (default: pkg/)
// With --compiled, what the first cancelRuns has V8 compile instead: workerd run on its own with
// V8's --trace-wasm-compilation-times, the wasm functions compiled lazily during that request
// (V8 compiles each on its first call), by size; most of the first request's CPU. Their names
// come from a build that keeps them (`KEEP_NAMES=1 scripts/build-pkg.sh`, the same code).
//   node bench/coldstart.mjs --compiled [<built pkg dir>]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { answeringServer, fmt, stats } from './lib.mjs';
import { build } from 'esbuild';
import { cpuMsSince, threadCpu, workerdPid } from './workerd.mjs';
import { root } from '../www/dev/worker-host.mjs';

const main = import.meta.url === `file://${process.argv[1]}`;
const compiledMode = main && process.argv[2] === '--compiled';
const [pkgDir = fileURLToPath(new URL('../pkg', import.meta.url)), baselineDir] = main ? process.argv.slice(compiledMode ? 3 : 2) : [];
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 25);
/** Issue 30's target: a cold start within 2 ms of the official client's. */
const TARGET_MS = 2;

const rawHandler = `export default { async fetch(req, env) {
      const res = await fetch(env.URL + '/v2/workflows/runs?workflowRunIds=wfr_1', { method: 'DELETE', headers: { authorization: 'Bearer t' } });
      return Response.json(await res.json()); } };`;
const RAW = 'raw fetch Worker';
const OFFICIAL = 'official client Worker';
const OURS = 'qstash-cancel Worker';
const BASELINE = 'qstash-cancel Worker (baseline build)';
/** Each Worker cancels one id in the query form (the official client's and the package's default). */
const workers = {
  [RAW]: rawHandler,
  [OFFICIAL]: `import { officialCancel } from './official.js';
    export default { async fetch(req, env) {
      return Response.json(await officialCancel({ token: 't', baseUrl: env.URL, ids: ['wfr_1'] })); } };`,
  [OURS]: `import { cancelRuns } from 'qstash-cancel';
    export default { async fetch(req, env) {
      return Response.json({ cancelled: await cancelRuns({ token: 't', baseUrl: env.URL, workflowRunIds: ['wfr_1'] }) }); } };`,
  // The steps between the raw fetch Worker and the package's, each on top of the one before.
  'raw fetch + the .wasm compiled': `import wasmModule from './dist/web/qstash_cancel_bg.wasm';
    globalThis.kept = wasmModule;
    ${rawHandler}`,
  'raw fetch + the wasm instantiated': `import wasmModule from './dist/web/qstash_cancel_bg.wasm';
    import * as glue from './dist/web/qstash_cancel.js';
    glue.initSync({ module: wasmModule });
    ${rawHandler}`,
  'raw fetch + the package imported': `import * as pkg from 'qstash-cancel';
    globalThis.kept = pkg;
    ${rawHandler}`,
  'raw fetch + a first previewRequest': `import { previewRequest } from 'qstash-cancel';
    const handler = ${rawHandler.replace('export default ', '')};
    export default { fetch(req, env) {
      previewRequest({ token: 't', baseUrl: env.URL, workflowRunIds: ['wfr_1'] });
      return handler.fetch(req, env); } };`,
};
/** Each Worker's package directory: the baseline's Worker loads the baseline build. */
const pkgOf = (name) => (name === BASELINE ? baselineDir : pkgDir);
if (baselineDir) workers[BASELINE] = workers[OURS];
const STEPS = [
  ['compiling the .wasm', RAW, 'raw fetch + the .wasm compiled'],
  ['instantiating it (the glue\'s initSync)', 'raw fetch + the .wasm compiled', 'raw fetch + the wasm instantiated'],
  ['the package\'s JS entry', 'raw fetch + the wasm instantiated', 'raw fetch + the package imported'],
  ['checking and building the first request (previewRequest)', 'raw fetch + the package imported', 'raw fetch + a first previewRequest'],
  ['the rest of the first cancelRuns (sending and reading the answer), less a raw fetch', 'raw fetch + a first previewRequest', OURS],
];

/**
 * A Worker as wrangler deploys it: its JS bundled into one module by esbuild (unminified, with
 * the "workerd" export condition, the package from `dir`), and a .wasm it imports beside it.
 * workerd compiles every module it is given when the Worker starts, and each has a cost of its
 * own: a Worker given every module (the package's wasm and glue, and the official client) paid
 * for the others' code at its start, and the start-up differences cancelled out (the .wasm's
 * compiling showed as 0.1 ms).
 */
async function wranglerBundle(source, given) {
  const dir = resolve(given);
  const { outputFiles: [bundled] } = await build({
    stdin: { contents: source, resolveDir: dir, sourcefile: 'worker.js', loader: 'js' },
    bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'silent',
    conditions: ['workerd', 'worker', 'browser'], mainFields: ['browser', 'module', 'main'], external: ['*.wasm'],
    plugins: [{
      name: 'bench-modules',
      setup(bench) {
        bench.onResolve({ filter: /^qstash-cancel$/ }, () => ({ path: join(dir, 'workerd.js') }));
        bench.onResolve({ filter: /^\.\/official\.js$/ }, () => ({ path: fileURLToPath(new URL('./official-cancel.mjs', import.meta.url)) }));
      },
    }],
  });
  const modules = [{ type: 'ESModule', path: `${root}/worker.js`, contents: bundled.text }];
  if (bundled.text.includes(WASM)) modules.push({ type: 'CompiledWasm', path: `${root}/${WASM}`, contents: readFileSync(join(dir, WASM)) });
  return modules;
}
const WASM = 'dist/web/qstash_cancel_bg.wasm';

export async function coldStart() {
  const server = await answeringServer();
  const measures = ['all', 'ready', 'cpu', 'request', 'alone', 'aloneRequest'];
  const times = Object.fromEntries(measures.map((m) => [m, Object.fromEntries(Object.keys(workers).map((name) => [name, []]))]));
  const order = Object.entries(workers);
  for (let i = 0; i < RUNS; i++) {
    order.push(order.shift());
    for (const [name, source] of order) {
      const started = performance.now();
      const modules = await wranglerBundle(source, pkgOf(name));
      const mf = new Miniflare({ modules, modulesRoot: root, compatibilityDate: '2025-01-01', bindings: { URL: server.url } });
      await mf.ready;
      const readyAt = performance.now();
      const pid = workerdPid();
      const atReady = threadCpu(pid);
      const res = await mf.dispatchFetch('http://worker.test/');
      const body = await res.json();
      times.all[name].push(performance.now() - started);
      times.ready[name].push(performance.now() - readyAt);
      const atAnswer = threadCpu(pid);
      times.cpu[name].push(cpuMsSince(new Map(), atAnswer));
      times.request[name].push(cpuMsSince(atReady, atAnswer));
      await mf.dispose();
      if (body.cancelled !== 1) throw new Error(`${name} answered ${JSON.stringify(body)}`);
      const alone = await workerdAlone(modules, server.url);
      const aloneReady = threadCpu(alone.pid);
      const aloneBody = await (await fetch(`http://127.0.0.1:${alone.port}/`)).json();
      const aloneAnswer = threadCpu(alone.pid);
      await alone.stop();
      times.alone[name].push(cpuMsSince(new Map(), aloneAnswer));
      times.aloneRequest[name].push(cpuMsSince(aloneReady, aloneAnswer));
      if (aloneBody.cancelled !== 1) throw new Error(`${name} alone answered ${JSON.stringify(aloneBody)}`);
    }
  }
  await server.close();
  /** The median of the runs' differences b − a. */
  const difference = (measure, a, b) => stats(times[measure][b].map((t, i) => t - times[measure][a][i])).p50;
  /** The quartiles of the runs' differences b − a: `[p25, median, p75]`. */
  const quartiles = (measure, a, b) => {
    const sorted = times[measure][b].map((t, i) => t - times[measure][a][i]).sort((x, y) => x - y);
    return [0.25, 0.5, 0.75].map((q) => sorted[Math.floor(q * (sorted.length - 1))]);
  };
  const alone = (a, b) => ({ cpu: quartiles('alone', a, b), request: quartiles('aloneRequest', a, b) });
  return {
    stats: Object.fromEntries(measures.map((m) => [m, Object.fromEntries(Object.entries(times[m]).map(([name, t]) => [name, stats(t)]))])),
    difference: Object.fromEntries(measures.map((m) => [m, {
      official: difference(m, OFFICIAL, OURS), raw: difference(m, RAW, OURS),
      ...(baselineDir && { baseline: difference(m, OFFICIAL, BASELINE), change: difference(m, BASELINE, OURS) }),
    }])),
    alone: { official: alone(OFFICIAL, OURS), raw: alone(RAW, OURS), ...(baselineDir && { baseline: alone(OFFICIAL, BASELINE), change: alone(BASELINE, OURS) }) },
    steps: STEPS.map(([step, a, b]) => ({ step, cpu: difference('alone', a, b), all: difference('all', a, b) })),
  };
}

export function coldStartTable(results) {
  const lines = [
    '| Worker | from a new instance: median ms | p99 ms | from the runtime ready: median ms | p99 ms | workerd CPU ms at the first answer: median | p99 | of which the first request\'s: median |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const name of Object.keys(workers)) {
    const [all, ready, cpu, request] = ['all', 'ready', 'cpu', 'request'].map((m) => results.stats[m][name]);
    lines.push(`| ${name} | ${fmt(all.p50, 1)} | ${fmt(all.p99, 1)} | ${fmt(ready.p50, 1)} | ${fmt(ready.p99, 1)} | ${fmt(cpu.p50, 1)} | ${fmt(cpu.p99, 1)} | ${fmt(request.p50, 2)} |`);
  }
  const { all, ready, cpu, request } = results.difference;
  const [ours, theirs] = [OURS, OFFICIAL].map((name) => results.stats.all[name].p50);
  const met = (ms) => (ms <= TARGET_MS ? 'met' : `missed by ${fmt(ms - TARGET_MS, 1)} ms`);
  lines.push('', `qstash-cancel − official client, median of ${RUNS} runs' differences (target: within ${TARGET_MS} ms; CPU ${met(cpu.official)}, from the runtime ready ${met(ready.official)}): **${fmt(all.official, 1)} ms** from a new instance (medians ${fmt(ours, 1)} / ${fmt(theirs, 1)} ms, ratio ${fmt(ours / theirs, 2)}x), **${fmt(ready.official, 1)} ms** from the runtime ready, **${fmt(cpu.official, 1)} ms** of workerd CPU. Against raw fetch: ${fmt(all.raw, 1)} ms, ${fmt(ready.raw, 1)} ms, ${fmt(cpu.raw, 1)} ms of CPU. The first request's CPU alone: ${fmt(request.official, 2)} ms over the official client's.`);
  if (request.baseline !== undefined) {
    lines.push('', `The baseline build in the same runs: ${fmt(all.baseline, 1)} ms from a new instance, ${fmt(ready.baseline, 1)} ms from the runtime ready, ${fmt(cpu.baseline, 1)} ms of CPU, ${fmt(request.baseline, 2)} ms of the first request's CPU over the official client's; ` +
      `this build − the baseline: ${fmt(all.change, 1)} ms, ${fmt(ready.change, 1)} ms, ${fmt(cpu.change, 1)} ms of CPU, ${fmt(request.change, 2)} ms of the first request's CPU.`);
  }
  const range = ([low, mid, high]) => `**${fmt(mid, 2)} ms** (${fmt(low, 2)} to ${fmt(high, 2)})`;
  const { alone } = results;
  lines.push('', `workerd on its own (no Miniflare around it), the same Workers each run: CPU at the first answer, qstash-cancel − official client ${range(alone.official.cpu)} (target: within ${TARGET_MS} ms: ${met(alone.official.cpu[1])}), ` +
    `of which the first request's ${range(alone.official.request)}; against raw fetch ${range(alone.raw.cpu)}, the first request's ${range(alone.raw.request)} (median of the runs' differences, quartiles in brackets).` +
    (alone.baseline === undefined ? '' : ` The baseline build: ${range(alone.baseline.cpu)} over the official client's, the first request's ${range(alone.baseline.request)}; this build − the baseline ${range(alone.change.cpu)}, the first request's ${range(alone.change.request)}.`));
  lines.push('', 'Where the package\'s share goes (each step on top of the one before, median of the runs\' differences; CPU of workerd on its own): ' +
    results.steps.map(({ step, cpu: c, all: a }) => `${step} ${fmt(c, 1)} ms CPU (${fmt(a, 1)} ms from a new Miniflare instance)`).join('; ') + '.');
  return lines.join('\n');
}

/**
 * workerd on its own (no Miniflare around it: its proxy Worker and services were most of the
 * start's CPU and a noisy share of the first request's) serving a Worker of `modules` with the
 * binding URL, and V8 given `v8Flags`. Resolves once the Worker has loaded, to its port, its
 * process id, what it printed since, and a way to stop it.
 */
async function workerdAlone(modules, url, v8Flags = []) {
  const dir = mkdtempSync(join(tmpdir(), 'coldstart-'));
  const names = modules.map((module) => {
    const name = posix.relative(root, module.path);
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), module.contents);
    return `(name = ${JSON.stringify(name)}, ${module.type === 'CompiledWasm' ? 'wasm' : 'esModule'} = embed ${JSON.stringify(name)})`;
  });
  writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker), (name = "net", network = (allow = ["public", "private", "local"])) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
  v8Flags = [${v8Flags.map((flag) => JSON.stringify(flag)).join(', ')}],
);
const worker :Workerd.Worker = (
  modules = [ ${names.join(', ')} ],
  compatibilityDate = "2025-01-01",
  bindings = [ (name = "URL", text = ${JSON.stringify(url)}) ],
  globalOutbound = "net",
);`);
  // --control-fd reports the port once the Worker has loaded.
  const workerd = spawn(createRequire(import.meta.url)('workerd').default, ['serve', join(dir, 'config.capnp'), '--control-fd=3'], { stdio: ['ignore', 'pipe', 'inherit', 'pipe'] });
  let printed = '';
  workerd.stdout.on('data', (chunk) => (printed += chunk));
  const { port } = JSON.parse(await new Promise((resolve) => workerd.stdio[3].once('data', resolve)));
  const from = printed.length;
  return {
    port,
    pid: String(workerd.pid),
    printed: () => printed.slice(from),
    stop: async () => {
      const exited = new Promise((resolve) => workerd.once('exit', resolve));
      workerd.kill();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The wasm functions V8 compiles during the first request of the package's Worker, from its
 * trace: `[{ index, bytes }]` (body sizes).
 */
async function compiledOnFirstRequest() {
  const server = await answeringServer();
  const workerd = await workerdAlone(await wranglerBundle(workers[OURS], pkgDir), server.url, ['--trace-wasm-compilation-times']);
  try {
    const body = await (await fetch(`http://127.0.0.1:${workerd.port}/`)).json();
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (body.cancelled !== 1) throw new Error(`the Worker answered ${JSON.stringify(body)}`);
    return [...workerd.printed().matchAll(/Compiled function \S+#(\d+) using Liftoff.*bodysize (\d+)/g)]
      .map(([, index, bytes]) => ({ index: Number(index), bytes: Number(bytes) }));
  } finally {
    await workerd.stop();
    await server.close();
  }
}

/** The function names of a wasm module's name section (absent when stripped) and its code's size. */
function wasmNames(bytes) {
  let at = 8;
  const leb = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  const names = new Map();
  let code = 0;
  while (at < bytes.length) {
    const id = bytes[at++];
    const end = leb() + at;
    if (id === 10) code = end - at;
    if (id === 0 && bytes.toString('utf8', at + 1, at + 1 + bytes[at]) === 'name') {
      at += 1 + bytes[at];
      while (at < end) {
        const sub = bytes[at++];
        const subEnd = leb() + at;
        if (sub === 1) {
          for (let n = leb(); n > 0; n--) {
            const index = leb();
            const length = leb();
            names.set(index, bytes.toString('utf8', at, at + length));
            at += length;
          }
        }
        at = subEnd;
      }
    }
    at = end;
  }
  return { names, code };
}

/** The report of --compiled: how much, by the crate's module, and the largest functions. */
async function compiledTable() {
  const compiled = await compiledOnFirstRequest();
  const { names, code } = wasmNames(readFileSync(join(pkgDir, 'dist/web/qstash_cancel_bg.wasm')));
  const named = compiled.map(({ index, bytes }) => ({ bytes, name: (names.get(index) ?? `#${index}`).replace(/::h[0-9a-f]{16}$/, '') }));
  const total = named.reduce((sum, { bytes }) => sum + bytes, 0);
  const areas = new Map();
  for (const { name, bytes } of named) {
    const area = /^qstash_cancel::(\w+::\w+)/.exec(name)?.[1] ?? (/shim/.test(name) ? 'wasm-bindgen exports (what they inline)' : 'std, alloc and the allocator');
    areas.set(area, (areas.get(area) ?? 0) + bytes);
  }
  const lines = [`The first cancelRuns in workerd compiles ${named.length} wasm functions lazily: ${fmt(total)} B of code, of the module's ${fmt(code)} B.`];
  if (names.size === 0) lines.push('(This build has no names: build with KEEP_NAMES=1 to see them.)');
  else {
    lines.push('', 'By area: ' + [...areas].sort((a, b) => b[1] - a[1]).map(([area, bytes]) => `${area} ${fmt(bytes)} B`).join(', ') + '.');
    lines.push('', '| function | B |', '|---|---|', ...named.sort((a, b) => b.bytes - a.bytes).slice(0, 20).map(({ name, bytes }) => `| \`${name.slice(0, 90)}\` | ${fmt(bytes)} |`));
  }
  return lines.join('\n');
}

if (main) console.log(compiledMode ? await compiledTable() : coldStartTable(await coldStart()));
