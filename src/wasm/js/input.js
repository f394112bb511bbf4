// Reading the caller's values once, for src/wasm/input.rs. Loaded by wasm-bindgen, folded into
// the glue by scripts/inline-snippets.mjs, type-checked by `tsc --checkJs` in the test command.
/**
 * Reads a caller's array once: its length alone when over `max`, `[bytes, ends]` when every item
 * is an ASCII string, else `[items]` up to the first item that is not a string or is too long.
 * @param {any} list
 * @param {number} max
 * @param {number} maxUnits
 * @returns {number | [Uint8Array, Uint32Array] | [unknown[]]}
 */
export function readList(list, max, maxUnits) {
  const length = list.length;
  if (!Number.isSafeInteger(length) || length < 0) throw new TypeError('length');
  if (length > max) return length;
  /** @type {unknown[]} */
  const items = [];
  const ends = new Uint32Array(length);
  let units = 0;
  for (let i = 0; i < length; i++) {
    const item = list[i];
    items.push(item);
    if (typeof item !== 'string' || item.length > maxUnits) return [items];
    units += item.length;
    ends[i] = units;
  }
  if (units > PACKED_UNITS) return [items];
  const bytes = new Uint8Array(units);
  for (let at = 0, done = 0; at < length; at += CHUNK) {
    const text = items.slice(at, at + CHUNK).join('');
    const { read, written } = encoder.encodeInto(text, bytes.subarray(done));
    if (read !== text.length || written !== text.length) return [items];
    done += written;
  }
  return [bytes, ends];
}
const encoder = new TextEncoder(), PACKED_UNITS = 2 ** 26, CHUNK = 4096;
/**
 * The time value of a real `Date`; throws for anything else.
 * @param {unknown} date
 */
export function timeOf(date) {
  return Date.prototype.getTime.call(/** @type {Date} */ (date));
}
/**
 * False for a string with an unpaired UTF-16 surrogate.
 * @param {string} s
 */
export function wellFormed(s) {
  return !/[\uD800-\uDFFF]/u.test(s);
}
