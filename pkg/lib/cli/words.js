// Numbers, counts and times as a person reads them in the CLI's sentences.

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
