// What reaches a person's terminal from elsewhere (the service's answers, a file, a typed
// answer) is shown, never obeyed: a terminal acts on ESC and OSC sequences (clear the screen,
// retitle the window, draw a fake result line), on C1 controls (U+009B is a CSI on its own in
// some terminals), on a newline (a fake line of our output) and on bidi controls (text that reads
// backwards), so each of those is written as an escape.

/** DEL, C1 controls, bidi marks, embeddings, overrides and isolates, line and paragraph separators. */
const BEYOND_C0 = '\\x7f-\\x9f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
/** Those and the C0 controls, newline included. */
const ACTED_ON = new RegExp(`[\\x00-\\x1f${BEYOND_C0}]`, 'g');
/** In JSON, C0 is escaped already by JSON.stringify. */
const ACTED_ON_IN_JSON = new RegExp(`[${BEYOND_C0}]`, 'g');

const NAMED = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const hex = (c, width) => c.charCodeAt(0).toString(16).padStart(width, '0');

/** `text` as a person may read it in a terminal: `\x1b`, `\n`, `\u202e` instead of the characters. */
export function shown(text) {
  return String(text).replace(ACTED_ON, (c) => NAMED[c] ?? (c < '\x80' ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/**
 * `value` as one line of JSON that is also safe on a terminal: the characters JSON leaves raw
 * (DEL, C1, bidi controls) as `\u` escapes, which every JSON reader reads back as the same string.
 */
export function jsonLine(value) {
  return JSON.stringify(value).replace(ACTED_ON_IN_JSON, (c) => `\\u${hex(c, 4)}`);
}
