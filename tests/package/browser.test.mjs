// The installed package in a real Chromium page (Debian's chromium driven by playwright-core),
// loaded as plain ES modules with no bundler.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runScenarios } from './runner.mjs';
import { scenarios } from './scenarios.mjs';
import { exactScenarios } from './exact-scenarios.mjs';
import { bulkScenarios } from './bulk-scenarios.mjs';
import { interruptionScenarios } from './interruption-scenarios.mjs';
import { devDependency, serveStatic, startEmulator, seedRuns, cancelledIds, freshToken } from './helpers.mjs';

const playwright = await devDependency('playwright-core');
const { chromium } = playwright.default ?? playwright;
const here = fileURLToPath(new URL('.', import.meta.url));
let browser, page, site;
const pageErrors = [];

/** The test page in a fresh Chromium, its errors collected in `pageErrors`. */
async function openPage() {
  const site = await serveStatic({ '/': here });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage();
  page.on('pageerror', (err) => pageErrors.push(err));
  await page.goto(`${site.url}/page.html`);
  await page.waitForFunction(() => window.ready === true);
  return { site, browser, page };
}

for (const [suite, list] of Object.entries({ scenarios, exactScenarios, bulkScenarios, interruptionScenarios })) {
  runScenarios(`browser ${suite}`, list, {
    setup: async () => {
      ({ site, browser, page } = await openPage());
    },
    teardown: async () => {
      await browser?.close();
      await site?.close();
    },
    invoke: (scenario, connection) =>
      page.evaluate(([name, index, c]) => window.runScenario(name, index, c), [suite, list.indexOf(scenario), connection]),
  });
}

test('browser: hostile fetch answers, aborts inside fetch, and clients freed or disposed (also during waits) in a page: every call a QStashCancelError, nothing escaped', async () => {
  const opened = await openPage();
  try {
    for (const family of ['fuzzFetch', 'fuzzAbortInFetch', 'fuzzFreed', 'fuzzFreedWaits']) {
      const stats = await opened.page.evaluate((name) => window[name]({}), family);
      console.log(`${family} (chromium page): ${stats.calls} calls in ${stats.ms} ms`);
      assert.deepEqual(stats.broken, [], family);
    }
    assert.deepEqual(await opened.page.evaluate(() => window.escaped), []);
  } finally {
    await opened.browser.close();
    await opened.site.close();
  }
});

test('browser: 500 hostile inputs through every export in a page; a valid call still cancels', async () => {
  const opened = await openPage();
  const emulator = await startEmulator();
  try {
    const stats = await opened.page.evaluate(() => window.fuzz({ count: 500 }));
    console.log(`hostile fuzz (chromium page): ${stats.inputs} inputs, ${stats.calls} calls (${stats.refused} refused) in ${stats.ms} ms; slowest call ${stats.slowestMs} ms`);
    assert.deepEqual(stats.broken, []);
    const token = freshToken('browser-after-fuzz');
    await seedRuns(emulator.url, token, [{ id: 'after_1', workflowUrl: 'https://app.test/a' }]);
    const connection = { token, baseUrl: emulator.url };
    const value = await opened.page.evaluate((c) => window.runValid(c), connection);
    assert.equal(value, 1);
    assert.deepEqual(await cancelledIds(emulator.url, token), ['after_1']);
    assert.deepEqual(await opened.page.evaluate(() => window.escaped), []);
  } finally {
    await opened.browser.close();
    await opened.site.close();
    await emulator.close();
  }
});

test('browser: the page raised no errors', () => {
  assert.deepEqual(pageErrors.map(String), []);
});
