// Fails when the release wasm can panic at a place in this crate's own sources.
//
// A panic in the wasm ends the instance: every later call of the page or Worker fails. Every
// panic the compiler emits for our code (an index out of bounds, a bad slice, an `unwrap`, a
// `RefCell` already borrowed) passes a `Location` of ours (file, line, column) to the panic
// function; the locations are records in the wasm's data. This script disassembles the wasm
// (binaryen's `wasm-dis`, a dev dependency), finds every location record naming a file under
// `src/`, and the call each one is handed to.
//
// The dependencies' location records (absolute paths) are read the same way and must be found:
// finding none means the records were not read (a new layout of the data or of wasm-dis's text),
// and a pass would mean nothing.
//
// Usage: node scripts/panic-sites.mjs [path/to/qstash_cancel.wasm]   (default: the release build)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const wasm = process.argv[2] ?? `${root}target/wasm32-unknown-unknown/release/qstash_cancel.wasm`;

const wat = execFileSync(`${root}node_modules/.bin/wasm-dis`, [wasm], { maxBuffer: 1 << 30, encoding: 'utf8' });
const lines = wat.split('\n');

// The data segments, as (address, bytes).
const segments = [];
for (const [, base, text] of wat.matchAll(/\(data \$\S+ \(i32\.const (\d+)\) "((?:[^"\\]|\\.)*)"\)/g)) {
  const bytes = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\\') { bytes.push(text.charCodeAt(i)); continue; }
    const hex = text.slice(i + 1, i + 3);
    if (/^[0-9a-f]{2}$/.test(hex)) { bytes.push(parseInt(hex, 16)); i += 2; continue; }
    const escaped = { n: 10, t: 9, r: 13 }[text[i + 1]] ?? text.charCodeAt(i + 1);
    bytes.push(escaped);
    i += 1;
  }
  segments.push({ base: Number(base), bytes: Buffer.from(bytes) });
}

// The source file names in the data (ours crate-relative, `src/...`; dependencies' absolute),
// then the location records pointing at them: (file pointer, file length, line, column) as u32s.
const files = new Map();
for (const { base, bytes } of segments) {
  for (const match of bytes.toString('latin1').matchAll(/(?<![\w/.-])(?:src\/|\/)[\w/.@-]+\.rs/g)) {
    files.set(base + match.index, match[0]);
  }
}
const records = new Map();
for (const { base, bytes } of segments) {
  for (let at = 0; at + 16 <= bytes.length; at += 4) {
    const file = files.get(bytes.readUInt32LE(at));
    if (file && bytes.readUInt32LE(at + 4) === file.length) {
      records.set(base + at, `${file}:${bytes.readUInt32LE(at + 8)}:${bytes.readUInt32LE(at + 12)}`);
    }
  }
}

// Each use of a record's address: the function it is in, and the call it is an argument of
// (in wasm-dis's folded text, the nearest less-indented line above).
const sites = [];
let fn = '?';
lines.forEach((line, n) => {
  const head = line.match(/^ \(func \$(\S+)/);
  if (head) fn = head[1];
  const constant = line.match(/^(\s*)\(i32\.const (\d+)\)/);
  const where = constant && records.get(Number(constant[2]));
  if (!where) return;
  let callee = '(not a call argument)';
  for (let k = n - 1; k >= 0; k--) {
    const indent = lines[k].match(/^\s*/)[0].length;
    if (indent < constant[1].length) {
      callee = lines[k].match(/\(call \$(\S+)/)?.[1] ?? callee;
      break;
    }
  }
  sites.push({ where, fn, callee, ours: where.startsWith('src/') });
});

// Legacy-mangled names (`_ZN` + length-prefixed parts) read as paths; others are shown as they are.
const demangle = (name) => {
  if (!name.startsWith('_ZN')) return name;
  const parts = [];
  for (let at = 3; /\d/.test(name[at]); ) {
    const digits = name.slice(at).match(/^\d+/)[0];
    parts.push(name.substr(at + digits.length, Number(digits)));
    at += digits.length + Number(digits);
  }
  return parts.filter((part) => !/^h[0-9a-f]{16}$/.test(part)).join('::');
};
const ours = sites.filter((s) => s.ours);
const theirs = sites.length - ours.length;
console.log(`panic sites of ours in ${wasm.replace(root, '')}: ${ours.length}; of dependencies (read, not refused): ${theirs}`);
for (const s of ours) console.log(`  PANIC    ${s.where} in ${demangle(s.fn)}, passed to ${demangle(s.callee)}`);
if (theirs === 0) {
  console.error(`found no location records at all (${files.size} file names in the data): the reading is broken, so nothing was checked`);
  process.exit(1);
}
if (ours.length) {
  console.error('the wasm can panic in our own code: use get/checked forms instead (see the lines above)');
  process.exit(1);
}
