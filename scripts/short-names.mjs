// Gives the wasm's imports and its closure-invoking exports short names, in the wasm and in its
// JS glue alike. Usage: node scripts/short-names.mjs <dir> (holding qstash_cancel_bg.wasm and
// qstash_cancel.js, as wasm-bindgen wrote them).
//
// wasm-bindgen names each import after its JS function plus a 16-digit hash
// (`__wbg_fetchText_872abc746d894a4d`), all under the module "./qstash_cancel_bg.js". The
// hashes cannot be compressed, and the names are written twice, in the wasm and in the glue:
// renamed to `a`, `b`, ... (module "w") the browser build is about 2.5 KB gzip smaller
// (scripts/sizes.mjs). Nothing else changes: the glue builds its import object from the same
// names, and the public exports (`cancelRuns`, ...) keep theirs. To read the glue with
// wasm-bindgen's names, build without this step.
import { readFileSync, writeFileSync } from 'node:fs';

const dir = process.argv[2];
const wasmPath = `${dir}/qstash_cancel_bg.wasm`;
const gluePath = `${dir}/qstash_cancel.js`;
const MODULE = './qstash_cancel_bg.js';
const INTERNAL_EXPORT = /^wasm_bindgen__convert__closures_+invoke__h[0-9a-f]{16}$/;

const bytes = readFileSync(wasmPath);
let glue = readFileSync(gluePath, 'utf8');

/** Reads an unsigned LEB128 at `at`: [value, next offset]. */
function leb(at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}
function writeLeb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}
const name = (text) => Buffer.concat([writeLeb(Buffer.byteLength(text)), Buffer.from(text)]);
function readName(at) {
  const [length, start] = leb(at);
  return [bytes.toString('utf8', start, start + length), start + length];
}
/** The end of a table, memory or global type's limits/flags starting at `at`. */
function skipLimits(at) {
  const flags = bytes[at];
  let next = leb(at + 1)[1];
  if (flags & 1) next = leb(next)[1];
  return next;
}

/** `a`, `b`, ..., `z`, `A`, ..., then two letters: every name a plain JS identifier. */
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const shortName = (i) => (i < LETTERS.length ? '' : LETTERS[Math.floor(i / LETTERS.length) - 1]) + LETTERS[i % LETTERS.length];

const renamed = new Map();
const sections = [];
let at = 8;
while (at < bytes.length) {
  const id = bytes[at];
  const [size, start] = leb(at + 1);
  const end = start + size;
  let body = bytes.subarray(start, end);
  if (id === 2 || id === 7) body = id === 2 ? imports(start) : exports(start);
  sections.push(Buffer.from([id]), writeLeb(body.length), body);
  at = end;
}

/** The import section with every import of the glue's module renamed. */
function imports(start) {
  const [count, first] = leb(start);
  const parts = [writeLeb(count)];
  let p = first;
  for (let i = 0; i < count; i++) {
    const [module, afterModule] = readName(p);
    const [field, afterField] = readName(afterModule);
    const kind = bytes[afterField];
    let next;
    if (kind === 0) next = leb(afterField + 1)[1];
    else if (kind === 1) next = skipLimits(afterField + 2);
    else if (kind === 2) next = skipLimits(afterField + 1);
    else if (kind === 3) next = afterField + 3;
    else throw new Error(`import ${module}.${field}: kind ${kind} not handled`);
    let newModule = module;
    let newField = field;
    if (module === MODULE) {
      newModule = 'w';
      newField = shortName(renamed.size);
      renamed.set(field, newField);
    }
    parts.push(name(newModule), name(newField), bytes.subarray(afterField, next));
    p = next;
  }
  return Buffer.concat(parts);
}

/** The export section with the closure-invoking exports renamed (`x0`, `x1`, ...). */
function exports(start) {
  const [count, first] = leb(start);
  const parts = [writeLeb(count)];
  let p = first;
  let internal = 0;
  for (let i = 0; i < count; i++) {
    const [field, afterField] = readName(p);
    const next = leb(afterField + 1)[1];
    let newField = field;
    if (INTERNAL_EXPORT.test(field)) {
      newField = `x${internal++}`;
      glue = replaceAll(glue, `wasm.${field}`, `wasm.${newField}`);
    }
    parts.push(name(newField), bytes.subarray(afterField, next));
    p = next;
  }
  return Buffer.concat(parts);
}

function replaceAll(text, from, to) {
  const parts = text.split(from);
  if (parts.length < 2) throw new Error(`${gluePath} does not use ${from}`);
  return parts.join(to);
}

for (const [from, to] of renamed) glue = replaceAll(glue, `${from}:`, `${to}:`);
glue = replaceAll(glue, `"${MODULE}": import0`, '"w": import0');
writeFileSync(wasmPath, Buffer.concat([bytes.subarray(0, 8), ...sections]));
writeFileSync(gluePath, glue);
console.log(`${dir}: ${renamed.size} imports and the closure exports renamed`);
