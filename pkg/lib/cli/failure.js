// How a refusal or failure reads at a terminal: a headline in words with the code after them
// (scripts branch on the code, in --json and the exit code), then what the error's fields say:
// the HTTP status, the service's own words, what was done before it. Decided on the error's
// `code`, `field` and `status`, never on its message's text.
import { shown } from './escape.js';
import { flagFor, optionsAsFlags } from './flags.js';
import { accountingText, count, number } from '../words.js';

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
const SIGNAL_NAMES = { SIGINT: 'Ctrl-C', SIGTERM: 'a termination signal', SIGHUP: 'the terminal closing' };

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
    // "Stopped by Ctrl-C (ABORTED, SIGINT)": the words, then the code and the signal's name.
    const by = stoppedBy ? ` by ${SIGNAL_NAMES[stoppedBy]}` : '';
    const code = stoppedBy ? `ABORTED, ${stoppedBy}` : 'ABORTED';
    const action = err.action;
    lines.push(action
      ? `Stopped watching${by} (${code}): bulk action ${shown(action.actionId)} goes on in the service (last seen: ${number(action.processed)} of ${count(action.total, 'run')} processed).`
      : `Stopped${by} (${code}).`);
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
  // The call's options that the accounting reads, from the flags that set them.
  const options = { async: values?.async, maxPasses: values?.['max-passes'], maxRequests: values?.['max-requests'] };
  return [...lines, ...accountingText(err, options, flagFor)];
}

/** What to do about a refused token: which variable (or file) held it, and what the service said of it. */
export function fixTheToken({ tokenFrom, fingerprint, baseUrl }, status) {
  const why = status === 403 ? 'refused this request with it (HTTP 403: the token lacks the rights)' : `did not accept it (HTTP ${status ?? 401})`;
  return `Fix the token in ${tokenFrom} (fingerprint ${fingerprint}): the service at ${shown(baseUrl)} ${why}.`;
}
