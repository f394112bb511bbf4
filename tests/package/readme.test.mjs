// The README's examples and those of docs/, run as written against the emulator, so they cannot
// rot. Blocks fenced as ```js node-test run in Node; ```js worker-test run as a Worker in workerd,
// configured by the ```toml wrangler-test and ```sh dev-vars-test blocks beside it; ```html
// browser-test runs in a Chromium page.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { repo, devDependency, serveStatic, startEmulator, seedRuns, cancelledIds, freshToken } from './helpers.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const pages = ['README.md', ...readdirSync(`${repo}/docs`).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
const texts = pages.map((page) => [page, readFileSync(`${repo}/${page}`, 'utf8')]);
/** The one block fenced as ```<language> <kind> in the README or docs/. */
const block = (kind) => {
  const found = texts.flatMap(([page, text]) => [...text.matchAll(/```\w+ (\S+)\n([\s\S]*?)```/g)]
    .filter((m) => m[1] === kind).map((m) => ({ page, source: m[2] })));
  assert.equal(found.length, 1, `README.md and docs/ have one ${kind} block`);
  return found[0].source;
};

const runs = [
  { id: 'r1', workflowUrl: 'https://app.example.com/api/workflows/report', label: 'nightly' },
  { id: 'r2', workflowUrl: 'https://app.example.com/api/workflows/report-v2', label: 'nightly' },
  { id: 'r3', workflowUrl: 'https://app.example.com/api/workflows/report', label: 'adhoc' },
  { id: 'r4', workflowUrl: 'https://app.example.com/api/workflows/billing', label: 'nightly' },
];

let emulator;
test.before(async () => (emulator = await startEmulator()));

