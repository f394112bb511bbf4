// The admin page: reads the form into cancelRuns options, previews the request live, runs the
// cancel with progress and a Stop button, and keeps a history. The checks themselves are the
// library's (previewRequest refuses exactly what cancelRuns would), shown next to their field.
import { cancelRuns, cancelRunsDetailed, listAllBulkActions, previewRequest, QStashCancelError, waitForBulkAction } from 'qstash-cancel';
// The CLI's words for a cancel, from the package's copy the page loads (index.html's import map).
import { EVERY_RUN_PHRASE, accountingText, count, filtersText, number, phraseMismatch, reachText, summaryText } from './vendor/qstash-cancel/lib/words.js';

const $ = (id) => document.getElementById(id);

/** Which element shows the refusal of each option. */
const FIELD_ELEMENT = {
  token: 'credential',
  baseUrl: 'worker-url',
  workflowRunIds: 'ids',
  workflowUrl: 'workflow-url',
  workflowUrlExactMatch: 'exact-match',
  label: 'label',
  fromDate: 'from-date',
  toDate: 'to-date',
  callerIp: 'caller-ip',
  flowControlKey: 'flow-control-key',
  host: 'host',
  path: 'path',
  count: 'count',
  encoding: 'encoding',
  untilDone: 'until-done',
  async: 'background',
  confirm: 'confirm',
};

const ADVICE = {
  INVALID_OPTIONS: 'Fix the highlighted field; nothing was sent.',
  UNAUTHORIZED: 'Check the admin credential; the proxy may also forbid this kind of cancel.',
  RATE_LIMITED: 'The service is rate limiting. Wait a little and run again.',
  HTTP_ERROR: 'The proxy or the service failed; the message says why. Running again is safe.',
  NETWORK_ERROR: 'The proxy could not be reached, or it does not allow this page\'s origin.',
  TIMEOUT: 'It took too long. Running again is safe and continues where it stopped.',
  ABORTED: 'Stopped. Runs cancelled before the stop stay cancelled.',
  INVALID_RESPONSE: 'The service may have acted, but its answer could not be read: check what is left before running again.',
  UNFINISHED: 'The pass limit was reached while runs were still being cancelled.',
};

/** The failures whose advice is to run again. */
const RUN_AGAIN = ['RATE_LIMITED', 'HTTP_ERROR', 'TIMEOUT', 'UNFINISHED'];

/**
 * What to do after `err`: a cancel with a most to cancel counts it afresh on each run, so running
 * again is not "safe" there, as the CLI says too (pkg/lib/cli/main.js).
 */
function adviceFor(err, options) {
  if (options.count !== undefined && RUN_AGAIN.includes(err.code)) {
    return `Running again may cancel up to ${count(options.count, 'more run')}: the most to cancel counts afresh on each run.`;
  }
  return ADVICE[err.code] ?? '';
}

/** The label a person sees for a field (the form's own words), for messages that name it. */
const labelOf = (field) => {
  const id = FIELD_ELEMENT[field];
  const text = id && document.querySelector(`label[for="${id}"]`)?.textContent.trim();
  return text || 'The form';
};

/**
 * How the page's sentences name an option: its field's label in quotes, without the label's
 * explanation in brackets ('"Most runs to cancel in all"'), or undefined for an option the page
 * has no field for.
 */
const nameOf = (field) => {
  const text = FIELD_ELEMENT[field] && labelOf(field);
  return text ? `"${text.replace(/\s*\(.*\)$/s, '')}"` : undefined;
};

/** A refusal in the form's words: the field's label and the rule, never an option name. */
function inWords(err) {
  if (err.field === 'options') return 'Say what to cancel: paste run ids, fill in at least one filter, or choose "Every run of the account".';
  // The phrase's label is the instruction its refusal repeats: the refusal alone says it once.
  if (err.field === 'confirm') return err.message;
  const item = err.index === undefined ? '' : ` (item ${number(err.index + 1)})`;
  return `${labelOf(err.field)}${item}: ${err.rule ?? err.message}`;
}

let controller = null;
/** Whether the status line speaks of the form (a refusal), so it follows the form as it changes. */
let statusOfForm = false;

/** A refusal made by the page itself (the confirmation phrase), shaped like the library's. */
const pageRefusal = (field, message) => new QStashCancelError(message, { code: 'INVALID_OPTIONS', field });

