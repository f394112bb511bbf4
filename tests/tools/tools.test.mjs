// The packed package in the real tools users ship with, installed from npm at the versions pinned
// here (scripts/test-tools.sh), with nothing configured but the import: each build makes one
// valid call against the emulator (checked on the emulator's state) and one `{}` call that must
// be refused with nothing sent.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const bin = (name) => join(here, '..', 'node_modules', '.bin', name);
const repo = process.env.QSTASH_REPO;
const fromRepo = (path) => import(pathToFileURL(join(repo, path)).href);
const { startEmulator } = await fromRepo('tests/emulator/server.mjs');
const { seedRuns, cancelledIds, getLog, freshToken } = await fromRepo('tests/emulator/control.mjs');
const { serveStatic } = await fromRepo('www/dev/static-server.mjs');

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

test('esbuild 0.28, Node bundles (ESM and CommonJS) run from anywhere, with no .wasm beside them', async () => {
  for (const [entry, out] of [['node-entry.mjs', 'out.mjs'], ['node-entry.cjs', 'out.cjs']]) {
    const dir = mkdtempSync(join(tmpdir(), 'qstash-cancel-esbuild-'));
    const format = out.endsWith('.mjs') ? 'esm' : 'cjs';
    await run(bin('esbuild'), [join(here, 'esbuild', entry), '--bundle', '--platform=node', `--format=${format}`, `--outfile=${join(dir, out)}`, '--log-level=warning']);
    const token = await account(['e1', 'e2']);
    const { stdout } = await run(process.execPath, [join(dir, out), token, emulator.url, 'e2'], { cwd: dir });
    assert.deepEqual(JSON.parse(stdout), { cancelled: 1, refused: 'INVALID_OPTIONS' }, entry);
    await expectCancelled(token, ['e2']);
  }
});

test('esbuild 0.28, a browser bundle of qstash-cancel/inline works in Chromium', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qstash-cancel-esbuild-web-'));
  cpSync(join(here, 'esbuild', 'page.html'), join(dir, 'page.html'));
  await run(bin('esbuild'), [join(here, 'esbuild', 'browser-entry.mjs'), '--bundle', '--platform=browser', '--format=esm', `--outfile=${join(dir, 'out.js')}`, '--log-level=warning']);
  const requireFromRepo = createRequire(join(repo, 'package.json'));
  const playwright = await import(pathToFileURL(requireFromRepo.resolve('playwright-core')).href);
  const { chromium } = playwright.default ?? playwright;
  const site = await serveStatic({ '/': dir });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    await page.goto(`${site.url}/page.html`);
    await page.waitForFunction(() => window.ready === true);
    const token = await account(['b1', 'b2']);
    const result = await page.evaluate(([t, url]) => window.cancel(t, url, 'b1'), [token, emulator.url]);
    assert.deepEqual(result, { cancelled: 1, refused: 'INVALID_OPTIONS' });
    await expectCancelled(token, ['b1']);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await site.close();
  }
});

for (const bundler of ['turbopack', 'webpack']) {
  test(`Next.js 16 (${bundler}): route handlers on the Node.js and Edge runtimes`, async () => {
    const app = join(here, `next-${bundler}`);
    cpSync(join(here, 'next'), app, { recursive: true });
    await run(bin('next'), ['build', ...(bundler === 'webpack' ? ['--webpack'] : [])], { cwd: app, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    const token = await account(['n1', 'n2', 'n3']);
    const port = 3000 + Math.floor(Math.random() * 1000);
    const server = spawn(bin('next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
      cwd: app,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', QSTASH_TOKEN: token, QSTASH_URL: emulator.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise((resolve, reject) => {
        server.stdout.on('data', (d) => /Ready/.test(d) && resolve());
        server.on('exit', (code) => reject(new Error(`next start exited with ${code}`)));
      });
      const call = async (route, body) => {
        const res = await fetch(`http://127.0.0.1:${port}/api/${route}`, { method: 'POST', body: JSON.stringify(body) });
        return [res.status, await res.json()];
      };
      assert.deepEqual(await call('node', {}), [400, { code: 'INVALID_OPTIONS', field: 'options', isError: true }]);
      assert.deepEqual(await call('edge', {}), [400, { code: 'INVALID_OPTIONS', field: 'options', isError: true }]);
      assert.deepEqual(await call('node', { workflowRunIds: ['n1'] }), [200, { cancelled: 1 }]);
      assert.deepEqual(await call('edge', { workflowRunIds: ['n3'] }), [200, { cancelled: 1 }]);
      assert.deepEqual(await cancelledIds(emulator.url, token), ['n1', 'n3']);
      assert.equal((await getLog(emulator.url, token)).length, 2, 'the {} calls sent nothing');
    } finally {
      server.kill();
    }
  });
}
