// How a refusal or failure reads at a terminal: a headline in words with the code after them
// (scripts branch on the code, in --json and the exit code), then what the error's fields say:
// the HTTP status, the service's own words, what was done before it. Decided on the error's
// `code`, `field` and `status`, never on its message's text.
import { shown } from './escape.js';
import { flagFor, optionsAsFlags } from './flags.js';
import { count, number } from './words.js';

const HEADLINES = {
  INVALID_OPTIONS: 'Refused',
  UNAUTHORIZED: 'Token refused',
  RATE_LIMITED: 'Rate limited',
  HTTP_ERROR: 'The service failed',
  INVALID_RESPONSE: "The service's answer could not be read",
  NETWORK_ERROR: 'No answer from the service',
  TIMEOUT: 'Timed out',
  UNFINISHED: 'Not finished',
  ABORTED: 'Stopped',
};
/** The signals that stop a command, as a person knows them. */
const SIGNAL_NAMES = { SIGINT: 'Ctrl-C (SIGINT)', SIGTERM: 'SIGTERM', SIGHUP: 'SIGHUP (the terminal closed)' };

/** `Not finished (UNFINISHED)`, `The service failed (HTTP_ERROR, HTTP 500)`: words, then the code and status. */
export function headline(code, status) {
  return `${HEADLINES[code] ?? 'Failed'} (${code}${status === undefined ? '' : `, HTTP ${status}`})`;
}

/**
 * What a refusal says in the CLI's terms: the flag (and item) and the rule when the error names
 * a field that has a flag, else its message.
 */
export function refusalMessage(err) {
  const flag = flagFor(err.field);
  const item = err.index === undefined ? '' : ` item ${err.index + 1}`;
  return flag && err.rule !== undefined ? `${flag}${item}: ${err.rule}` : err.message;
}

/**
 * The lines of a failure: the headline, what the service said, and what was done before it.
 * `stoppedBy` is the signal that aborted the command, if one did; `values` the flags given.
 */
export function failureLines(err, stoppedBy, values) {
  const lines = [];
  if (err.code === 'ABORTED') {
    const by = stoppedBy ? ` by ${SIGNAL_NAMES[stoppedBy]}` : '';
    const action = err.action;
    lines.push(action
      ? `Stopped watching${by} (ABORTED): bulk action ${shown(action.actionId)} goes on in the service (last seen: ${number(action.processed)} of ${count(action.total, 'run')} processed).`
      : `Stopped${by} (ABORTED).`);
  } else if (err.status !== undefined) {
    // An answer the library could not read: what in it was wrong, before the text itself.
    lines.push(err.code === 'INVALID_RESPONSE' ? `${headline(err.code, err.status)}: ${shown(err.message)}` : headline(err.code, err.status));
    if (err.serverMessage) lines.push(`The service said: "${shown(err.serverMessage)}"`);
    const wait = err.rateLimit?.retryAfter;
    if (wait !== undefined && wait !== null) lines.push(`It asked to wait ${count(wait, 'second')} before the next request.`);
  } else {
    const message = err.code === 'INVALID_OPTIONS' ? refusalMessage(err) : err.message;
    lines.push(`${headline(err.code)}: ${shown(optionsAsFlags(message))}`);
  }
  return [...lines, ...accounting(err, values)];
}

/**
 * What a stopped call had done, in three kinds that are never mixed up: confirmed by the
 * service, sent without a confirming answer (the service may have acted), not sent or refused.
 */
function accounting(err, values) {
  // A background start cancels nothing itself; what it may have started, `failed` says.
  if (err.cancelled === undefined || values?.async) return [];
  const lines = [`${count(err.cancelled, 'run')} confirmed cancelled before this.`];
  if (err.unconfirmedRunIds !== undefined) {
    if (err.unconfirmedRunIds.length > 0) lines.push(`${count(err.unconfirmedRunIds.length, 'id')} not confirmed: sent without a confirming answer (the service may have cancelled them).`);
    if (err.notCancelledRunIds.length > 0) lines.push(`${count(err.notCancelledRunIds.length, 'id')} not cancelled: not sent, or refused by the service.`);
  } else if (err.unconfirmed > 0) {
    const upTo = err.unconfirmedUpTo !== undefined ? `up to ${count(err.unconfirmedUpTo, 'more run')}` : 'more runs than counted here';
    lines.push(`${count(err.unconfirmed, 'request')} sent without a confirming answer: the service may have cancelled ${upTo}.`);
  }
  if (err.code === 'UNFINISHED') {
    // The error does not say which limit stopped it; the flags given do, but for both at once.
    const requests = values?.['max-requests'] !== undefined;
    const limit = requests && values['max-passes'] !== undefined ? '--max-passes or --max-requests' : requests ? '--max-requests' : '--max-passes';
    lines.push(`The job is not finished: more runs may match. Run the same command again, or raise ${limit}.`);
  }
  return lines;
}

/** What to do about a refused token: which variable (or file) held it, and what the service said of it. */
export function fixTheToken({ tokenFrom, fingerprint, baseUrl }, status) {
  const why = status === 403 ? 'refused this request with it (HTTP 403: the token lacks the rights)' : `did not accept it (HTTP ${status ?? 401})`;
  return `Fix the token in ${tokenFrom} (token ${fingerprint}): the service at ${shown(baseUrl)} ${why}.`;
}