/** Lines, commas or whitespace → values, without empties. */
const values = (text) => text.split(/[\n,]+/).map((v) => v.trim()).filter(Boolean);
const oneOrMany = (list) => (list.length === 1 ? list[0] : list);

function parseIds(text) {
  const all = text.split(/[\s,]+/).filter(Boolean);
  const unique = [...new Set(all)];
  return { ids: unique, duplicates: all.length - unique.length };
}

function mode() {
  return document.querySelector('input[name=mode]:checked').value;
}

/** The cancelRuns options the form describes. */
function readForm() {
  const options = { token: $('credential').value, baseUrl: $('worker-url').value.trim() };
  // Repeating acts on filter and every-run cancels sent from here; ids take the library's one
  // pass (as in the CLI), and in the background the service goes on by itself.
  if (!$('until-done-choice').hidden) options.untilDone = $('until-done').checked;
  if (mode() === 'ids') {
    options.workflowRunIds = parseIds($('ids').value).ids;
  } else if (mode() === 'filters') {
    for (const [key, id] of [['workflowUrl', 'workflow-url'], ['label', 'label'], ['callerIp', 'caller-ip'], ['flowControlKey', 'flow-control-key'], ['host', 'host'], ['path', 'path']]) {
      const list = values($(id).value);
      if (list.length > 0) options[key] = oneOrMany(list);
    }
    for (const [key, id] of [['fromDate', 'from-date'], ['toDate', 'to-date']]) {
      if ($(id).value) options[key] = new Date($(id).value);
    }
    if ($('exact-match').checked) options.workflowUrlExactMatch = true;
    if ($('count').value !== '') options.count = Number($('count').value);
    options.encoding = $('encoding').value;
  } else {
    // The CLI's rule: the phrase exactly, only the spaces around it ignored.
    const mismatch = phraseMismatch($('confirm').value.trim());
    if (mismatch !== undefined) {
      const why = { nothing: 'nothing was typed', case: 'the case differs', words: 'what was typed differs from it' }[mismatch];
      throw pageRefusal('confirm', `type "${EVERY_RUN_PHRASE}" exactly, in lower case as shown, to confirm that every run of the account should be cancelled (${why}).`);
    }
    options.all = true;
  }
  if (mode() !== 'ids' && $('background').checked) options.async = true;
  return options;
}

function clearErrors() {
  for (const el of document.querySelectorAll('[aria-invalid=true]')) el.removeAttribute('aria-invalid');
  for (const el of document.querySelectorAll('.error')) el.textContent = '';
}

/** Shows a refusal next to its field, in words; returns the element to focus. */
function showRefusal(err) {
  const id = FIELD_ELEMENT[err.field] ?? 'mode-fieldset';
  const message = err.field === 'options' ? inWords(err)
    : err.index === undefined ? err.rule ?? err.message : `item ${number(err.index + 1)}: ${err.rule}`;
  $(`${id}-error`).textContent = message.charAt(0).toUpperCase() + message.slice(1);
  $(id).setAttribute('aria-invalid', 'true');
  return $(id);
}

/** The preview as a shell command; the credential is read from $ADMIN_TOKEN (double quotes expand it). */
function curlFor(preview) {
  const quote = (text) => `'${text.replaceAll("'", "'\\''")}'`;
  const parts = [`curl -X DELETE ${quote(preview.url)}`];
  for (const [name, value] of Object.entries(preview.headers)) {
    parts.push(name === 'Authorization' ? '  -H "Authorization: Bearer $ADMIN_TOKEN"' : `  -H ${quote(`${name}: ${value}`)}`);
  }
  if (preview.body !== null) parts.push(`  -d ${quote(preview.body)}`);
  return parts.join(' \\\n');
}

