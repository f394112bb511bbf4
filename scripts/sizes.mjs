// Prints the sizes of the files the package ships (raw, gzip -9, brotli) as a Markdown table,
// the figures docs/sizes.md quotes. Run after scripts/build-pkg.sh.
// With --check, fails when what a browser page loads (the wasm, the web glue and the entry's own
// JS: index.js and the lib/ files it imports) exceeds the gzip budget in bench/size-budget.json: a
// deterministic figure, checked by the test command. The entry's JS counts: moving a rule from
// it into the wasm must not look like growth, nor the reverse like a saving.
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const files = [
  ['dist/web/qstash_cancel_bg.wasm', 'the wasm, every runtime'],
  ['dist/web/qstash_cancel.js', 'browser, bundler and workerd glue'],
  ['dist/node/qstash_cancel.js', 'Node glue'],
];
const fmt = (n) => `${n.toLocaleString('en')} B`;
const gzipped = {};
console.log('| file | raw | gzip -9 | brotli -11 |\n|---|---|---|---|');
for (const [file, what] of files) {
  const bytes = readFileSync(new URL(`../pkg/${file}`, import.meta.url));
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  gzipped[file] = gzip;
  console.log(`| \`${file}\` (${what}) | ${fmt(bytes.length)} | ${fmt(gzip)} | ${fmt(brotli)} |`);
}
if (process.argv.includes('--check')) {
  const budget = JSON.parse(readFileSync(new URL('../bench/size-budget.json', import.meta.url), 'utf8')).browserGzipBytes;
  const entry = gzipSync(Buffer.concat(['index.js', 'lib/exports.js', 'lib/error.js', 'lib/api.js']
    .map((file) => readFileSync(new URL(`../pkg/${file}`, import.meta.url)))), { level: 9 }).length;
  const browser = gzipped['dist/web/qstash_cancel_bg.wasm'] + gzipped['dist/web/qstash_cancel.js'] + entry;
  console.log(`\nbrowser build (wasm + glue + entry JS, ${fmt(entry)}): ${fmt(browser)} gzip; budget ${fmt(budget)} (bench/size-budget.json)`);
  if (browser > budget) {
    console.error('the browser build is over its size budget');
    process.exit(1);
  }
}
