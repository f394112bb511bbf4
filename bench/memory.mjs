// Peak memory of a 100,000-id cancel against the emulator (run in its own process by run.sh;
// the emulator runs in a child process so it is not counted). Prints JSON.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const emulator = spawn(process.execPath, [new URL('../tests/emulator/server.mjs', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = await once(emulator.stdout, 'data');
const url = String(line).trim().split('=')[1];
const ids = Array.from({ length: 100_000 }, (_, i) => `wfr_${String(i).padStart(8, '0')}`);
const { seedRuns } = await import('../tests/emulator/control.mjs');
await seedRuns(url, 'bench-memory', ids.map((id) => ({ id, workflowUrl: 'https://app.test/wf' })));

const { cancelRuns } = await import('../pkg/node.js');
const mb = (kb) => Math.round(kb / 102.4) / 10;
const before = { maxRssMb: mb(process.resourceUsage().maxRSS), rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) };
const started = performance.now();
const cancelled = await cancelRuns({ token: 'bench-memory', baseUrl: url, workflowRunIds: ids });
const seconds = (performance.now() - started) / 1000;
const after = { maxRssMb: mb(process.resourceUsage().maxRSS) };
emulator.kill();
console.log(JSON.stringify({ cancelled, seconds, before, after, growthMb: Math.round((after.maxRssMb - before.maxRssMb) * 10) / 10 }));