/** Renders the preview of what the form describes; returns the refusal, or null when it is ready. */
function updatePreview() {
  clearErrors();
  const ids = parseIds($('ids').value);
  $('ids-summary').textContent = ids.ids.length === 0 ? '' :
    `${number(ids.ids.length)} unique id${ids.ids.length === 1 ? '' : 's'}${ids.duplicates ? `, ${number(ids.duplicates)} duplicate${ids.duplicates === 1 ? '' : 's'} removed` : ''}.`;
  try {
    const options = readForm();
    const preview = previewRequest(options);
    const { requests, body, ...first } = preview;
    $('preview-words').textContent = `Cancels ${scope(options)}${requests > 1 ? ` (${number(requests)} requests: the list is split)` : ''}.`;
    $('preview').textContent = JSON.stringify(body === null ? first : { ...first, body }, null, 2) + (requests > 1 ? `\n\n(and ${number(requests - 1)} more requests like it: the list is split)` : '');
    $('curl').textContent = curlFor(preview);
    return null;
  } catch (err) {
    if (!(err instanceof QStashCancelError)) throw err;
    // Before anything is typed, do not shout about empty fields.
    const quiet = (err.field === 'token' && $('credential').value === '') || (err.field === 'baseUrl' && $('worker-url').value === '')
      || (err.field === 'confirm' && $('confirm').value === '') || err.field === 'options';
    if (!quiet) showRefusal(err);
    $('preview-words').textContent = `Not ready: ${inWords(err)}`;
    $('preview').textContent = '';
    $('curl').textContent = '';
    return err;
  }
}

/** The History's Target: "2 runs by id", "every run", or the filters in words, as the preview says them. */
function targetSummary(options) {
  if (options.all) return 'every run';
  if (options.workflowRunIds) return `${count(options.workflowRunIds.length, 'run')} by id`;
  return filtersText(options);
}

/** One row of the history; `ok` true or false colours the outcome, left out it stays plain. */
function addHistory({ started, target, cancelled, ms, outcome, ok }) {
  const texts = [started.toLocaleTimeString(), target, cancelled === null ? '–' : number(cancelled), `${(ms / 1000).toFixed(1)} s`, outcome];
  const row = tableRow('history', texts);
  if (ok !== undefined) row.lastChild.className = ok ? 'ok' : 'failed';
  $('history').tBodies[0].prepend(row);
}

/**
 * A row of `table`, each cell holding text or nodes and naming its column's heading in
 * `data-label`, which a narrow screen shows when the rows are laid out as cards (style.css).
 */
function tableRow(table, contents) {
  const headings = [...$(table).tHead.rows[0].cells].map((th) => th.textContent);
  const row = document.createElement('tr');
  contents.forEach((content, i) => {
    const cell = document.createElement('td');
    cell.dataset.label = headings[i];
    cell.append(...[content].flat());
    row.append(cell);
  });
  return row;
}

function onProgress(p) {
  $('progress').max = p.batches;
  $('progress').value = p.batch;
  $('status').textContent = `Pass ${number(p.pass)}: request ${number(p.batch)} of ${number(p.batches)} done, ${count(p.total, 'run')} cancelled so far.`;
}

/** Run pressed: ids are sent at once (they name runs exactly); a filter or every run is reviewed first. */
async function run(event) {
  event.preventDefault();
  clearErrors();
  $('failure').textContent = '';
  let options;
  try {
    options = readForm();
    previewRequest(options);
  } catch (err) {
    if (!(err instanceof QStashCancelError)) throw err;
    showRefusal(err).focus();
    $('status').textContent = `Not sent: ${inWords(err)}`;
    statusOfForm = true;
    $('failure').textContent = '';
    return;
  }
  if (options.workflowRunIds) await send(options);
  else await review(options);
}

/** The options the open review shows; a change to the form withdraws them. */
let reviewed = null;

/** Shows what a filter or every-run cancel will cancel and where, and waits for the second click. */
async function review(options) {
  reviewed = options;
  $('review').hidden = false;
  $('review').classList.toggle('danger', options.all === true);
  $('review-what').textContent = `This cancels ${scope(options)}.`;
  $('review-confirm').textContent = options.all ? 'Cancel every run of the account' : 'Cancel every run matching these filters';
  $('review-where').textContent = 'Asking the proxy which QStash account it cancels on…';
  // Confirmed only once the confirmation says where (or that the proxy did not say).
  $('review-confirm').disabled = true;
  $('review-heading').focus();
  $('review').scrollIntoView({ block: 'nearest' });
  const where = await showTarget();
  if (reviewed !== options) return;
  $('review-where').replaceChildren(...where());
  $('review-confirm').disabled = false;
}

