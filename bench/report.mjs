// Runs every benchmark in one process (memory in its own) and prints the Markdown report that
// bench/RESULTS.md and docs/performance.md hold.
import { execFileSync } from 'node:child_process';
import { machine } from './lib.mjs';
import { sizes, sizeTable } from './size.mjs';
import { overhead, overheadTable } from './overhead.mjs';
import { encode, encodeTable } from './encode.mjs';
import { coldStart, coldStartTable } from './coldstart.mjs';
import { bigCall, bigCallTable } from './big-call.mjs';
import { workerCpu, workerCpuTable } from './worker-cpu.mjs';

const here = new URL('.', import.meta.url).pathname;
const native = execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'encode_bench'], { cwd: `${here}..`, encoding: 'utf8' });
// Each memory figure in a fresh process: wasm memory, once grown, stays with its instance.
const measure = (script, args, flags = []) => JSON.parse(execFileSync(process.execPath, [...flags, `${here}${script}`, ...args], { encoding: 'utf8' }).trim().split('\n').at(-1));
const memory = ['body', 'query'].flatMap((encoding) => [
  ['Node', measure('memory.mjs', [encoding], ['--expose-gc']), measure('memory.mjs', [encoding, '', 'raw'], ['--expose-gc'])],
  ['workerd', measure('memory-workerd.mjs', [encoding]), measure('memory-workerd.mjs', [encoding, 'raw'])],
]);

console.log(`Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, by \`./bench/run.sh\`.

### Size
${sizeTable(await sizes())}

### Per-call overhead (Node, local keep-alive server)
${overheadTable(await overhead())}

### Per call, the clients taking turns (sequential one-id cancels, query form)
${execFileSync(process.execPath, [`${here}interleaved.mjs`], { encoding: 'utf8' }).trim()}

### Where a stubbed call's time goes (the wasm's steps are named in a \`KEEP_NAMES=1\` build)
${execFileSync(process.execPath, [`${here}per-step.mjs`, `${here}../pkg`], { encoding: 'utf8' }).trim()}

### Encoding cost
${native.trim()}

${encodeTable(encode())}

### Time of a 1,000,000-id cancel against raw fetch (ids of 30 characters, 4 requests in flight, loopback server)
${bigCallTable(await bigCall([`${here}../pkg`]))}

### Memory of a 1,000,000-id cancel (ids of 30 characters, 8 requests in flight)
${memoryTable(memory)}

### Cold start in workerd (fresh Miniflare instance to first answer)
${coldStartTable(await coldStart())}

### CPU time a cancel costs in workerd
${workerCpuTable(await workerCpu())}`);

/** Peak resident-memory growth of the call, against raw fetch sending the same requests. */
function memoryTable(rows) {
  const lines = [
    '| runtime | encoding | requests | qstash-cancel growth | raw fetch growth | ratio | qstash-cancel s |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const [runtime, ours, raw] of rows) {
    if (ours.cancelled !== 1_000_000 || raw.cancelled !== 1_000_000) throw new Error(`not every run cancelled: ${JSON.stringify([ours, raw])}`);
    lines.push(`| ${runtime} | ${ours.encoding} | ${ours.requests.toLocaleString('en')} | ${ours.growthMb} MB | ${raw.growthMb} MB | ${(ours.growthMb / raw.growthMb).toFixed(2)}x | ${ours.seconds.toFixed(2)} |`);
  }
  lines.push('', 'Growth is peak resident memory during the call above a settled baseline (Node: the ids made and garbage collected first; workerd: the Worker warmed by a 1,000-id cancel), sampled every 2 ms (Node) or 5 ms (workerd process, from /proc). Raw fetch is the same requests built in plain JS; most of its growth is garbage the engine has not collected yet.');
  return lines.join('\n');
}
