// Prints the sizes of the files the package ships (raw, gzip -9, brotli) as a Markdown table,
// the figures the README's "Sizes" section quotes. Run after scripts/build-pkg.sh.
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const files = [
  ['dist/web/qstash_cancel_bg.wasm', 'the wasm, every runtime'],
  ['dist/web/qstash_cancel.js', 'browser, bundler and workerd glue'],
  ['dist/node/qstash_cancel.js', 'Node glue'],
];
const fmt = (n) => `${n.toLocaleString('en')} B`;
console.log('| file | raw | gzip -9 | brotli -11 |\n|---|---|---|---|');
for (const [file, what] of files) {
  const bytes = readFileSync(new URL(`../pkg/${file}`, import.meta.url));
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`| \`${file}\` (${what}) | ${fmt(bytes.length)} | ${fmt(gzip)} | ${fmt(brotli)} |`);
}