function closeReview() {
  reviewed = null;
  $('review').hidden = true;
}

/** What a cancel reaches, in words: "every run matching label adhoc, repeating until ...". */
function scope(options) {
  if (options.all) return `EVERY workflow run of the account, whatever its workflow or label${reachText(options, nameOf)}`;
  if (options.workflowRunIds) {
    const ids = options.workflowRunIds;
    const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? ` and ${number(ids.length - 5)} more` : '');
    return `${number(ids.length)} run${ids.length === 1 ? '' : 's'} by id: ${shown}`;
  }
  return `every run matching ${filtersText(options)}${reachText(options, nameOf)}`;
}

/** Sends the cancel the form describes, following it to the end with progress and Stop. */
async function send(options) {
  closeReview();
  statusOfForm = false;
  controller = new AbortController();
  $('run').disabled = true;
  $('stop').disabled = false;
  $('progress').value = 0;
  $('status').textContent = 'Cancelling…';
  const started = new Date();
  const t0 = performance.now();
  const target = targetSummary(options);
  try {
    if (options.async) {
      await runInBackground(options, { started, target, t0 });
      return;
    }
    const summary = await cancelRunsDetailed({ ...options, signal: controller.signal, onProgress });
    $('status').textContent = `Done. ${summaryText(summary, options, nameOf).join(' ')}`;
    addHistory({ started, target, cancelled: summary.cancelled, ms: performance.now() - t0, outcome: summary.moreMayMatch ? 'done; more may match' : 'done', ok: true });
    // The service logs each pass of a filter or every-run cancel as a bulk action: the panel shows them.
    if (!options.workflowRunIds) refreshActions();
  } catch (err) {
    if (!(err instanceof QStashCancelError)) throw err;
    if (err.code === 'INVALID_OPTIONS') showRefusal(err);
    const cancelled = err.cancelled ?? 0;
    $('status').textContent = `Stopped: ${err.code}.`;
    // The page's own words where the library's name options: a refusal by its label, a Stop as such.
    const said = err.code === 'INVALID_OPTIONS' ? inWords(err) : err.code === 'ABORTED' ? 'You pressed Stop.' : err.message;
    const advice = adviceFor(err, options);
    const lines = [said, advice, ...accountingText(err, options, nameOf)];
    $('failure').replaceChildren(...lines.filter(Boolean).map((text) => Object.assign(document.createElement('p'), { textContent: text })));
    // Offered only when it changes something: after a 401 on the whole list, the list is there already.
    const listed = parseIds($('ids').value).ids;
    const same = mode() === 'ids' && listed.length === err.failedRunIds?.length && listed.every((id, i) => id === err.failedRunIds[i]);
    if (err.failedRunIds?.length && !same) {
      const button = Object.assign(document.createElement('button'), { type: 'button', textContent: `Put the ${number(err.failedRunIds.length)} ids not confirmed cancelled back in the list` });
      button.addEventListener('click', () => {
        $('mode-ids').checked = true;
        $('ids').value = err.failedRunIds.join('\n');
        showMode();
        updatePreview();
        $('ids').focus();
      });
      $('failure').append(button);
    }
    addHistory({ started, target, cancelled, ms: performance.now() - t0, outcome: `${err.code}: ${advice}`, ok: false });
  } finally {
    controller = null;
    $('run').disabled = false;
    $('stop').disabled = true;
    $('stop').textContent = 'Stop';
  }
}

/**
 * Starts the cancel in the background, then follows its bulk action until it finishes. Stop, or a
 * failure while following, ends the watching only: the service goes on, and the page says so.
 */
