// The demo of the main job: an emulated QStash account with realistic runs, then cancels
// through the built package exactly as a Node user would call it, printing what happened.
import { createEmulator, DEV_TOKEN } from '../tests/emulator/server.mjs';
import { seedRuns, getRuns } from '../tests/emulator/control.mjs';
import { cancelRuns, previewRequest, Client, QStashCancelError } from '../pkg/node.js';

const hour = 3_600_000;
const now = Date.now();
const runs = [];
const workflows = ['https://shop.example.com/api/workflows/checkout', 'https://shop.example.com/api/workflows/refund', 'https://mail.example.com/api/digest'];
for (let i = 0; i < 24; i++) {
  runs.push({
    id: `wfr_${String(i).padStart(3, '0')}`,
    workflowUrl: workflows[i % 3],
    label: i % 4 === 0 ? 'backfill' : 'nightly',
    createdAt: now - (24 - i) * hour,
    state: i % 7 === 3 ? 'RUN_SUCCESS' : 'RUN_STARTED',
  });
}

const emulator = createEmulator();
const baseUrl = await emulator.listen();
await seedRuns(baseUrl, DEV_TOKEN, runs);
const client = new Client({ token: DEV_TOKEN, baseUrl });

async function summary() {
  const all = await getRuns(baseUrl, DEV_TOKEN);
  const count = (state) => all.filter((r) => r.state === state).length;
  return `${count('RUN_STARTED')} active, ${count('RUN_CANCELED')} cancelled, ${count('RUN_SUCCESS')} finished`;
}

async function step(title, options) {
  console.log(`\n> ${title}`);
  console.log(`  request: ${JSON.stringify(client.previewRequest(options))}`);
  try {
    const cancelled = await client.cancelRuns(options);
    console.log(`  cancelled ${cancelled} run(s); now ${await summary()}`);
  } catch (err) {
    if (!(err instanceof QStashCancelError)) throw err;
    console.log(`  refused: [${err.code}${err.field ? ` ${err.field}` : ''}] ${err.message}`);
  }
}

console.log(`Emulated QStash at ${baseUrl} with ${runs.length} runs: ${await summary()}`);
await step('cancel the refund workflow runs labelled "nightly" from the last 12 hours', {
  workflowUrl: 'https://shop.example.com/api/workflows/refund',
  label: 'nightly',
  fromDate: new Date(now - 12 * hour),
});
await step('cancel two runs by id (a repeated id is sent once)', { workflowRunIds: ['wfr_000', 'wfr_004', 'wfr_000'] });
await step('cancel the "backfill" runs of shop.example.com in the query form', {
  workflowUrl: 'https://shop.example.com/',
  label: 'backfill',
  encoding: 'query',
});

console.log('\n> mistakes are refused before anything is sent:');
for (const options of [{}, { lable: 'nightly' }, { label: 'nightly', fromDate: 1_700_000_000 }, { workflowRunIds: [] }]) {
  try {
    previewRequest({ token: DEV_TOKEN, baseUrl, ...options });
  } catch (err) {
    console.log(`  ${JSON.stringify(options).padEnd(44)} -> [${err.code} ${err.field}] ${err.message}`);
  }
}

await step('cancel everything that is left (all: true, said in so many words)', { all: true });
client.free();
await emulator.close();
