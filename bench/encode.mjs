// Encoding cost in wasm (Node): previewRequest with 10, 1,000 and 100,000 ids in both encodings
// checks the options, splits the list and builds every request (sending nothing); beside it the
// cost of only handing the same JS array to the wasm (a no-op validation error), so the
// conversion across the boundary is seen apart from the work.
import { performance } from 'node:perf_hooks';
import { previewRequest } from '../pkg/node.js';
import { fmt, stats } from './lib.mjs';

export function encode() {
  const rows = [];
  for (const n of [10, 1_000, 100_000]) {
    const ids = Array.from({ length: n }, (_, i) => `wfr_${String(i).padStart(8, '0')}`);
    for (const encoding of ['body', 'query']) {
      const repeats = n === 100_000 ? 15 : 200;
      const times = [];
      let requests = 0;
      for (let i = 0; i < repeats + 3; i++) {
        const t0 = performance.now();
        requests = previewRequest({ token: 'bench', workflowRunIds: ids, encoding }).requests;
        if (i >= 3) times.push(performance.now() - t0);
      }
      rows.push({ ...stats(times), n, encoding, requests });
    }
  }
  return rows;
}

export function encodeTable(rows) {
  const lines = ['| ids | encoding | requests | median ms (wasm, Node) |', '|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${fmt(r.n)} | ${r.encoding} | ${fmt(r.requests)} | ${fmt(r.p50, 3)} |`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(encodeTable(encode()));
