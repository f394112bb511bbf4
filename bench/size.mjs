// Size: every file of the package's builds (raw, gzip -9, brotli -11), beside the official
// client's cancel path bundled for the browser with esbuild (minified), measured in one run.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { build } from 'esbuild';
import { fmt } from './lib.mjs';

const pkg = new URL('../pkg/', import.meta.url);
const measure = (bytes) => ({
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

export async function sizes() {
  const files = {
    'web: qstash_cancel_bg.wasm': 'dist/web/qstash_cancel_bg.wasm',
    'web: qstash_cancel.js (glue)': 'dist/web/qstash_cancel.js',
    'web: index.js + lib/exports.js + lib/error.js + lib/api.js (entry)': ['index.js', 'lib/exports.js', 'lib/error.js', 'lib/api.js'],
    'workerd: workerd.js (entry)': 'workerd.js',
    'edge-light: edge-light.js (entry)': 'edge-light.js',
    'inline: inline.js + the wasm as base64': ['inline.js', 'dist/web/qstash_cancel_bg.wasm.js'],
    'node: qstash_cancel_bg.wasm.cjs (the wasm as base64)': 'dist/node/qstash_cancel_bg.wasm.cjs',
    'node: qstash_cancel.js (glue)': 'dist/node/qstash_cancel.js',
  };
  const rows = Object.entries(files).map(([name, paths]) => [name, measure(Buffer.concat([paths].flat().map((p) => readFileSync(new URL(p, pkg)))))]);
  const ours = ['web: qstash_cancel_bg.wasm', 'web: qstash_cancel.js (glue)', 'web: index.js + lib/exports.js + lib/error.js + lib/api.js (entry)']
    .map((name) => rows.find(([n]) => n === name)[1])
    .reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }));
  const bundle = await build({
    entryPoints: [new URL('./official-cancel.mjs', import.meta.url).pathname],
    bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent',
  });
  const official = measure(Buffer.from(bundle.outputFiles[0].contents));
  rows.push(['browser total (wasm + glue + entry)', ours], ['official @upstash/workflow 1.3.3 cancel path (esbuild, minified)', official]);
  return { rows, ours, official, floor: floor() };
}

/** The fixed crates alone doing one fetch (bench/floor), built like the package: gzip bytes. */
function floor() {
  const script = new URL('./floor/measure.sh', import.meta.url).pathname;
  const sizes = JSON.parse(execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  const total = ({ wasmGzip, glueGzip }) => ({ wasmGzip, glueGzip, gzip: wasmGzip + glueGzip });
  return { fetch: total(sizes.fetch), serialize: total(sizes.serialize) };
}

export function sizeTable({ rows, ours, official, floor }) {
  const lines = ['| file | raw | gzip -9 | brotli -11 |', '|---|---|---|---|'];
  for (const [name, m] of rows) lines.push(`| ${name} | ${fmt(m.raw)} B | ${fmt(m.gzip)} B | ${fmt(m.brotli)} B |`);
  lines.push('', `Browser build / official cancel path, gzip: **${fmt(ours.gzip / official.gzip, 2)}x** (brotli ${fmt(ours.brotli / official.brotli, 2)}x).`);
  lines.push('', `Floor (\`bench/floor\`: wasm-bindgen, wasm-bindgen-futures, js-sys and web-sys doing nothing but one authorised fetch, with the same release profile and \`wasm-opt -Oz\`): ` +
    `**${fmt(floor.fetch.gzip)} B** gzip (wasm ${fmt(floor.fetch.wasmGzip)} + glue ${fmt(floor.fetch.glueGzip)}); ` +
    `with serde-wasm-bindgen serialising one struct, as the package did for its errors until it wrote them as JSON text: **${fmt(floor.serialize.gzip)} B**. ` +
    `Everything else of the browser build (validation and its messages, retries, splitting, the JSON reader, errors): ${fmt(ours.gzip - floor.serialize.gzip)} B.`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(sizeTable(await sizes()));
