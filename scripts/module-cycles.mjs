// Fails on any import cycle between the crate's modules, and on any arrow from a layer to one
// above it. The graph is read from the code: every `crate::a::...` and `super::a` path outside
// comments and `#[cfg(test)]` modules is an arrow from the module it is written in to module `a`
// (for `crate::rules::a`, to `rules::a`). A cycle means two modules that cannot be understood, or
// moved, one without the other; the fix is to put what both need in a module below them.
//
// The layers are the folders of src/, in the order of LAYERS (src/lib.rs says what each holds):
// a module may import its own folder and those before it, never one after it, so the rules never
// depend on the wire format, nor the wire format on the call.
//
// Usage: node scripts/module-cycles.mjs [src-dir]   (prints the graph's size; exits 1 on a cycle
// or an upward arrow)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = process.argv[2] ?? fileURLToPath(new URL('../src', import.meta.url));

/** `src/a/b.rs` -> `a::b`; `src/a/mod.rs` -> `a`; `src/lib.rs` -> `crate`. */
function moduleOf(file) {
  const path = relative(src, file).replace(/\.rs$/, '').split('/');
  if (path.at(-1) === 'mod') path.pop();
  return path.length === 1 && path[0] === 'lib' ? 'crate' : path.join('::');
}

function rustFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? rustFiles(path) : name.endsWith('.rs') ? [path] : [];
  });
}

/** The code of a file without comments, string literals and `#[cfg(test)]` modules. */
function code(text) {
  const cut = text.search(/#\[cfg\([^\]]*\btest\b[^\]]*\)\]\s*mod \w+/);
  return (cut < 0 ? text : text.slice(0, cut))
    .replace(/\/\/.*$/gm, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/"(?:[^"\\]|\\.)*"/g, '""');
}

const modules = new Set();
const arrows = new Map();
const files = rustFiles(src);
for (const file of files) modules.add(moduleOf(file));
for (const file of files) {
  const from = moduleOf(file);
  const parent = from.includes('::') ? from.slice(0, from.lastIndexOf('::')) : 'crate';
  const to = new Set();
  const text = code(readFileSync(file, 'utf8'));
  // Paths, including the names inside `use crate::{a::x, b::y}` groups; `crate::a::b` is an arrow
  // to module `a::b` when the folder `a` has one, else to `a`.
  const target = (first, second) => (second && modules.has(`${first}::${second}`) ? `${first}::${second}` : first);
  for (const [, group] of text.matchAll(/\bcrate::\{([^}]*)\}/g)) {
    for (const [, first, second] of group.matchAll(/(?:^|,)\s*(\w+)(?:::(\w+))?/g)) to.add(target(first, second));
  }
  for (const [, first, second] of text.matchAll(/\bcrate::(\w+)(?:::(\w+))?/g)) to.add(target(first, second));
  for (const [, name] of text.matchAll(/\bsuper::(\w+)/g)) {
    to.add(parent === 'crate' ? name : `${parent}::${name}`);
  }
  arrows.set(from, [...to].filter((m) => m !== from && modules.has(m)));
}

// Tarjan's strongly connected components: each component of more than one module is a cycle.
const index = new Map(), low = new Map(), stack = [], onStack = new Set(), cycles = [];
let next = 0;
function visit(m) {
  index.set(m, next);
  low.set(m, next++);
  stack.push(m);
  onStack.add(m);
  for (const n of arrows.get(m) ?? []) {
    if (!index.has(n)) {
      visit(n);
      low.set(m, Math.min(low.get(m), low.get(n)));
    } else if (onStack.has(n)) low.set(m, Math.min(low.get(m), index.get(n)));
  }
  if (low.get(m) === index.get(m)) {
    const component = [];
    let n;
    do {
      n = stack.pop();
      onStack.delete(n);
      component.push(n);
    } while (n !== m);
    if (component.length > 1) cycles.push(component.sort());
  }
}
for (const m of [...modules].sort()) if (!index.has(m)) visit(m);

// Root modules below every layer (error, limits) and the crate root are not in the list.
const LAYERS = ['text', 'rules', 'wire', 'call', 'wasm'];
const layerOf = (m) => LAYERS.indexOf(m.split('::')[0]);
const upward = [...arrows].flatMap(([from, list]) =>
  list.filter((to) => from !== 'crate' && layerOf(to) > layerOf(from)).map((to) => `${from} -> ${to}`));
for (const layer of LAYERS) {
  if (![...modules].some((m) => m.startsWith(`${layer}::`))) {
    console.error(`module-cycles: no module in the layer ${layer}: update LAYERS`);
    process.exit(1);
  }
}
if (upward.length) {
  console.error(`module-cycles: a layer imports one above it (${LAYERS.join(' < ')}): ${upward.join('; ')}`);
  process.exit(1);
}

const edges = [...arrows.values()].reduce((sum, list) => sum + list.length, 0);
if (modules.size < 10 || edges < 10) {
  console.error(`module-cycles: read only ${modules.size} modules and ${edges} arrows under ${src}: the reading is broken`);
  process.exit(1);
}
if (cycles.length) {
  for (const cycle of cycles) {
    const inCycle = new Set(cycle);
    const links = cycle.flatMap((m) => arrows.get(m).filter((n) => inCycle.has(n)).map((n) => `${m} -> ${n}`));
    console.error(`module-cycles: CYCLE among ${cycle.join(', ')}: ${links.join('; ')}`);
  }
  process.exit(1);
}
console.log(`module-cycles: ${modules.size} modules, ${edges} arrows, no cycle, no layer imports one above it`);
