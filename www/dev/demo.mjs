// The demo: the admin page, the admin Worker in workerd, and (unless QSTASH_URL and QSTASH_TOKEN
// point at the real service) an emulated QStash account with sample runs. Ctrl-C stops it all.
import { fileURLToPath } from 'node:url';
import { createEmulator, DEV_TOKEN } from '../../tests/emulator/server.mjs';
import { seedRuns } from '../../tests/emulator/control.mjs';
import { startWorker } from './worker-host.mjs';
import { serveStatic } from './static-server.mjs';
import { sampleRuns } from './sample-runs.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const credential = process.env.ADMIN_TOKEN ?? 'demo-admin-credential';
const stops = [];

let qstash = { QSTASH_URL: process.env.QSTASH_URL, QSTASH_TOKEN: process.env.QSTASH_TOKEN };
if (!qstash.QSTASH_URL || !qstash.QSTASH_TOKEN) {
  const emulator = createEmulator();
  const url = await emulator.listen(Number(process.env.EMULATOR_PORT ?? 0));
  stops.push(() => emulator.close());
  const runs = sampleRuns();
  await seedRuns(url, DEV_TOKEN, runs);
  qstash = { QSTASH_URL: url, QSTASH_TOKEN: DEV_TOKEN };
  console.log(`Emulated QStash:   ${url} (${runs.length} sample runs; states at ${url}/__emulator/runs)`);
} else {
  console.log(`QStash:            ${qstash.QSTASH_URL} (the real service: cancels are real)`);
}

const page = await serveStatic({ '/': `${repo}www`, '/vendor/qstash-cancel/': `${repo}pkg` }, Number(process.env.PAGE_PORT ?? 0));
stops.push(() => page.close());
const worker = await startWorker({
  pkgDir: `${repo}pkg`,
  port: Number(process.env.WORKER_PORT ?? 0),
  bindings: { ...qstash, ADMIN_TOKEN: credential, ALLOWED_ORIGINS: page.url, ALLOW_CANCEL_ALL: 'true' },
});
stops.push(() => worker.close());

console.log(`Admin Worker:      ${worker.url} (workerd)`);
console.log(`Admin page:        ${page.url}/?worker=${encodeURIComponent(worker.url)}`);
console.log(`Admin credential:  ${credential}`);
console.log('Press Ctrl-C to stop.');

async function stop() {
  for (const close of stops.reverse()) await close().catch(() => {});
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