/** `key = "value"` lines of a wrangler.toml block (tables and other values left out). */
const tomlStrings = (source) => Object.fromEntries([...source.matchAll(/^(\w+) = "([^"]*)"$/gm)].map((m) => [m[1], m[2]]));
/** `KEY=value` lines of a .dev.vars block. */
const devVars = (source) => Object.fromEntries([...source.matchAll(/^(\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));

/**
 * The Worker example `kind` in workerd (Miniflare), laid out as a `wrangler.toml` says (the
 * README's, for its own example), with the variables `vars`.
 */
async function readmeWorker(kind, vars, config = 'name = "x"\nmain = "worker.js"\ncompatibility_date = "2025-01-01"\n') {
  const { main, compatibility_date: compatibilityDate } = tomlStrings(config);
  const script = `${here}readme-${kind}/${main}`;
  mkdirSync(dirname(script), { recursive: true });
  writeFileSync(`${here}readme-${kind}/wrangler.toml`, config);
  // wrangler resolves the bare name through the "workerd" condition (checked in workerd.test.mjs).
  const pkg = relative(dirname(script), `${here}node_modules/qstash-cancel/workerd.js`);
  writeFileSync(script, block(kind).replace('from "qstash-cancel"', `from "./${pkg}"`));
  const { Miniflare } = await devDependency('miniflare');
  return new Miniflare({
    modules: true,
    scriptPath: script,
    modulesRoot: here,
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
    compatibilityDate,
    bindings: vars,
  });
}
test.after(() => emulator.close());

test('README: the Node quick start cancels what it says', async () => {
  const token = freshToken('readme-node');
  await seedRuns(emulator.url, token, runs);
  writeFileSync(`${here}readme-node.mjs`, block('node-test'));
  // Asynchronously: the emulator lives in this process and must keep answering.
  const { stdout } = await promisify(execFile)(process.execPath, ['readme-node.mjs'], {
    cwd: here,
    env: { ...process.env, QSTASH_TOKEN: token, QSTASH_URL: emulator.url },
    encoding: 'utf8',
  });
  assert.equal(stdout.trim(), 'cancelled 2 runs');
  assert.deepEqual(await cancelledIds(emulator.url, token), ['r1', 'r2']);
});

test('README: the Workers example, laid out by its wrangler.toml and .dev.vars, cancels ids and refuses what is not a list of ids', async () => {
  const token = freshToken('readme-worker');
  await seedRuns(emulator.url, token, runs);
  const vars = devVars(block('dev-vars-test'));
  assert.deepEqual(Object.keys(vars), ['QSTASH_TOKEN']);
  // The README: against the emulator, its URL and token go in .dev.vars.
  const mf = await readmeWorker('worker-test', { ...vars, QSTASH_TOKEN: token, QSTASH_URL: emulator.url }, block('wrangler-test'));
  try {
    const post = (body) => mf.dispatchFetch('http://admin.test/', { method: 'POST', body });
    let res = await post(JSON.stringify(['r3', 'r4']));
    assert.deepEqual([res.status, await res.json()], [200, { cancelled: 2 }]);
    res = await post('[]');
    const refusal = await res.json();
    assert.equal(res.status, 400);
    assert.equal(refusal.code, 'INVALID_OPTIONS');
    assert.equal(refusal.field, 'workflowRunIds');
    // A browser's GET and a mistyped body are answered in words, not with a 500 and a stack.
    res = await mf.dispatchFetch('http://admin.test/');
    assert.deepEqual([res.status, res.headers.get('allow'), await res.json()], [405, 'POST', { error: 'POST a JSON list of run ids' }]);
    res = await post('["r1", "r2"');
    assert.deepEqual([res.status, await res.json()], [400, { error: 'the body is not JSON: POST a JSON list of run ids' }]);
    res = await post('{"workflowRunIds": ["r1"]}');
    assert.deepEqual([res.status, (await res.json()).field], [400, 'workflowRunIds']);
    assert.deepEqual(await cancelledIds(emulator.url, token), ['r3', 'r4']);
  } finally {
    await mf.dispose();
  }
});

test('README: the bulk-actions example starts a cancel in the background, follows it, and lists the history', async () => {
  const token = freshToken('readme-bulk');
  await seedRuns(emulator.url, token, runs);
  writeFileSync(`${here}readme-bulk.mjs`, block('node-bulk-test'));
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['readme-bulk.mjs'], {
    cwd: here,
    env: { ...process.env, QSTASH_TOKEN: token, QSTASH_URL: emulator.url },
    encoding: 'utf8',
  });
  const [line, ...listed] = stdout.trim().split('\n');
  const [, actionId] = /^(ba_\S+) FINISHED: 3 of 3 processed$/.exec(line) ?? [];
  assert.ok(actionId, stdout);
  assert.deepEqual(listed, [actionId]);
  assert.match(stderr, /3 of 3 processed/);
  assert.deepEqual(await cancelledIds(emulator.url, token), ['r1', 'r2', 'r4']);
});

test('README: the Workers bulk-actions example starts one and reads it back', async () => {
  const token = freshToken('readme-worker-bulk');
  await seedRuns(emulator.url, token, runs);
  const mf = await readmeWorker('worker-bulk-test', { QSTASH_TOKEN: token, QSTASH_URL: emulator.url });
  try {
    const { actionId } = await (await mf.dispatchFetch('http://admin.test/', { method: 'POST', body: JSON.stringify({ label: 'adhoc' }) })).json();
    assert.match(actionId, /^ba_/);
    let action;
    for (let i = 0; i < 50 && action?.state !== 'FINISHED'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      action = await (await mf.dispatchFetch(`http://admin.test/?action=${actionId}`)).json();
    }
    assert.deepEqual([action.actionId, action.state, action.total], [actionId, 'FINISHED', 1]);
    // A GET without an action, a mistyped body and a body without a label are answered in words.
    let res = await mf.dispatchFetch('http://admin.test/');
    assert.deepEqual([res.status, res.headers.get('allow')], [405, 'GET, POST']);
    assert.match((await res.json()).error, /^POST \{"label": \.\.\.\} or GET \?action=ID$/);
    res = await mf.dispatchFetch('http://admin.test/', { method: 'POST', body: '{"label": "adhoc"' });
    assert.deepEqual([res.status, await res.json()], [400, { error: 'the body is not a JSON object: POST {"label": ...}' }]);
    res = await mf.dispatchFetch('http://admin.test/', { method: 'POST', body: '{"lable": "adhoc"}' });
    assert.deepEqual([res.status, (await res.json()).code], [400, 'INVALID_OPTIONS']);
    assert.deepEqual(await cancelledIds(emulator.url, token), ['r3']);
  } finally {
    await mf.dispose();
  }
});

test('README: the browser example previews the request with the token redacted and cancels through baseUrl', async () => {
  const token = freshToken('readme-browser');
  await seedRuns(emulator.url, token, runs);
  // The page's own parts: its credential, and the proxy it points at (here the emulator, which
  // answers CORS as the admin Worker does).
  const example = block('browser-test');
  assert.ok(example.includes('"https://admin.example.com/qstash"'));
  writeFileSync(`${here}readme-browser.html`, `<script>const adminCredential = ${JSON.stringify(token)};</script>\n` +
    example.replace('"https://admin.example.com/qstash"', JSON.stringify(emulator.url)));
  const site = await serveStatic({ '/': here });
  const playwright = await devDependency('playwright-core');
  const browser = await (playwright.default ?? playwright).chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err));
    const logged = new Promise((resolve) => page.on('console', (msg) => msg.type() === 'log' && resolve(msg.args()[0].jsonValue())));
    await page.goto(`${site.url}/readme-browser.html`);
    const preview = await logged;
    assert.equal(preview.method, 'DELETE');
    assert.equal(preview.url, `${emulator.url}/v2/workflows/runs?label=nightly`);
    assert.equal(preview.headers.Authorization, 'Bearer [redacted]');
    assert.ok(!JSON.stringify(preview).includes(token));
    for (let i = 0; i < 100 && (await cancelledIds(emulator.url, token)).length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await cancelledIds(emulator.url, token), ['r1', 'r2', 'r4']);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await site.close();
  }
});
