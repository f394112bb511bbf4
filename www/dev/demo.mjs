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
const emulated = !qstash.QSTASH_URL || !qstash.QSTASH_TOKEN;
if (emulated) {
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
// What a newcomer does next: the command line and a script against the same Worker, the way the
// page talks to it (the Worker's URL as the service, its credential as the token).
const script = 'import { cancelRuns } from "./pkg/node.js"; ' +
  'console.log(await cancelRuns({ token: process.env.QSTASH_TOKEN, baseUrl: process.env.QSTASH_URL, label: "backfill" }))';
const connect = `export QSTASH_URL=${worker.url} QSTASH_TOKEN=${shellQuote(credential)}`;
// Sample cancels only for the emulated account: against the real service they would be real.
console.log(emulated ? `
The command line and a Node script against the Worker: paste into another terminal.
  cd ${shellQuote(repo.replace(/\/$/, ''))}
  ${connect}
  node pkg/bin/qstash-cancel.js --label nightly --dry-run
  node pkg/bin/qstash-cancel.js --label nightly
  node --input-type=module -e ${shellQuote(script)}
` : `
The command line and scripts reach the service through the Worker with:
  ${connect}
`);
console.log('Press Ctrl-C to stop.');

/** `value` as one word for a POSIX shell, quoted only when it needs to be. */
function shellQuote(value) {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

async function stop() {
  for (const close of stops.reverse()) await close().catch(() => {});
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
