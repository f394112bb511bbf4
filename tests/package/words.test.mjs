// The words the command line and the admin page share (lib/words.js, as installed), decided on
// the error's fields and the call's options, never on a message's text. A row per case.
import test from 'node:test';
import assert from 'node:assert/strict';

const { accountingText, reachText, summaryText } = await import(new URL('./node_modules/qstash-cancel/lib/words.js', import.meta.url));

/** The command line's names (flags) and the page's (a label; no field for the limits). */
const flags = { count: '--count', untilDone: '--until-done', maxPasses: '--max-passes', maxRequests: '--max-requests' };
const cli = (key) => flags[key];
const page = (key) => ({ count: '"Most runs to cancel in all"' })[key];
const unfinished = { code: 'UNFINISHED', cancelled: 200, message: 'maxPasses maxRequests (the text is never read)' };

test('an unfinished cancel names the limit the error names, else the limits the call set', () => {
  for (const [what, err, options, name, last] of [
    ['the core names maxRequests, both set', { ...unfinished, field: 'maxRequests' }, { maxPasses: 9, maxRequests: 2 }, cli, 'Run the same cancel again, or raise --max-requests.'],
    ['the core names maxPasses, none set', { ...unfinished, field: 'maxPasses' }, {}, cli, 'Run the same cancel again, or raise --max-passes.'],
    ['no field, both set', unfinished, { maxPasses: 9, maxRequests: 2 }, cli, 'Run the same cancel again, or raise --max-passes or --max-requests.'],
    ['no field, maxRequests set', unfinished, { maxRequests: 2 }, cli, 'Run the same cancel again, or raise --max-requests.'],
    ['no field, none set: the default pass limit', unfinished, {}, cli, 'Run the same cancel again, or raise --max-passes.'],
    ['a field that is no limit', { ...unfinished, field: 'cursor' }, {}, cli, 'Run the same cancel again, or raise --max-passes.'],
    ['the page, which has no field for either', { ...unfinished, field: 'maxPasses' }, {}, page, 'Run the same cancel again.'],
  ]) {
    const lines = accountingText(err, options, name);
    assert.equal(lines[0], '200 runs confirmed cancelled before this.', what);
    assert.equal(lines.at(-1), `The job is not finished: more runs may match. ${last}`, what);
  }
});

test('accounting keeps confirmed, not confirmed and not cancelled apart; a background start has none', () => {
  const ids = { code: 'ABORTED', cancelled: 1, unconfirmedRunIds: ['a', 'b'], notCancelledRunIds: ['c'] };
  assert.deepEqual(accountingText(ids, {}, cli), [
    '1 run confirmed cancelled before this.',
    '2 ids not confirmed: sent without a confirming answer (the service may have cancelled them).',
    '1 id not cancelled: not sent, or refused by the service.',
  ]);
  const lost = { code: 'HTTP_ERROR', cancelled: 0, unconfirmed: 1, unconfirmedUpTo: 10 };
  assert.deepEqual(accountingText(lost, {}, page), ['0 runs confirmed cancelled before this.', '1 request sent without a confirming answer: the service may have cancelled up to 10 more runs.']);
  assert.deepEqual(accountingText({ ...lost, unconfirmedUpTo: undefined }, {}, page).at(-1), '1 request sent without a confirming answer: the service may have cancelled more runs than counted here.');
  assert.deepEqual(accountingText(lost, { async: true }, cli), []);
  assert.deepEqual(accountingText({ code: 'INVALID_OPTIONS' }, {}, cli), []);
});

test('a summary says stopped at count, more may match, or nothing left, in each caller\'s names', () => {
  const summary = { cancelled: 250, requests: 1, passes: 1, retries: 0, unconfirmed: 0, moreMayMatch: true };
  assert.deepEqual(summaryText(summary, { label: 'x', count: 250 }, cli), ['Cancelled 250 runs (1 request, 1 pass, 0 retries).', 'Stopped at 250 runs, the most --count allows: more runs may match.']);
  assert.equal(summaryText(summary, { label: 'x', count: 250 }, page)[1], 'Stopped at 250 runs, the most "Most runs to cancel in all" allows: more runs may match.');
  assert.equal(summaryText(summary, { label: 'x', untilDone: false }, cli)[1], 'More runs may match: the request cancelled as many as one request may. Run it again to go on, or repeat with --until-done.');
  assert.equal(summaryText(summary, { label: 'x', untilDone: false }, page)[1], 'More runs may match: the request cancelled as many as one request may. Run it again to go on.');
  assert.equal(summaryText({ ...summary, moreMayMatch: false }, { label: 'x' }, page)[1], 'The last pass cancelled nothing: no matching run was left to cancel.');
  assert.deepEqual(summaryText({ ...summary, cancelled: 1, moreMayMatch: false, unconfirmed: 2 }, { workflowRunIds: ['a', 'b', 'a'] }, cli), [
    'Cancelled 1 of 2 runs asked (1 request, 1 pass, 0 retries).',
    '2 requests lost their answer before a retry went through: the service may have cancelled more runs than counted here.',
  ]);
});

test('how far a cancel goes names the count only where the caller has a name for it', () => {
  assert.equal(reachText({ count: 50 }, cli), ', at most 50 runs in all, repeating until a pass cancels nothing');
  assert.equal(reachText({ untilDone: false }, cli), ' (one request: the service cancels at most 100 runs a request unless --count says otherwise)');
  assert.equal(reachText({ untilDone: false }, () => undefined), ' (one request: the service cancels at most 100 runs a request)');
  assert.equal(reachText({ count: 1, async: true }, cli), ', at most 1 run in all, in the background (the service goes on until every matching run is processed)');
});

test('the every-run phrase: exactly, case counts; the command line and the page both ask it through phraseMismatch', async () => {
  const { EVERY_RUN_PHRASE, phraseMismatch } = await import(new URL('./node_modules/qstash-cancel/lib/words.js', import.meta.url));
  assert.equal(EVERY_RUN_PHRASE, 'cancel every run');
  for (const [typed, want] of [['cancel every run', undefined], ['', 'nothing'], ['Cancel Every Run', 'case'], ['CANCEL EVERY RUN', 'case'],
    ['cancel every runs', 'words'], ['yes', 'words'], ['cancel  every run', 'words']]) {
    assert.equal(phraseMismatch(typed), want, JSON.stringify(typed));
  }
});
