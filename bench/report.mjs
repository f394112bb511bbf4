// Runs every benchmark in one process (memory in its own) and prints the Markdown report that
// bench/RESULTS.md and the README's "Performance" section hold.
import { execFileSync } from 'node:child_process';
import { machine } from './lib.mjs';
import { sizes, sizeTable } from './size.mjs';
import { overhead, overheadTable } from './overhead.mjs';
import { encode, encodeTable } from './encode.mjs';
import { coldStart, coldStartTable } from './coldstart.mjs';

const here = new URL('.', import.meta.url).pathname;
const native = execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'encode_bench'], { cwd: `${here}..`, encoding: 'utf8' });
const memory = JSON.parse(execFileSync(process.execPath, [`${here}memory.mjs`], { encoding: 'utf8' }));

console.log(`Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, by \`./bench/run.sh\`.

### Size
${sizeTable(await sizes())}

### Per-call overhead (Node, local keep-alive server)
${overheadTable(await overhead())}

### Encoding cost
${native.trim()}

${encodeTable(encode())}

100,000-id cancel against the emulator (Node): ${memory.cancelled.toLocaleString('en')} runs cancelled in ${memory.seconds.toFixed(2)} s;
peak RSS ${memory.after.maxRssMb} MB, of which ${memory.growthMb} MB above the ${memory.before.maxRssMb} MB the process had before the call.

### Cold start in workerd (fresh Miniflare instance to first answer)
${coldStartTable(await coldStart())}`);
