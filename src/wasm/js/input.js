// Reading the caller's values once, for src/wasm/input.rs. Loaded by wasm-bindgen, folded into
// the glue by scripts/inline-snippets.mjs, type-checked by `tsc --checkJs` in the test command.
//
// An options object is read here in one call from the wasm and handed over as one text that
// describes it (src/wasm/input.rs decodes it): each JS call the wasm makes is a crossing, and
// reading `{ token, baseUrl, workflowRunIds: ['wfr_1'] }` value by value from Rust took about 50
// of them, a third of a stubbed call's own work (bench/per-step.mjs). Every read of a caller's
// value is inside a `try`, and each value is read exactly once, so a getter cannot show one value
// to the checks and another to the request.
//
// The text: a value is one tag, sometimes followed by a number ending in `;` or a string written
// as `<UTF-16 units>:<text>` (every count in hex digits):
//   u undefined, n null, T true, F false, #<bits>; a number (its 64 bits in hex), s<string> a string,
//   L<units>; a string too long to copy, I a string with an unpaired surrogate, D<bits>; a Date,
//   o<kind> anything else (f function, b bigint, y symbol, a array, S AbortSignal, t throws,
//   o object), a<count>; an array and its items, p<count>; a plain object and its keys and values,
//   x<length>; an array too long to read, l<index>; a long array read by `readList` (held at
//   `index` of the answer).
// The options are their keys and values one after the other; a refusal is `!p<string>` (not a
// plain object: what it is), `!t` (an object that throws), `!k<count>;` (too many keys),
// `!g<string>` (the key whose getter threw) or `!c<string>` (the key whose value took the
// options past `maxTotal` units of text: checked before any of it crosses into the wasm).
/**
 * Reads a caller's options object once: the text describing it, or, when it holds a signal, a
 * progress callback or a long list, `[text, signal, onProgress, ...lists]`.
 * @param {unknown} options
 * @param {number} maxKeys
 * @param {number} maxItems
 * @param {number} maxUnits
 * @param {number} maxTotal
 * @returns {string | unknown[]}
 */
export function readOptions(options, maxKeys, maxItems, maxUnits, maxTotal) {
  const read = ownEntries(options, maxKeys);
  if (typeof read === 'string') return `!${read}`;
  /** @type {unknown[]} */
  const held = ['', undefined, undefined];
  let text = '', units = 0;
  // Every value is read before any is described, as the keys come.
  for (let i = 0; i < read.length; i += 2) {
    const key = /** @type {string} */ (read[i]), value = read[i + 1];
    const lists = held.length;
    const described = describeValue(value, maxUnits, maxItems, maxKeys, held);
    units += described.length;
    for (const list of held.slice(lists)) units += listUnits(/** @type {unknown[]} */ (list));
    if (units > maxTotal) return `!c${unitsText(key)}`;
    if (key === 'signal' && described === 'oS') held[1] = value;
    if (key === 'onProgress' && typeof value === 'function') held[2] = value;
    text += unitsText(key) + described;
  }
  if (held.length === 3 && held[1] === undefined && held[2] === undefined) return text;
  held[0] = text;
  return held;
}
/**
 * Describes one item of a long list, or a value of `env` (as an item: an array or an object is
 * only named).
 * @param {unknown} item
 * @param {number} maxUnits
 */
export function readItem(item, maxUnits) {
  return describeValue(item, maxUnits, 0, 0, undefined);
}
/**
 * The own enumerable keys of a plain object (`{...}` or `Object.create(null)`) and their
 * values, `[key, value, ...]`; or why not, as a refusal's text without its `!`.
 * @param {any} value
 * @param {number} maxKeys
 * @returns {unknown[] | string}
 */
function ownEntries(value, maxKeys) {
  if (typeof value !== 'object' || value === null) return `p${unitsText(typeName(value))}`;
  let proto;
  try {
    // Throws for a revoked Proxy.
    if (Array.isArray(value)) return `p${unitsText('array')}`;
    proto = Object.getPrototypeOf(value);
  } catch {
    return 't';
  }
  let plain = proto === null;
  try {
    plain ||= Object.getPrototypeOf(proto) === null;
  } catch {}
  if (!plain) return `p${unitsText(constructorLabel(value))}`;
  let keys;
  try {
    keys = Object.keys(value);
  } catch {
    return 't';
  }
  if (keys.length > maxKeys) return `k${hex(keys.length)};`;
  const read = [];
  for (const key of keys) {
    try {
      read.push(key, value[key]);
    } catch {
      return `g${unitsText(key)}`;
    }
  }
  return read;
}
/**
 * The text of one value (see the top of this file). Only a top-level value (`held` given) has
 * its array's items or its plain object's keys described; deeper ones are only named.
 * @param {unknown} value
 * @param {number} maxUnits
 * @param {number} maxItems
 * @param {number} maxKeys
 * @param {unknown[] | undefined} held where a long list read goes
 * @returns {string}
 */
