// The admin page in Chromium (Debian's, driven by playwright-core), through the admin Worker in
// workerd, against the emulator. Every test asserts on the emulator's run states and saves a
// screenshot of the final page in test-results/www/.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { ADMIN, repo, servePage, startAdminWorker, startEmulator } from './harness.mjs';
import { seedRuns, cancelledIds, getLog, injectFaults, freshToken, setBulkSpeed, seedActions } from '../emulator/control.mjs';
import { sampleRuns } from '../../www/dev/sample-runs.mjs';
import { tokenFingerprint } from '../../pkg/node.js';
import { leakIn } from '../package/scenarios.mjs';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const HOUR = 3_600_000;
const shots = `${repo}test-results/www`;
mkdirSync(shots, { recursive: true });

let emulator, site, browser;
test.before(async () => {
  emulator = await startEmulator();
  site = await servePage();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
test.after(async () => {
  await browser?.close();
  await site?.close();
  await emulator?.close();
});

/** A fresh account with the sample runs (plus `extra`), its Worker, and the page open on it. */
async function open(t, { extra = [], viewport = { width: 1100, height: 1400 } } = {}) {
  const token = freshToken('page');
  const runs = [...sampleRuns(NOW), ...extra];
  await seedRuns(emulator.url, token, runs);
  const worker = await startAdminWorker(emulator.url, token);
  const context = await browser.newContext({ timezoneId: 'UTC', viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(`${site.url}/?worker=${encodeURIComponent(worker.url)}`);
  await page.waitForSelector('body[data-ready=true]');
  await page.fill('#credential', ADMIN);
  // Left, as a person moves on to the next field: the page asks the proxy then, not at each key.
  await page.locator('#credential').blur();
  // The bulk panel then loads by itself; settled first, so faults a test injects meet its cancel.
  await page.waitForFunction(() => /^(No bulk actions|[\d,]+ bulk action|Could not)/.test(document.getElementById('actions-status').textContent));
  t.after(async () => {
    await page.screenshot({ path: `${shots}/${t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`, fullPage: true });
    await context.close();
    await worker.close();
    assert.deepEqual(errors, [], 'the page raised no errors');
  });
  return { page, token, runs };
}

/** A screenshot of the page as it is now, named for the test and what it shows. */
const shoot = (page, t, what, { fullPage = true } = {}) => page.screenshot({ path: `${shots}/${`${t.name}-${what}`.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`, fullPage });

/** The cancel requests the service received (the bulk-action reads of the panel left out). */
const cancelsSent = async (token) => (await getLog(emulator.url, token)).filter((entry) => entry.method === 'DELETE');

const active = (runs, keep) => runs.filter((r) => r.state !== 'RUN_SUCCESS' && keep(r)).map((r) => r.id).sort();
/** Run, then the second, deliberate click a filter or every-run cancel asks for. */
async function sendReviewed(page) {
  await page.click('#run');
  await page.click('#review-confirm');
}
/** `count` runs labelled `label`, for a cancel in the background. */
const labelled = (label, count) => Array.from({ length: count }, (_, i) => ({ id: `${label}_${i}`, workflowUrl: 'https://shop.example.com/api/workflows/bg', label }));

/** Starts a background cancel of the runs labelled `label` and waits until the page follows it. */
async function startInBackground(page, token, { label, total, speed }) {
  await setBulkSpeed(emulator.url, token, speed);
  await page.check('#mode-filters');
  await page.fill('#label', label);
  await page.check('#background');
  await sendReviewed(page);
  await page.waitForFunction((n) => new RegExp(`^Bulk action \\S+: \\d+ of ${n} runs processed\\.$`).test(document.getElementById('status').textContent), total);
}
const localInput = (ms) => new Date(ms).toISOString().slice(0, 19);
const finished = (page) => page.waitForFunction(() => /^(Done|Stopped)/.test(document.getElementById('status').textContent), null, { timeout: 30_000 });

test('cancel by ids (pasted with commas, spaces and a duplicate)', async (t) => {
  const { page, token } = await open(t);
  await page.fill('#ids', 'wfr_0000, wfr_0001\nwfr_0001  wfr_0002');
  await page.waitForFunction(() => document.getElementById('ids-summary').textContent.includes('1 duplicate removed'));
  assert.equal(await page.textContent('#run'), 'Cancel 3 runs by id', 'the button names its scope');
  assert.match(await page.textContent('#preview'), /"url": ".*\/v2\/workflows\/runs\?workflowRunIds=wfr_0000&workflowRunIds=wfr_0001&workflowRunIds=wfr_0002"/);
  assert.match(await page.textContent('#curl'), /Bearer \$ADMIN_TOKEN/);
  await page.click('#run');
  await finished(page);
  assert.match(await page.textContent('#status'), /^Done\. Cancelled 3 runs /);
  assert.deepEqual(await cancelledIds(emulator.url, token), ['wfr_0000', 'wfr_0001', 'wfr_0002']);
  assert.match(await page.textContent('#history tbody'), /3 runs by id3/);
  assert.equal(await page.isHidden('#review'), true, 'ids are sent with one click');
});

test('ids that fall short are explained as the CLI explains them: not active or unknown, the service does not say which', async (t) => {
  const { page, token } = await open(t);
  // wfr_0004 finished already; wfr_9999 is no run of this account.
  await page.fill('#ids', 'wfr_0004 wfr_9999');
  await page.click('#run');
  await finished(page);
  assert.equal(await page.textContent('#status'), 'Done. Cancelled 0 of 2 runs asked (1 request, 1 pass, 0 retries). '
    + 'The other 2 were not active: already finished or cancelled, or unknown to this account (the service does not say which).');
  assert.deepEqual(await cancelledIds(emulator.url, token), []);
  assert.equal((await cancelsSent(token)).length, 1);
  assert.deepEqual(await page.$$eval('#history tbody td', (tds) => tds.slice(1, 3).map((td) => td.textContent)), ['2 runs by id', '0']);
});

test('the page counts in words ("1 run", "30 runs", "1 bulk action"), never with "(s)"', async (t) => {
  const { page, token } = await open(t, { extra: labelled('counted', 30) });
  // Every line the status and the bulk panel show, from here on.
  await page.evaluate(() => {
    window.said = [];
    for (const id of ['status', 'actions-status']) {
      new MutationObserver(() => window.said.push(document.getElementById(id).textContent))
        .observe(document.getElementById(id), { childList: true, characterData: true, subtree: true });
    }
  });
  await page.fill('#ids', 'wfr_0000');
  await page.click('#run');
  await finished(page);
  await page.fill('#ids', '');
  await startInBackground(page, token, { label: 'counted', total: 30, speed: { perTick: 10, tickMs: 100 } });
  await finished(page);
  await page.waitForFunction(() => document.getElementById('actions-status').textContent === '1 bulk action.');
  const said = await page.evaluate(() => window.said);
  assert.ok(said.includes('Pass 1: request 1 of 1 done, 1 run cancelled so far.'), said.join('\n'));
  assert.ok(said.some((text) => /^Bulk action \S+: \d+ of 30 runs processed\.$/.test(text)), said.join('\n'));
  assert.match(await page.textContent('#status'), /^Done: bulk action \S+ finished, 30 of 30 runs processed\.$/);
  assert.deepEqual(said.filter((text) => text.includes('(s)')), []);
  assert.doesNotMatch(await page.textContent('body'), /\(s\)/);
  assert.equal((await cancelledIds(emulator.url, token)).length, 31);
});

test('cancel by label and date range, repeating for runs that refuse a first pass', async (t) => {
  const { page, token, runs } = await open(t);
  await page.check('#mode-filters');
  await page.fill('#label', 'nightly');
  await page.fill('#from-date', localInput(NOW - 40 * HOUR));
  await page.fill('#to-date', localInput(NOW - 10 * HOUR));
  await sendReviewed(page);
  await finished(page);
  const want = active(runs, (r) => r.label === 'nightly' && r.createdAt >= NOW - 40 * HOUR && r.createdAt <= NOW - 10 * HOUR);
  assert.ok(want.length > 3);
  assert.deepEqual(await cancelledIds(emulator.url, token), want);
  assert.match(await page.textContent('#status'), new RegExp(`^Done\\. Cancelled ${want.length} run`));
});

test('a filter cancel sent from the page shows up in the bulk actions panel once it is done (the service logs each pass as one)', async (t) => {
  const { page } = await open(t);
  assert.equal(await page.textContent('#actions-status'), 'No bulk actions in the last 7 days.');
  await page.check('#mode-filters');
  await page.fill('#label', 'adhoc');
  await sendReviewed(page);
  await finished(page);
  // No Refresh pressed: the panel follows what the page itself just did.
  await page.waitForFunction(() => /label adhoc/.test(document.querySelector('#actions tbody').textContent), null, { timeout: 3_000 });
  assert.match(await page.textContent('#actions-status'), /^[\d,]+ bulk action/);
});

test('cancel by workflow URL prefix in the (default) query form', async (t) => {
  const { page, token, runs } = await open(t);
  await page.check('#mode-filters');
  await page.fill('#workflow-url', 'https://shop.example.com/api/workflows/');
  await sendReviewed(page);
  await finished(page);
  assert.deepEqual(await cancelledIds(emulator.url, token), active(runs, (r) => r.workflowUrl.startsWith('https://shop.example.com/')));
  assert.match((await cancelsSent(token))[0].query, /^\?workflowUrl=https%3A%2F%2Fshop\.example\.com/);
});

test('cancel everything needs the confirmation phrase', async (t) => {
  const { page, token, runs } = await open(t);
  await page.check('#mode-all');
  await page.click('#run');
  assert.match(await page.textContent('#confirm-error'), /type "cancel every run"/i);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'confirm');
  assert.equal((await cancelsSent(token)).length, 0, 'nothing was sent');
  await page.fill('#confirm', 'cancel every run');
  await sendReviewed(page);
  await finished(page);
  assert.deepEqual(await cancelledIds(emulator.url, token), active(runs, () => true));
});

test('invalid input is shown next to its field and nothing is sent', async (t) => {
  const { page, token } = await open(t);
  await page.check('#mode-filters');
  await page.fill('#workflow-url', 'ftp://files.example.com');
  assert.match(await page.textContent('#workflow-url-error'), /^Must be an absolute http\(s\) URL/);
  assert.equal(await page.getAttribute('#workflow-url', 'aria-invalid'), 'true');
  await page.fill('#workflow-url', 'https://shop.example.com/');
  await page.selectOption('#encoding', 'body');
  await page.fill('#count', '5');
  assert.match(await page.textContent('#count-error'), /query form/);
  await page.click('#run');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'count');
  assert.equal((await cancelsSent(token)).length, 0);
  assert.deepEqual(await cancelledIds(emulator.url, token), []);
});

test('a wrong admin credential is explained and cancels nothing', async (t) => {
  const { page, token } = await open(t);
  await page.fill('#credential', 'not-the-credential');
  await page.fill('#ids', 'wfr_0000');
  await page.click('#run');
  await finished(page);
  assert.match(await page.textContent('#status'), /UNAUTHORIZED/);
  assert.match(await page.textContent('#failure'), /Check the admin credential/);
  assert.equal(await page.locator('#failure button').count(), 0, 'no "put back" for ids still in the list');
  assert.deepEqual(await cancelledIds(emulator.url, token), []);
});

test('the page speaks in the form\'s words, and its status follows the last action', async (t) => {
  const { page, token } = await open(t);
  await page.fill('#ids', 'wfr_0000');
  await page.click('#run');
  await finished(page);
  assert.match(await page.textContent('#status'), /^Done\. Cancelled 1 run /);
  // A refused run replaces the old "Done", in words of the form, not of the API; nothing is
  // shown in red before Run is pressed.
  await page.check('#mode-filters');
  assert.equal(await page.textContent('#mode-fieldset-error'), '');
  await page.click('#run');
  const status = await page.textContent('#status');
  assert.equal(status, 'Not sent: Say what to cancel: paste run ids, fill in at least one filter, or choose "Every run of the account".');
  await page.fill('#credential', '');
  assert.equal(await page.textContent('#preview-words'), 'Not ready: Admin credential: must not be empty');
  for (const text of [status, await page.textContent('#preview-words')]) {
    assert.doesNotMatch(text, /workflowRunIds|token:|all: true|workflowUrl/, text);
  }
  await page.fill('#credential', ADMIN);
  // Every run: no error before anything is typed.
  await page.check('#mode-all');
  assert.equal(await page.textContent('#confirm-error'), '');
  await page.fill('#confirm', 'cancel every run');
  assert.match(await page.textContent('#preview'), /"Cancel-All-Runs": "true"/);
  assert.deepEqual(await cancelledIds(emulator.url, token), ['wfr_0000']);
});

for (const width of [1280, 375]) {
  test(`at ${width} px with 3,000 ids, the previews scroll in their boxes and every control fits`, async (t) => {
    const { page } = await open(t, { viewport: { width, height: 900 } });
    const ids = Array.from({ length: 3_000 }, (_, i) => `wfr_long_${String(i).padStart(6, '0')}`);
    await page.$eval('#ids', (el, text) => {
      el.value = text;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, ids.join('\n'));
    await page.click('#preview-details summary');
    const box = (id) => page.$eval(`#${id}`, (el) => ({ client: el.clientHeight, scroll: el.scrollHeight, width: el.clientWidth, wide: el.scrollWidth }));
    for (const id of ['preview', 'curl']) {
      const { client, scroll } = await box(id);
      assert.ok(client <= 320 && scroll > client, `${id}: ${client} of ${scroll} px shown, the rest scrolls`);
    }
    // The run controls and the progress sit close below the form, not thousands of pixels down.
    const top = await page.$eval('#progress', (el) => el.getBoundingClientRect().top + window.scrollY);
    assert.ok(top < 2_400, `progress at ${top} px`);
    await page.check('#mode-filters');
    const select = await box('encoding');
    assert.ok(select.wide <= select.width, `the select fits (${select.wide} > ${select.width})`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
  });
}

test('Stop in the middle of a long id list tells confirmed, unconfirmed and not sent apart, true to the emulator', async (t) => {
  const ids = Array.from({ length: 5_000 }, (_, i) => `bulk_${String(i).padStart(5, '0')}`);
  const { page, token } = await open(t, { extra: ids.map((id) => ({ id, workflowUrl: 'https://shop.example.com/api/workflows/bulk' })) });
  // The first request is answered; the service acts on the next ones at once but holds their
  // answers back, so at Stop they have (most likely) cancelled runs nothing confirmed.
  await injectFaults(emulator.url, token, [{ then: 'handle' }, ...Array(4).fill({ act: true, delayMs: 8000 })]);
  // Pasted in one go, as a person would (typing 5,000 lines would take minutes).
  await page.$eval('#ids', (el, text) => {
    el.value = text;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, ids.join('\n'));
  await page.click('#run');
  await page.waitForFunction(() => / runs? cancelled so far/.test(document.getElementById('status').textContent));
  await page.click('#stop');
  await finished(page);
  assert.match(await page.textContent('#status'), /ABORTED/);
  const failure = await page.textContent('#failure');
  const figure = (re) => Number((re.exec(failure) ?? [, '0'])[1].replaceAll(',', ''));
  const confirmed = figure(/([\d,]+) runs? confirmed cancelled before this\./);
  const unconfirmed = figure(/([\d,]+) ids? not confirmed: sent without a confirming answer/);
  const notCancelled = figure(/([\d,]+) ids? not cancelled: not sent, or refused by the service\./);
  assert.ok(confirmed > 0 && unconfirmed > 0 && notCancelled > 0, failure);
  assert.equal(confirmed + unconfirmed + notCancelled, 5_000, failure);
  const cancelled = await cancelledIds(emulator.url, token);
  assert.ok(cancelled.length >= confirmed && cancelled.length <= confirmed + unconfirmed, `${cancelled.length} cancelled; ${failure}`);
  await page.click('#failure button');
  const rest = (await page.inputValue('#ids')).split('\n');
  assert.equal(rest.length, unconfirmed + notCancelled, 'the ids not confirmed are offered again');
  assert.equal(cancelled.filter((id) => !rest.includes(id)).length, confirmed, 'every id left out was confirmed');
});

test('a filter cancel with the page\'s defaults cancels all 1,667 matching runs, 100 a request', async (t) => {
  const many = Array.from({ length: 1_667 }, (_, i) => ({ id: `many_${i}`, workflowUrl: 'https://shop.example.com/api/workflows/many', label: 'flood' }));
  const { page, token } = await open(t, { extra: many });
  await page.check('#mode-filters');
  await page.fill('#label', 'flood');
  await sendReviewed(page);
  await finished(page);
  assert.equal(await page.textContent('#status'), 'Done. Cancelled 1,667 runs (18 requests, 18 passes, 0 retries). The last pass cancelled nothing: no matching run was left to cancel.');
  assert.equal((await cancelledIds(emulator.url, token)).length, 1_667);
  assert.equal((await cancelsSent(token)).length, 18);
});

test('a remembered credential is not handed to a proxy URL that came from a link', async (t) => {
  const { page } = await open(t);
  assert.equal(await page.getAttribute('#credential', 'autocomplete'), 'off', 'no password manager is invited to keep it');
  await page.check('#remember');
  await page.fill('#credential', ADMIN);
  const own = await page.inputValue('#worker-url');
  // Reloaded on the same proxy: the credential is back.
  await page.goto(`${site.url}/?worker=${encodeURIComponent(own)}`);
  await page.waitForSelector('body[data-ready=true]');
  assert.equal(await page.inputValue('#credential'), ADMIN);
  // A link that points the page elsewhere: the field stays empty, and the page says why.
  await page.goto(`${site.url}/?worker=${encodeURIComponent('https://elsewhere.example')}`);
  await page.waitForSelector('body[data-ready=true]');
  assert.equal(await page.inputValue('#worker-url'), 'https://elsewhere.example');
  assert.equal(await page.inputValue('#credential'), '');
  assert.match(await page.textContent('#credential-hint'), /remembered for .*, not for this proxy URL, so it was not filled in/);
});

test('a filter cancel run in the background is followed to the end, and the bulk actions panel lists it', async (t) => {
  const { page, token } = await open(t, { extra: labelled('background', 300) });
  await startInBackground(page, token, { label: 'background', total: 300, speed: { perTick: 30, tickMs: 100 } });
  await finished(page);
  const status = await page.textContent('#status');
  assert.match(status, /^Done: bulk action (\S+) finished, 300 of 300 runs processed\.$/);
  const actionId = /bulk action (\S+) finished/.exec(status)[1];
  assert.equal((await cancelledIds(emulator.url, token)).length, 300);
  assert.match((await cancelsSent(token))[0].query, /^\?label=background&async=true$/);
  await page.waitForFunction((id) => [...document.querySelectorAll('#actions tbody tr')]
    .some((row) => row.textContent.includes(id) && row.textContent.includes('Finished') && row.textContent.includes('300 / 300')), actionId);
  assert.match(await page.textContent('#actions tbody'), /label background/);
  // The history says what the service reported (runs processed), not a count of cancels it never gave.
  assert.match(await page.textContent('#history tbody'), new RegExp(`label background–[\\d.]+ sbulk action ${actionId} finished: 300 of 300 processed`));
  assert.equal(await page.isHidden('#background-choice'), false);
  await page.check('#mode-ids');
  assert.equal(await page.isHidden('#background-choice'), true, 'not offered for ids');
});

test('a 429 during a run is waited out and the run completes', async (t) => {
  const { page, token, runs } = await open(t);
  await injectFaults(emulator.url, token, [{ status: 429, body: { error: 'slow down' }, headers: { 'Retry-After': '1' } }]);
  await page.check('#mode-filters');
  await page.fill('#workflow-url', 'https://mail.example.com/');
  await page.selectOption('#encoding', 'body');
  await sendReviewed(page);
  await finished(page);
  assert.match(await page.textContent('#status'), /^Done/);
  assert.deepEqual(await cancelledIds(emulator.url, token), active(runs, (r) => r.workflowUrl.startsWith('https://mail.example.com/')));
  // The page sent the body form; the Worker forwards every cancel in the query form.
  assert.deepEqual(((e) => [e.query, e.body])((await cancelsSent(token))[0]), ['?workflowUrl=https%3A%2F%2Fmail.example.com%2F', '']);
});

test('accessibility: no serious axe violations, and usable on a narrow screen', async (t) => {
  const { page } = await open(t, { viewport: { width: 360, height: 800 } });
  await page.check('#mode-filters');
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'] }));
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  console.log(`axe: ${result.violations.length} violation(s) [${result.violations.map((v) => `${v.id}:${v.impact}`).join(', ')}], ${result.passes.length} rules passed`);
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help}`), []);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling at 360 px');
  // Keyboard: from the heading, the tab stops follow the reading order.
  await page.locator('h1').evaluate((h1) => {
    h1.tabIndex = -1;
    h1.focus();
  });
  const order = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => document.activeElement.id));
  }
  assert.deepEqual(order, ['worker-url', 'credential', 'remember', 'mode-filters']);
});

for (const width of [1280, 375]) {
  test(`at ${width} px a filter cancel says what and where it cancels, and sends only on a second, deliberate click`, async (t) => {
    const { page, token, runs } = await open(t, { viewport: { width, height: 900 } });
    const workerUrl = await page.inputValue('#worker-url');
    const fingerprint = await tokenFingerprint(token);
    // The target line, from the Worker: the QStash origin and the token's fingerprint.
    await page.waitForFunction((fp) => document.getElementById('target').textContent.includes(fp), fingerprint);
    const line = await page.textContent('#target');
    assert.ok(line.includes(new URL(emulator.url).origin) && line.includes(workerUrl), line);
    assert.equal(leakIn(line, token), undefined);
    await shoot(page, t, 'target line', { fullPage: false });
    // Another proxy URL typed: the old target is withdrawn at once, and asked again on leaving.
    await page.fill('#worker-url', `${workerUrl}/`);
    assert.match(await page.textContent('#target'), /^The connection changed/);
    await page.locator('#worker-url').blur();
    await page.waitForFunction((fp) => document.getElementById('target').textContent.includes(fp), fingerprint);
    await page.check('#mode-filters');
    await page.fill('#label', 'adhoc');
    assert.match(await page.textContent('#run'), /^Review: cancel runs matching the filters/, 'the button names its scope');
    // The proxy slow to say its target: until it has, the cancel cannot be confirmed.
    let answer, asked;
    const held = new Promise((resolve) => (asked = resolve));
    await page.route('**/admin/target', async (route) => {
      await new Promise((resolve) => {
        answer = resolve;
        asked();
      });
      await route.continue();
    });
    await page.click('#run');
    await page.waitForSelector('#review:not([hidden])');
    assert.match(await page.textContent('#review-where'), /^Asking the proxy/);
    assert.equal(await page.isDisabled('#review-confirm'), true);
    await held;
    answer();
    await page.waitForSelector('#review-confirm:enabled');
    await page.unroute('**/admin/target');
    const review = await page.textContent('#review');
    for (const part of ['every run matching label adhoc, repeating until a pass cancels nothing', workerUrl, new URL(emulator.url).origin, fingerprint]) {
      assert.ok(review.includes(part), `the confirmation names "${part}": ${review}`);
    }
    assert.equal((await cancelsSent(token)).length, 0, 'the first click sent nothing');
    assert.ok(await page.$eval('#review-confirm', (el) => el.getBoundingClientRect().bottom <= window.innerHeight), 'the second step is in view');
    await shoot(page, t, 'confirmation step', { fullPage: false });
    // A change to the form withdraws the confirmation: what is confirmed is what was shown.
    await page.fill('#label', 'nightly');
    assert.equal(await page.isHidden('#review'), true);
    await page.fill('#label', 'adhoc');
    await page.click('#run');
    await page.click('#review-confirm');
    await finished(page);
    assert.deepEqual(await cancelledIds(emulator.url, token), active(runs, (r) => r.label === 'adhoc'));
  });
}

for (const width of [1280, 375]) {
  test(`at ${width} px every run: the button says so in the danger colour, and the confirmation names the target`, async (t) => {
    const { page, token, runs } = await open(t, { viewport: { width, height: 900 } });
    await page.check('#mode-all');
    assert.match(await page.textContent('#run'), /every run of the account/i);
    const colour = (id) => page.$eval(id, (el) => getComputedStyle(el).backgroundColor);
    assert.equal(await colour('#run'), 'rgb(164, 22, 26)', 'the danger red, not the accent blue');
    await page.fill('#confirm', 'cancel every run');
    await page.click('#run');
    await page.waitForSelector('#review-confirm:enabled');
    const review = await page.textContent('#review');
    assert.match(review, /EVERY workflow run of the account/);
    assert.ok(review.includes(await tokenFingerprint(token)), review);
    assert.equal(await colour('#review-confirm'), 'rgb(164, 22, 26)');
    assert.equal((await cancelsSent(token)).length, 0);
    await shoot(page, t, 'confirmation step', { fullPage: false });
    await page.click('#review-confirm');
    await finished(page);
    assert.deepEqual(await cancelledIds(emulator.url, token), active(runs, () => true));
  });
}

test('when the proxy cannot say its target, the confirmation says so and still names the proxy URL', async (t) => {
  const { page, token, runs } = await open(t);
  // An older Worker, without /admin/target.
  await page.route('**/admin/target', (route) => route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":"not found"}', headers: { 'access-control-allow-origin': '*' } }));
  const workerUrl = await page.inputValue('#worker-url');
  await page.check('#mode-filters');
  await page.fill('#label', 'adhoc');
  await page.click('#run');
  await page.waitForSelector('#review:not([hidden])');
  await page.waitForFunction(() => /did not say/.test(document.getElementById('review').textContent));
  const review = await page.textContent('#review');
  assert.ok(review.includes(workerUrl), review);
  assert.match(review, /The proxy did not say which QStash account it cancels on \(HTTP 404\)/);
  await page.click('#review-confirm');
  await finished(page);
  assert.deepEqual(await cancelledIds(emulator.url, token), active(runs, (r) => r.label === 'adhoc'));
});

test('a hostile answer about the target is shown as text or refused, never as HTML', async (t) => {
  const { page } = await open(t);
  await page.route('**/admin/target', (route) => route.fulfill({
    status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' },
    body: JSON.stringify({ baseUrl: 'https://x.test/<img src=x onerror="window.pwned=1">', tokenFingerprint: '<b id=bold>1234</b>' }),
  }));
  for (const credential of ['', ADMIN]) {
    await page.fill('#credential', credential);
    await page.locator('#credential').blur();
  }
  await page.waitForFunction(() => /could not be read/.test(document.getElementById('target').textContent));
  assert.equal(await page.$$eval('#target img, #target b, #bold', (els) => els.length), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
});

test('the credential goes to no proxy URL the library refuses: the target question is not sent, and the line says why', async (t) => {
  const { page } = await open(t);
  const sent = [];
  page.on('request', (request) => {
    if (request.headers().authorization?.includes(ADMIN)) sent.push(request.url());
  });
  // Plain http across a network, a query or a fragment that swallows /admin/target, a
  // scheme-relative URL (another host, reached from the page's own scheme), user:password@.
  for (const proxy of ['http://admin.example.invalid', 'https://admin.example.invalid/?to=', 'https://admin.example.invalid#', '//admin.example.invalid', 'https://me:pw@admin.example.invalid']) {
    await page.fill('#worker-url', proxy);
    await page.locator('#worker-url').blur();
    await page.waitForFunction(() => /^(Not asked|Cancels go through)/.test(document.getElementById('target').textContent));
    assert.deepEqual(sent, [], proxy);
    assert.match(await page.textContent('#target'), /^Not asked: Admin proxy URL: must /, proxy);
  }
});

for (const width of [1280, 375]) {
  test(`at ${width} px Stop on a background cancel stops the watching only, and says the service goes on`, async (t) => {
    const { page, token } = await open(t, { extra: labelled('slow', 200), viewport: { width, height: 900 } });
    // Every status line the page shows, from here on.
    await page.evaluate(() => {
      window.said = [];
      new MutationObserver(() => window.said.push(document.getElementById('status').textContent))
        .observe(document.getElementById('status'), { childList: true, characterData: true, subtree: true });
    });
    await startInBackground(page, token, { label: 'slow', total: 200, speed: { perTick: 10, tickMs: 150 } });
    assert.equal(await page.textContent('#stop'), 'Stop watching', 'the button says what it stops');
    await page.click('#stop');
    await page.waitForFunction(() => /^No longer watching/.test(document.getElementById('status').textContent));
    const status = await page.textContent('#status');
    const actionId = /bulk action ([^\s:]+)/.exec(status)[1];
    assert.match(status, /the service goes on cancelling/);
    await shoot(page, t, 'after stop');
    // The service goes on and finishes; the page lists the action and follows it there.
    await page.waitForFunction((id) => [...document.querySelectorAll('#actions tbody tr')]
      .some((row) => row.textContent.includes(id) && row.textContent.includes('Finished') && row.textContent.includes('200 / 200')), actionId, { timeout: 30_000 });
    assert.equal((await cancelledIds(emulator.url, token)).length, 200, 'the emulator\'s bulk action went on to the end');
    const said = await page.evaluate(() => window.said);
    assert.deepEqual(said.filter((text) => /^Stopped|ABORTED/.test(text)), [], 'the page never said the cancel stopped');
    assert.equal(await page.textContent('#failure'), '', 'not shown as a failure');
    const history = await page.textContent('#history tbody');
    assert.ok(history.includes(actionId) && /goes on/.test(history), history);
    assert.doesNotMatch(history, /ABORTED/);
  });
}

test('the status line follows the form: a refusal goes once its field is fixed', async (t) => {
  const { page } = await open(t);
  await page.fill('#credential', '');
  await page.fill('#ids', 'wfr_0000');
  await page.click('#run');
  assert.equal(await page.textContent('#status'), 'Not sent: Admin credential: must not be empty');
  await page.fill('#credential', ADMIN);
  assert.equal(await page.textContent('#status'), 'Ready: nothing sent yet.');
  await page.fill('#ids', '');
  assert.match(await page.textContent('#status'), /^Not ready: Run ids: must not be empty/);
});

test('the bulk actions panel loads by itself once the connection is filled in, and shows it is loading', async (t) => {
  const { page, token } = await open(t);
  const now = Date.now();
  await seedActions(emulator.url, token, [{ actionId: 'ba_seeded', kind: 'cancel', state: 'FINISHED', total: 2, processed: 2, createdAt: now, completedAt: now, filter: { label: ['x'] } }]);
  await page.evaluate(() => {
    window.panel = [];
    new MutationObserver(() => window.panel.push([document.getElementById('actions-status').textContent, document.getElementById('actions-region').getAttribute('aria-busy')]))
      .observe(document.getElementById('actions-status'), { childList: true, characterData: true, subtree: true });
  });
  // A person fixes the proxy URL and moves on; nobody presses Refresh.
  const url = await page.inputValue('#worker-url');
  await page.fill('#worker-url', `${url}/`);
  await page.locator('#worker-url').blur();
  await page.waitForFunction(() => document.getElementById('actions-status').textContent === '1 bulk action.');
  assert.match(await page.textContent('#actions tbody'), /ba_seeded/);
  const seen = await page.evaluate(() => window.panel);
  assert.ok(seen.some(([text, busy]) => /^Loading bulk actions/.test(text) && busy === 'true'), JSON.stringify(seen));
  assert.equal(await page.getAttribute('#actions-region', 'aria-busy'), 'false');
});

test('the History target and the Bulk actions filter are said in words, the service\'s values as text', async (t) => {
  const { page, token } = await open(t);
  const now = Date.now();
  const hostile = '<img src=x onerror="window.hit=1">';
  // The service sends each filter as an array of strings, dates as strings of milliseconds.
  await seedActions(emulator.url, token, [
    { actionId: 'ba_words', kind: 'cancel', state: 'FINISHED', total: 2, processed: 2, createdAt: now, completedAt: now,
      filter: { workflowUrl: ['https://shop.example.com/api/workflows/checkout'], workflowUrlExactMatch: ['true'], label: ['nightly', 'adhoc'], callerIp: [hostile], fromDate: ['1700000000000'], toDate: ['1800000000000'] } },
    { actionId: 'ba_every', kind: 'cancel', state: 'FINISHED', total: 1, processed: 1, createdAt: now - 1, completedAt: now, filter: {} },
    { actionId: 'ba_odd', kind: 'cancel', state: 'FINISHED', total: 1, processed: 1, createdAt: now - 2, completedAt: now, filter: { fromDate: ['soon'], ['__proto__']: ['x'], newFilter: ['a', 'b'], workflowUrlExactMatch: ['true'] } },
  ]);
  await page.check('#mode-filters');
  await page.fill('#workflow-url', 'https://shop.example.com/api/workflows/');
  await page.fill('#label', 'adhoc\nbackfill');
  await page.fill('#from-date', localInput(NOW - 40 * HOUR));
  await sendReviewed(page);
  await finished(page);
  await page.waitForFunction(() => document.querySelectorAll('#actions tbody tr').length >= 4);
  const filters = Object.fromEntries(await page.$$eval('#actions tbody tr', (rows) => rows.map((row) => [row.cells[0].textContent, row.cells[5].textContent])));
  assert.equal(filters.ba_words, `workflow URL equal to https://shop.example.com/api/workflows/checkout, and label nightly or adhoc, and caller IP ${hostile}, `
    + 'and created from 2023-11-14T22:13:20.000Z, and created up to 2027-01-15T08:00:00.000Z');
  assert.equal(filters.ba_every, 'none: every run');
  assert.equal(filters.ba_odd, 'fromDate soon, and __proto__ x, and newFilter a or b, and workflowUrlExactMatch true');
  const mine = Object.entries(filters).find(([id]) => !/^ba_(words|every|odd)$/.test(id))[1];
  const words = `workflow URL starting with https://shop.example.com/api/workflows/, and label adhoc or backfill, and created from ${new Date(NOW - 40 * HOUR).toISOString()}`;
  assert.equal(mine, words, 'the page\'s own cancel, as the service logged it');
  assert.equal(await page.$eval('#history tbody td:nth-child(2)', (td) => td.textContent), words);
  assert.doesNotMatch(await page.textContent('#actions tbody'), /\b(workflowUrl|workflowUrlExactMatch|label|callerIp|fromDate|toDate)=/, 'no option=value');
  assert.equal(await page.locator('#actions img').count(), 0, 'the service\'s text is never HTML');
  assert.equal(await page.evaluate(() => window.hit), undefined);
});

for (const width of [375, 1280]) {
  test(`at ${width} px the History and Bulk actions tables show every column without sideways scrolling`, async (t) => {
    const { page, token } = await open(t, { viewport: { width, height: 900 } });
    const now = Date.now();
    await seedActions(emulator.url, token, [{ actionId: 'ba_table', kind: 'cancel', state: 'FINISHED', total: 2, processed: 2, createdAt: now, completedAt: now, filter: { label: ['nightly'], workflowUrl: ['https://shop.example.com/api/workflows/checkout'], fromDate: [String(NOW)] } }]);
    await page.fill('#ids', 'wfr_0000');
    await page.click('#run');
    await finished(page);
    await page.click('#actions-refresh');
    await page.waitForFunction(() => document.querySelectorAll('#actions tbody tr').length === 1);
    assert.equal(await page.textContent('#actions tbody td[data-label=Filter]'), 'workflow URL starting with https://shop.example.com/api/workflows/checkout, and label nightly, and created from 2026-11-25T12:00:00.000Z');
    assert.equal(await page.textContent('#history tbody td[data-label=Target]'), '1 run by id');
    for (const table of ['#history', '#actions']) {
      const cells = await page.$$eval(`${table} tbody td`, (tds) => tds.map((td) => {
        const box = td.getBoundingClientRect();
        return { left: box.left, right: box.right, width: box.width, label: td.dataset.label, shown: getComputedStyle(td, '::before').content };
      }));
      const headings = await page.$$eval(`${table} thead th`, (ths) => ths.map((th) => th.textContent));
      assert.deepEqual(cells.map((c) => c.label), headings, `${table}: every cell knows its column`);
      for (const cell of cells) assert.ok(cell.left >= 0 && cell.right <= width && cell.width > 0, `${table} ${cell.label} at ${cell.left}-${cell.right} px`);
      for (const cell of cells) assert.equal(cell.shown === 'none', width > 375, `${table} ${cell.label}: the label shows on a phone only (${cell.shown})`);
      assert.ok(await page.$eval(table, (el) => el.parentElement.scrollWidth <= el.parentElement.clientWidth), `${table} does not scroll sideways`);
    }
    await shoot(page, t, 'tables');
  });
}

test('at 375 px the curl line never breaks inside $ADMIN_TOKEN', async (t) => {
  const { page } = await open(t, { viewport: { width: 375, height: 900 } });
  await page.fill('#ids', 'wfr_0000');
  await page.$eval('#curl', (el) => el.closest('details')?.setAttribute('open', ''));
  const lines = await page.$eval('#curl', (el) => {
    const text = el.firstChild.textContent ?? '';
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent.indexOf('$ADMIN_TOKEN');
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + '$ADMIN_TOKEN'.length);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    }
    return `not found in ${text}`;
  });
  assert.equal(lines, 1);
});

test('at 375 px in filter mode the run button is in view without scrolling down', async (t) => {
  const { page } = await open(t, { viewport: { width: 375, height: 800 } });
  await page.check('#mode-filters');
  await page.fill('#label', 'adhoc');
  const inView = () => page.$eval('#run', (el) => {
    const box = el.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  });
  assert.ok(await inView(), 'after filling the label');
  await page.evaluate(() => window.scrollTo(0, 0));
  assert.ok(await inView(), 'at the top of the page');
  await shoot(page, t, 'what a phone shows', { fullPage: false });
});

test('the preview says in words what will be cancelled; the JSON, without an empty body, and curl are one click away', async (t) => {
  const { page } = await open(t);
  await page.check('#mode-filters');
  await page.fill('#label', 'adhoc');
  assert.equal(await page.textContent('#preview-words'), 'Cancels every run matching label adhoc, repeating until a pass cancels nothing.');
  assert.equal(await page.isVisible('#preview'), false, 'the JSON waits behind a click');
  await page.click('#preview-details summary');
  assert.equal(await page.isVisible('#preview'), true);
  assert.equal(await page.isVisible('#curl'), true);
  assert.doesNotMatch(await page.textContent('#preview'), /"body"/);
  await page.check('#mode-ids');
  await page.fill('#ids', 'wfr_0000 wfr_0001');
  assert.equal(await page.textContent('#preview-words'), 'Cancels 2 runs by id: wfr_0000, wfr_0001.');
});

test('"Repeat until nothing is left" shows only where it acts: filters and every run, not ids or the background', async (t) => {
  const { page } = await open(t);
  const shown = () => page.isVisible('#until-done');
  assert.equal(await shown(), false, 'ids');
  await page.check('#mode-filters');
  assert.equal(await shown(), true, 'filters');
  await page.check('#background');
  assert.equal(await shown(), false, 'in the background the service goes on by itself');
  await page.check('#mode-all');
  assert.equal(await shown(), false, 'every run, in the background');
  await page.uncheck('#background');
  assert.equal(await shown(), true, 'every run');
});

test('the every-run phrase follows the CLI\'s rule (exact, case-sensitive) and a refusal says why', async (t) => {
  const { page, token } = await open(t);
  await page.check('#mode-all');
  await page.fill('#confirm', 'Cancel Every Run');
  // Said once, not the label and then the rule repeating it ("Type cancel every run ...: type ...").
  assert.equal(await page.textContent('#preview-words'),
    'Not ready: type "cancel every run" exactly, in lower case as shown, to confirm that every run of the account should be cancelled (the case differs).');
  await page.click('#run');
  assert.equal(await page.textContent('#status'),
    'Not sent: type "cancel every run" exactly, in lower case as shown, to confirm that every run of the account should be cancelled (the case differs).');
  assert.equal(await page.textContent('#confirm-error'),
    'Type "cancel every run" exactly, in lower case as shown, to confirm that every run of the account should be cancelled (the case differs).');
  assert.equal(await page.isHidden('#review'), true);
  await page.fill('#confirm', 'cancel  every run');
  await page.click('#run');
  assert.match(await page.textContent('#confirm-error'), /\(what was typed differs from it\)\.$/);
  assert.equal((await cancelsSent(token)).length, 0);
  // Spaces around it are ignored, as the CLI trims its answer.
  await page.fill('#confirm', ' cancel every run ');
  await page.click('#run');
  await page.waitForSelector('#review:not([hidden])');
});

test('a background cancel the page loses track of is not called stopped: the service goes on', async (t) => {
  const { page, token } = await open(t, { extra: labelled('lost', 200) });
  await startInBackground(page, token, { label: 'lost', total: 200, speed: { perTick: 10, tickMs: 150 } });
  // The next readings are refused (not retried): the page cannot follow the action any more.
  await injectFaults(emulator.url, token, Array(4).fill({ status: 401, body: { error: 'token revoked' } }));
  await page.waitForFunction(() => /No longer watching/.test(document.getElementById('status').textContent));
  assert.match(await page.textContent('#status'), /^Could not follow it \(.+\)\. No longer watching bulk action [^\s:]+: the service goes on cancelling/);
  assert.equal(await page.textContent('#failure'), '');
  assert.doesNotMatch(await page.textContent('#history tbody'), /UNAUTHORIZED|Stopped/);
});

test('a background start that got no answer is not called safe to run again: a bulk action may have started', async (t) => {
  const { page, token } = await open(t, { extra: labelled('lost-start', 30) });
  await page.check('#mode-filters');
  await page.fill('#label', 'lost-start');
  await page.check('#background');
  // The service acts on the start, then the connection drops: the proxy answers 502.
  await injectFaults(emulator.url, token, [{ act: true, drop: true }]);
  await sendReviewed(page);
  await page.waitForFunction(() => /^(Not confirmed|Stopped)/.test(document.getElementById('status').textContent));
  assert.equal((await cancelledIds(emulator.url, token)).length, 30, 'the service did act');
  const said = `${await page.textContent('#status')}\n${await page.textContent('#failure')}\n${await page.textContent('#history tbody')}`;
  assert.doesNotMatch(said, /Running again is safe|run again/i, said);
  assert.match(await page.textContent('#status'), /^Not confirmed: .*may have started a bulk action.*Check Bulk actions below before you start another/, said);
  assert.equal((await cancelsSent(token)).length, 1, 'the start was sent once');
});

test('with a most to cancel, a failure does not call running again safe: it may cancel that many more', async (t) => {
  const { page, token } = await open(t, { extra: labelled('capped', 30) });
  await page.check('#mode-filters');
  await page.fill('#label', 'capped');
  await page.fill('#count', '5');
  // The service cancels 5, then the connection drops: the proxy answers 502.
  await injectFaults(emulator.url, token, [{ act: true, drop: true }]);
  await sendReviewed(page);
  await finished(page);
  assert.equal((await cancelledIds(emulator.url, token)).length, 5, 'the service did act, within the count');
  const said = `${await page.textContent('#failure')}\n${await page.textContent('#history tbody')}`;
  assert.doesNotMatch(said, /Running again is safe/, said);
  assert.match(await page.textContent('#failure'), /Running again may cancel up to 5 more runs/);
  assert.match(await page.textContent('#failure'), /1 request sent without a confirming answer: the service may have cancelled up to 5 more runs\./, 'the accounting says what this run may have done');
});

test('the target question follows no redirect: the credential never reaches the place a redirect names', async (t) => {
  const { page } = await open(t);
  // Another origin that records the Authorization header of whatever reaches it.
  const seen = [];
  const elsewhere = createServer((req, res) => {
    seen.push(req.headers.authorization ?? null);
    res.writeHead(200, { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization', 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  t.after(() => elsewhere.close());
  const to = `http://127.0.0.1:${elsewhere.address().port}/admin/target`;
  await page.route('**/admin/target', (route) => route.fulfill({ status: 307, headers: { location: to, 'access-control-allow-origin': '*' } }));
  await page.fill('#credential', `${ADMIN}-again`);
  await page.locator('#credential').blur();
  await page.waitForFunction(() => /^Cancels go through/.test(document.getElementById('target').textContent));
  // Not followed at all, as the library follows none: a browser older than the rule that drops
  // Authorization on a redirect to another origin would send the credential along.
  assert.deepEqual(seen, [], 'nothing reached the place the redirect named');
  assert.match(await page.textContent('#target'), /The proxy answered with a redirect, which the page does not follow/);
});
