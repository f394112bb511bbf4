// Reading the caller's values once, for src/wasm/input.rs. Loaded by wasm-bindgen, folded into
// the glue by scripts/inline-snippets.mjs, type-checked by `tsc --checkJs` in the test command.
/**
 * Reads a caller's array once: its length alone when over `max`; `[items, ends, units]` when
 * every item is a string (to be packed by `packInto`); else `[items]` up to the first item that
 * is not a string or is too long.
 * @param {any} list
 * @param {number} max
 * @param {number} maxUnits
 * @returns {number | [unknown[], Uint32Array, number] | [unknown[]]}
 */
export function readList(list, max, maxUnits) {
  const length = list.length;
  if (!Number.isSafeInteger(length) || length < 0) throw new TypeError('length');
  if (length > max) return length;
  // Made at its full length: grown by `push`, a million items were copied again at every
  // growth, 0.4 s of a fresh process's first big cancel (bench/big-call.mjs) against 20 ms.
  /** @type {unknown[]} */
  const items = new Array(length);
  const ends = new Uint32Array(length);
  let units = 0;
  for (let i = 0; i < length; i++) {
    const item = list[i];
    items[i] = item;
    if (typeof item !== 'string' || item.length > maxUnits) {
      items.length = i + 1;
      return [items];
    }
    units += item.length;
    ends[i] = units;
  }
  return units > PACKED_UNITS ? [items] : [items, ends, units];
}
/**
 * Writes the strings `items` (`units` UTF-16 units in all) end to end as UTF-8 into the wasm
 * memory at `at`, 4,096 at a time (one string of a million items would be a rope of a million
 * pieces and then a flat copy); false unless every one is ASCII (as many bytes as units).
 * @param {string[]} items
 * @param {WebAssembly.Memory} memory
 * @param {number} at
 * @param {number} units
 */
export function packInto(items, memory, at, units) {
  const bytes = new Uint8Array(memory.buffer, at, units);
  for (let i = 0, done = 0; i < items.length; i += CHUNK) {
    const text = items.slice(i, i + CHUNK).join('');
    const { read, written } = encoder.encodeInto(text, bytes.subarray(done));
    if (read !== text.length || written !== text.length) return false;
    done += written;
  }
  return true;
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