function describeValue(value, maxUnits, maxItems, maxKeys, held) {
  switch (typeof value) {
    case 'string':
      if (value.length > maxUnits) return `L${hex(value.length)};`;
      return /[\uD800-\uDFFF]/u.test(value) ? 'I' : `s${unitsText(value)}`;
    case 'undefined':
      return 'u';
    case 'boolean':
      return value ? 'T' : 'F';
    case 'number':
      return `#${numberText(value)};`;
    case 'function':
      return 'of';
    case 'bigint':
      return 'ob';
    case 'symbol':
      return 'oy';
  }
  if (value === null) return 'n';
  let array;
  try {
    array = Array.isArray(value);
  } catch {
    return 'ot';
  }
  if (array) return held === undefined ? 'oa' : listText(value, maxUnits, maxItems, held);
  try {
    return `D${numberText(Date.prototype.getTime.call(/** @type {Date} */ (value)))};`;
  } catch {}
  if (isAbortSignal(value)) return 'oS';
  const read = held === undefined ? '' : ownEntries(value, maxKeys);
  if (typeof read === 'string') return 'oo';
  let text = `p${hex(read.length / 2)};`;
  for (let i = 0; i < read.length; i += 2) {
    text += unitsText(/** @type {string} */ (read[i])) + describeValue(read[i + 1], maxUnits, 0, 0, undefined);
  }
  return text;
}
/**
 * A top-level array, read once by `readList`: its items in the text when there are few, else
 * the read held for the wasm to take (`packInto` or `readItem`).
 * @param {unknown} list
 * @param {number} maxUnits
 * @param {number} maxItems
 * @param {unknown[]} held
 */
function listText(list, maxUnits, maxItems, held) {
  let read;
  try {
    read = readList(list, maxItems, maxUnits);
  } catch {
    return 'ot';
  }
  if (typeof read === 'number') return `x${hex(read)};`;
  const items = read[0];
  if (items.length > FEW_ITEMS) return `l${hex(held.push(read) - 1)};`;
  let text = `a${hex(items.length)};`;
  for (const item of items) text += describeValue(item, maxUnits, 0, 0, undefined);
  return text;
}
/**
 * The UTF-16 units of the strings a long list's read holds, which will cross into the wasm.
 * @param {unknown[]} read
 */
function listUnits(read) {
  if (read.length === 3) return /** @type {number} */ (read[2]);
  let units = 0;
  for (const item of /** @type {unknown[]} */ (read[0])) if (typeof item === 'string') units += item.length;
  return units;
}
/** The most items of a list written into the text; longer lists cross as `readList` read them. */
const FEW_ITEMS = 64;
/**
 * `s` as `<UTF-16 units>:<s>`.
 * @param {string} s
 */
function unitsText(s) {
  return `${hex(s.length)}:${s}`;
}
/**
 * A count in hex digits, as every number in the text is (the wasm has one parser for them).
 * @param {number} n
 */
function hex(n) {
  return n.toString(16);
}
/**
 * A number as the hex digits of its 64 bits (the wasm reads them back exactly, with no decimal
 * parser).
 * @param {number} n
 */
function numberText(n) {
  bits.setFloat64(0, n);
  return bits.getBigUint64(0).toString(16);
}
const bits = new DataView(new ArrayBuffer(8));
/**
 * The kind of a value that is no option value at all, for "got ..." in refusals.
 * @param {unknown} value
 */
function typeName(value) {
  return value === null ? 'null' : typeof value;
}
/**
 * What a non-plain object is, by its constructor's name ("a Map", "a URLSearchParams").
 * @param {any} value
 */
function constructorLabel(value) {
  try {
    const name = value.constructor.name;
    if (typeof name === 'string' && /^[\w$]{1,64}$/.test(name)) return `a ${name}`;
  } catch {}
  return 'object';
}
/**
 * Whether `value` is a real `AbortSignal`, read through the prototype's own getter: an object
 * made with `Object.create(AbortSignal.prototype)` passes `instanceof` and then throws from
 * `aborted`, a Proxy's `getPrototypeOf` trap throws inside `instanceof`, and an instance can
 * shadow `aborted` with a getter of its own.
 * @param {any} value
 */
function isAbortSignal(value) {
  try {
    const own = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted');
    const aborted = own && own.get ? own.get.call(value) : value instanceof AbortSignal ? value.aborted : undefined;
    return typeof aborted === 'boolean';
  } catch {
    return false;
  }
}
/**
 * Reads a caller's array once: its length alone when over `max`; `[items, ends, units]` when
 * every item is a string (to be packed by `packInto`); else `[items]` up to the first item that
 * is not a string or is too long.
 * @param {any} list
 * @param {number} max
 * @param {number} maxUnits
 * @returns {number | [unknown[], Uint32Array, number] | [unknown[]]}
 */
function readList(list, max, maxUnits) {
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