async function runInBackground(options, { started, target, t0 }) {
  let actionId;
  try {
    ({ actionId } = await cancelRuns({ ...options, signal: controller.signal }));
  } catch (err) {
    // Stopped, or sent without a confirming answer: the service may have started it, and
    // "running again" could start a second bulk action.
    if (!(err instanceof QStashCancelError) || (err.code !== 'ABORTED' && !(err.unconfirmed > 0))) throw err;
    const why = err.code === 'ABORTED' ? 'Stop was pressed before the service answered'
      : `the start was sent but no answer confirmed it (${err.code}${err.status === undefined ? '' : `, HTTP ${err.status}`})`;
    $('status').textContent = `Not confirmed: ${why}, so the service may have started a bulk action anyway. Check Bulk actions below before you start another.`;
    addHistory({ started, target, cancelled: null, ms: performance.now() - t0, outcome: `not confirmed: ${why}; a bulk action may have started` });
    refreshActions();
    return;
  }
  $('stop').textContent = 'Stop watching';
  $('status').textContent = `Started bulk action ${actionId}; the service cancels the matching runs in the background.`;
  refreshActions();
  let action;
  try {
    action = await waitForBulkAction({
      token: options.token,
      baseUrl: options.baseUrl,
      actionId,
      signal: controller.signal,
      onProgress: ({ processed, total }) => {
        $('progress').max = Math.max(total, 1);
        $('progress').value = processed;
        $('status').textContent = `Bulk action ${actionId}: ${number(processed)} of ${count(total, 'run')} processed.`;
      },
    });
  } catch (err) {
    if (!(err instanceof QStashCancelError)) throw err;
    const why = err.code === 'ABORTED' ? '' : `Could not follow it (${err.message}). `;
    $('status').textContent = `${why}No longer watching bulk action ${actionId}: the service goes on cancelling the matching runs in the background. It stays listed under Bulk actions below, where it updates until it finishes.`;
    addHistory({ started, target, cancelled: null, ms: performance.now() - t0, outcome: `bulk action ${actionId} started; no longer watched, the service goes on` });
    refreshActions();
    return;
  }
  $('status').textContent = `Done: bulk action ${actionId} finished, ${number(action.processed)} of ${count(action.total, 'run')} processed.`;
  // The service reports runs processed, not cancelled: the Cancelled column says nothing it does not know.
  addHistory({ started, target, cancelled: null, ms: performance.now() - t0, outcome: `bulk action ${actionId} finished: ${number(action.processed)} of ${number(action.total)} processed`, ok: true });
  refreshActions();
}

/** The fingerprint tokenFingerprint writes; anything else from the proxy is not shown. */
const FINGERPRINT = /^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/;
/** The cancel endpoint's path, after the base URL in a previewed request's URL. */
const RUNS_PATH = '/v2/workflows/runs';
/** How long the proxy gets to say its target: the confirmation waits for it, a person too. */
const TARGET_TIMEOUT_MS = 10_000;
let targetAsked = 0;

/**
 * Asks the proxy which QStash origin and account (by token fingerprint) it cancels on, shows the
 * answer in the target line and returns a maker of it as nodes, for the confirmation. The
 * credential goes in the header, as with every call to the proxy; an answer that is not an origin
 * and a fingerprint is not shown.
 */
async function showTarget() {
  const proxy = $('worker-url').value.trim();
  const credential = $('credential').value;
  const asked = ++targetAsked;
  if (!proxy || !credential) {
    $('target').textContent = 'Fill in the proxy URL and the credential to see which QStash account the proxy cancels on.';
    return () => [$('target').textContent];
  }
  // The library's rules for a base URL first (https, or http to loopback only; no query,
  // fragment or user:password@): the credential goes nowhere a cancel could not go.
  let base;
  try {
    base = previewRequest({ token: credential, baseUrl: proxy, all: true }).url.slice(0, -RUNS_PATH.length);
  } catch (err) {
    if (!(err instanceof QStashCancelError)) throw err;
    $('target').textContent = `Not asked: ${inWords(err)}`;
    return () => [$('target').textContent];
  }
  $('target').textContent = `Asking the proxy at ${proxy} which QStash account it cancels on…`;
  const said = await askTarget(base, credential);
  const sentence = () => (said.fingerprint
    ? ['Cancels go through the admin proxy at ', code(proxy), ' to QStash at ', code(said.baseUrl), ', on the account whose token fingerprint is ', code(said.fingerprint, 'fingerprint'), '.']
    : ['Cancels go through the admin proxy at ', code(proxy), `. ${said.why} Check the proxy URL before you go on.`]);
  if (asked === targetAsked) $('target').replaceChildren(...sentence());
  return sentence;
}

/** A value to compare by eye (a URL, a fingerprint), set as text in monospace. */
const code = (text, className = '') => Object.assign(document.createElement('code'), { textContent: text, className });

