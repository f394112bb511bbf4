// The installed package in a real Chromium page (Debian's chromium driven by playwright-core),
// loaded as plain ES modules with no bundler.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runScenarios } from './runner.mjs';
import { scenarios } from './scenarios.mjs';
import { devDependency, serveStatic } from './helpers.mjs';

const playwright = await devDependency('playwright-core');
const { chromium } = playwright.default ?? playwright;
const here = fileURLToPath(new URL('.', import.meta.url));
let browser, page, site;
const pageErrors = [];

runScenarios('browser', scenarios, {
  setup: async () => {
    site = await serveStatic({ '/': here });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage();
    page.on('pageerror', (err) => pageErrors.push(err));
    await page.goto(`${site.url}/page.html`);
    await page.waitForFunction(() => window.ready === true);
  },
  teardown: async () => {
    await browser?.close();
    await site?.close();
  },
  invoke: (scenario, connection) =>
    page.evaluate(([index, c]) => window.runScenario(index, c), [scenarios.indexOf(scenario), connection]),
});

test('browser: the page raised no errors', () => {
  assert.deepEqual(pageErrors.map(String), []);
});
