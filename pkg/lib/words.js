// The words a person reads about a cancel, written once for the command line and the admin page:
// what a cancel will do, what it did, and what a stopped one had done. Each caller keeps its own
// framing (a terminal's lines, a page's paragraphs) and names options its own way: `name(key)`
// is the flag or the field label of an option ("count" -> "--count", or the page's label), or
// undefined where there is none. Decided on the options, the summary and the error's fields,
// never on a message's text.

/** `1,667`. */
export const number = (n) => n.toLocaleString('en-US');

/** `1 run`, `2 runs`, `1 pass`, `3 passes`: `plural` is given when adding "s" is wrong. */
export function count(n, singular, plural = `${singular}s`) {
  return `${number(n)} ${n === 1 ? singular : plural}`;
}

/** The last millisecond a JS Date can hold (ECMA-262: 100,000,000 days after 1970). */
const LAST_DATE_MS = 8.64e15;

/**
 * Unix milliseconds as an ISO time, or, past the last date a Date can hold (the service may
 * send up to 2^53-1 and the library accepts it), the number itself, said so.
 */
export function moment(ms) {
  return Math.abs(ms) <= LAST_DATE_MS ? new Date(ms).toISOString() : `${ms} ms after 1970 (past the last date a clock can show)`;
}

/**
 * The filters of a cancel: "label nightly or adhoc, and created from 2026-01-01T00:00:00.000Z".
 * `show` writes a value the caller gave (the command line escapes control characters).
 */
export function filtersText(options, show = String) {
  const list = (value) => [value].flat().map(show).join(' or ');
  const when = (value) => moment(value instanceof Date ? value.getTime() : value);
  return [
    ['workflowUrl', `workflow URL ${options.workflowUrlExactMatch ? 'equal to' : 'starting with'}`, list],
    ['label', 'label', list], ['callerIp', 'caller IP', list], ['flowControlKey', 'flow-control key', list],
    ['host', 'host', list], ['path', 'path', list], ['fromDate', 'created from', when], ['toDate', 'created up to', when],
  ].filter(([key]) => options[key] !== undefined).map(([key, words, shown]) => `${words} ${shown(options[key])}`).join(', and ');
}

/** How far a filter or every-run cancel goes: ", at most 50 runs in all, repeating until a pass cancels nothing". */
export function reachText(options, name) {
  const limit = options.count ? `, at most ${count(options.count, 'run')} in all` : '';
  if (options.async) return `${limit}, in the background (the service goes on until every matching run is processed)`;
  if (options.untilDone !== false) return `${limit}, repeating until a pass cancels nothing`;
  const unless = name('count') ? ` unless ${name('count')} says otherwise` : '';
  return `${limit} (one request: the service cancels at most 100 runs a request${unless})`;
}

/**
 * The sentences of a finished cancel: what the service confirmed, and whether more may match.
 * For an id list that falls short, what the rest can be: the service counts, it does not name,
 * so no id is said to be one or the other.
 */
export function summaryText({ cancelled, requests, passes, retries, unconfirmed, moreMayMatch }, options, name) {
  const asked = options.workflowRunIds && new Set(options.workflowRunIds).size;
  const short = asked !== undefined && cancelled < asked;
  const what = short ? `${number(cancelled)} of ${count(asked, 'run')} asked` : count(cancelled, 'run');
  const lines = [`Cancelled ${what} (${count(requests, 'request')}, ${count(passes, 'pass', 'passes')}, ${count(retries, 'retry', 'retries')}).`];
  if (short && unconfirmed === 0) {
    const rest = asked - cancelled;
    lines.push(`The other ${rest === 1 ? 'one was' : `${number(rest)} were`} not active: already finished or cancelled, or unknown to this account (the service does not say which).`);
  }
  if (unconfirmed > 0) {
    lines.push(`${count(unconfirmed, 'request')} lost ${unconfirmed === 1 ? 'its' : 'their'} answer before a retry went through: the service may have cancelled more runs than counted here.`);
  }
  if (moreMayMatch && options.count !== undefined && cancelled >= options.count) {
    lines.push(`Stopped at ${count(options.count, 'run')}, the most ${name('count')} allows: more runs may match.`);
  } else if (moreMayMatch) {
    const repeat = name('untilDone') ? `, or repeat with ${name('untilDone')}` : '';
    lines.push(`More runs may match: the request cancelled as many as one request may. Run it again to go on${repeat}.`);
  } else if (!options.workflowRunIds && options.untilDone !== false) {
    lines.push('The last pass cancelled nothing: no matching run was left to cancel.');
  }
  return lines;
}

/** The limits that end a repeating cancel unfinished, as the core names them in `err.field`. */
const LIMITS = ['maxPasses', 'maxRequests'];

/**
 * What a stopped cancel had done, in three kinds that are never mixed up: confirmed by the
 * service, sent without a confirming answer (the service may have acted), not sent or refused.
 * `options` are the call's (a background start cancels nothing itself: it has no accounting).
 */
export function accountingText(err, options, name) {
  if (err.cancelled === undefined || options.async) return [];
  const lines = [`${count(err.cancelled, 'run')} confirmed cancelled before this.`];
  if (err.unconfirmedRunIds !== undefined) {
    if (err.unconfirmedRunIds.length > 0) lines.push(`${count(err.unconfirmedRunIds.length, 'id')} not confirmed: sent without a confirming answer (the service may have cancelled them).`);
    if (err.notCancelledRunIds.length > 0) lines.push(`${count(err.notCancelledRunIds.length, 'id')} not cancelled: not sent, or refused by the service.`);
  } else if (err.unconfirmed > 0) {
    const upTo = err.unconfirmedUpTo !== undefined ? `up to ${count(err.unconfirmedUpTo, 'more run')}` : 'more runs than counted here';
    lines.push(`${count(err.unconfirmed, 'request')} sent without a confirming answer: the service may have cancelled ${upTo}.`);
  }
  if (err.code === 'UNFINISHED') {
    const raise = stoppedBy(err, options).map(name).filter(Boolean);
    lines.push(`The job is not finished: more runs may match. Run the same cancel again${raise.length > 0 ? `, or raise ${raise.join(' or ')}` : ''}.`);
  }
  return lines;
}

/**
 * The limit an UNFINISHED cancel reached: the error's `field`; from a core that does not name
 * it, the limits the call set (the default pass limit when it set none).
 */
function stoppedBy(err, options) {
  if (LIMITS.includes(err.field)) return [err.field];
  const set = LIMITS.filter((key) => options[key] !== undefined);
  return set.length > 0 ? set : ['maxPasses'];
}

/** What a person types to cancel every run of the account: the command line and the page ask the same. */
export const EVERY_RUN_PHRASE = 'cancel every run';

/**
 * How `typed` (trimmed) falls short of the phrase, or undefined when it is the phrase: `nothing`,
 * `case` (the right words in another case: the case counts, typing it exactly is the point) or
 * `words`.
 */
export function phraseMismatch(typed) {
  if (typed === EVERY_RUN_PHRASE) return undefined;
  if (typed === '') return 'nothing';
  return typed.toLowerCase() === EVERY_RUN_PHRASE ? 'case' : 'words';
}