async function askTarget(base, credential) {
  let res;
  try {
    // A redirect is not followed, as the library follows none: the credential would go with it.
    res = await fetch(`${base}/admin/target`, { headers: { authorization: `Bearer ${credential}` }, redirect: 'manual', signal: AbortSignal.timeout(TARGET_TIMEOUT_MS) });
  } catch {
    return { why: 'The proxy could not be reached, or did not answer in time, to say which QStash account it cancels on.' };
  }
  if (res.type === 'opaqueredirect') return { why: 'The proxy answered with a redirect, which the page does not follow (the credential would go with it).' };
  if (!res.ok) return { why: `The proxy did not say which QStash account it cancels on (HTTP ${res.status}).` };
  const body = await res.json().catch(() => null);
  const origin = (text) => {
    try {
      return /^https?:$/.test(new URL(text).protocol) && new URL(text).origin === text;
    } catch {
      return false;
    }
  };
  if (typeof body?.baseUrl !== 'string' || !origin(body.baseUrl) || typeof body.tokenFingerprint !== 'string' || !FINGERPRINT.test(body.tokenFingerprint)) {
    return { why: 'The proxy\'s answer about which QStash account it cancels on could not be read.' };
  }
  return { baseUrl: body.baseUrl, fingerprint: body.tokenFingerprint };
}

let actionsTimer = null;
let actionsAsked = 0;

/**
 * Lists the bulk actions into the panel; while any is in progress, again in a second (quietly:
 * the loading state is for a load a person started or is waiting for).
 */
async function refreshActions({ quiet = false } = {}) {
  clearTimeout(actionsTimer);
  const asked = ++actionsAsked;
  const token = $('credential').value;
  const baseUrl = $('worker-url').value.trim();
  if (!token || !baseUrl) {
    $('actions-status').textContent = 'Fill in the proxy URL and the credential to see the bulk actions.';
    $('actions-region').setAttribute('aria-busy', 'false');
    return;
  }
  const state = $('actions-state').value;
  if (!quiet) {
    $('actions-region').setAttribute('aria-busy', 'true');
    $('actions-status').textContent = 'Loading bulk actions…';
  }
  let said;
  try {
    const all = [];
    for await (const action of listAllBulkActions({ token, baseUrl, ...(state ? { state } : {}), maxPages: 50 })) all.push(action);
    if (asked !== actionsAsked) return;
    all.sort((a, b) => b.createdAt - a.createdAt);
    $('actions').tBodies[0].replaceChildren(...all.map(actionRow));
    said = all.length === 0 ? 'No bulk actions in the last 7 days.' : `${count(all.length, 'bulk action')}.`;
    if (all.some((a) => a.state === 'IN_PROGRESS')) actionsTimer = setTimeout(() => refreshActions({ quiet: true }), 1_000);
  } catch (err) {
    if (!(err instanceof QStashCancelError)) throw err;
    if (asked !== actionsAsked) return;
    said = `Could not list the bulk actions: ${err.message}`;
  }
  $('actions-status').textContent = said;
  $('actions-region').setAttribute('aria-busy', 'false');
}

function actionRow(action) {
  const bar = Object.assign(document.createElement('progress'), { max: Math.max(action.total, 1), value: action.processed });
  bar.setAttribute('aria-label', `${action.actionId}: ${action.processed} of ${action.total} processed`);
  const time = (ms) => (ms === null ? '–' : new Date(ms).toLocaleString());
  const filter = actionFilterText(action.filter);
  return tableRow('actions', [action.actionId, action.state === 'FINISHED' ? 'Finished' : 'In progress',
    [bar, ` ${number(action.processed)} / ${number(action.total)}`], time(action.createdAt), time(action.completedAt), filter]);
}

/** The filters filtersText words: those holding a list of values, and the dates. */
const LISTS = ['workflowUrl', 'label', 'callerIp', 'flowControlKey', 'host', 'path'];
const DATES = ['fromDate', 'toDate'];

/**
 * A bulk action's filter in the preview's words ("label nightly or adhoc, and created from
 * 2023-11-14T22:13:20.000Z"). The service sends every value as text, dates as milliseconds in
 * a string (`new Date("1700000000000")` is no date), so a date is read as a number; a filter
 * the page does not know, or a value it cannot read as its kind, is shown as the service sent
 * it, by its name (the exact-match flag too, without a URL it qualifies). An action without
 * filters is a cancel of every run.
 */
