// Embeds the wasm bytes in JS modules, so no bundler has to copy a file next to its output:
//   dist/node/qstash_cancel_bg.wasm.cjs  (CommonJS, base64) - the Node glue requires it instead
//                                         of reading the .wasm from __dirname, which esbuild's
//                                         and Next.js's server bundles do not carry along;
//   dist/web/qstash_cancel_bg.wasm.js    (ESM, base64)      - the "inline" entry's bytes.
// Usage: node scripts/embed-wasm.mjs <dist folder>
import { readFileSync, writeFileSync, rmSync } from 'node:fs';

const dist = process.argv[2];
const base64 = (target) => readFileSync(`${dist}/${target}/qstash_cancel_bg.wasm`).toString('base64');
writeFileSync(`${dist}/node/qstash_cancel_bg.wasm.cjs`, `module.exports = "${base64('node')}";\n`);
writeFileSync(`${dist}/web/qstash_cancel_bg.wasm.js`, `export default "${base64('web')}";\n`);

const glue = `${dist}/node/qstash_cancel.js`;
const reading = "const wasmPath = `${__dirname}/qstash_cancel_bg.wasm`;\nconst wasmBytes = require('fs').readFileSync(wasmPath);\n";
const source = readFileSync(glue, 'utf8');
if (!source.includes(reading)) throw new Error(`${glue}: the wasm-bindgen glue no longer reads the wasm as expected`);
writeFileSync(glue, source.replace(reading, "const wasmBytes = Buffer.from(require('./qstash_cancel_bg.wasm.cjs'), 'base64');\n"));
rmSync(`${dist}/node/qstash_cancel_bg.wasm`);