function actionFilterText(filter) {
  const known = {};
  const rest = [];
  for (const [name, values] of Object.entries(filter)) {
    const single = values.length === 1 ? values[0] : undefined;
    if (LISTS.includes(name)) known[name] = values;
    else if (DATES.includes(name) && /^\d{1,16}$/.test(single)) known[name] = Number(single);
    else if (name === 'workflowUrlExactMatch' && Object.hasOwn(filter, 'workflowUrl') && ['true', 'false'].includes(single)) known[name] = single === 'true';
    else rest.push(`${name} ${values.join(' or ')}`);
  }
  const words = [filtersText(known), ...rest].filter(Boolean).join(', and ');
  return words || 'none: every run';
}

function showMode() {
  for (const m of ['ids', 'filters', 'all']) $(`${m}-section`).hidden = mode() !== m;
  $('background-choice').hidden = mode() === 'ids';
  $('until-done-choice').hidden = mode() === 'ids' || $('background').checked;
  const ids = parseIds($('ids').value).ids.length;
  $('run').textContent = {
    ids: ids === 0 ? 'Cancel runs by id' : `Cancel ${number(ids)} run${ids === 1 ? '' : 's'} by id`,
    filters: 'Review: cancel runs matching the filters…',
    all: 'Review: cancel EVERY run of the account…',
  }[mode()];
  $('run').classList.toggle('danger', mode() === 'all');
}

/** The credential remembered for this browser session, with the proxy URL it was given for. */
function remembered() {
  try {
    const { worker, credential } = JSON.parse(sessionStorage.getItem('qstash-cancel:credential') ?? 'null') ?? {};
    return typeof worker === 'string' && typeof credential === 'string' ? { worker, credential } : undefined;
  } catch {
    return undefined;
  }
}

function init() {
  const params = new URLSearchParams(location.search);
  $('worker-url').value = params.get('worker') ?? sessionStorage.getItem('qstash-cancel:worker') ?? '';
  // A remembered credential goes only to the proxy it was remembered for: a link with another
  // ?worker= must not get it sent there by one click on Run.
  const saved = remembered();
  if (saved && saved.worker === $('worker-url').value.trim()) {
    $('credential').value = saved.credential;
    $('remember').checked = true;
  } else if (saved) {
    $('credential-hint').textContent = `A credential is remembered for ${saved.worker}, not for this proxy URL, so it was not filled in: type it again only if you trust this proxy.`;
  }
  $('form').addEventListener('input', () => {
    sessionStorage.setItem('qstash-cancel:worker', $('worker-url').value);
    if ($('remember').checked) {
      const entry = { worker: $('worker-url').value.trim(), credential: $('credential').value };
      sessionStorage.setItem('qstash-cancel:credential', JSON.stringify(entry));
    } else sessionStorage.removeItem('qstash-cancel:credential');
    closeReview();
    showMode();
    const refusal = updatePreview();
    // A "Not sent" about a field already fixed would mislead: the line says where the form is now.
    if (statusOfForm && !controller) $('status').textContent = refusal ? `Not ready: ${inWords(refusal)}` : 'Ready: nothing sent yet.';
  });
  // When a connection field is left, not at every keystroke: a half-typed proxy URL is not asked.
  for (const id of ['worker-url', 'credential']) {
    // A target named for the connection as it was is withdrawn at the first key, not left standing.
    $(id).addEventListener('input', () => {
      targetAsked++;
      $('target').textContent = 'The connection changed: the page asks the proxy which QStash account it cancels on when you leave the field.';
    });
    $(id).addEventListener('change', () => {
      showTarget();
      refreshActions();
    });
  }
  $('form').addEventListener('submit', run);
  $('review-confirm').addEventListener('click', () => reviewed && send(reviewed));
  $('review-back').addEventListener('click', () => {
    closeReview();
    $('run').focus();
  });
  $('actions-refresh').addEventListener('click', () => refreshActions());
  $('actions-state').addEventListener('change', () => refreshActions());
  $('stop').addEventListener('click', () => controller?.abort());
  showMode();
  updatePreview();
  refreshActions();
  showTarget();
  document.body.dataset.ready = 'true';
}

init();
