// A realistic account for the demo and the page tests: three workflows, several labels, runs
// spread over the last two days, some already finished, a few that refuse a first cancel.
const HOUR = 3_600_000;
const WORKFLOWS = [
  'https://shop.example.com/api/workflows/checkout',
  'https://shop.example.com/api/workflows/refund',
  'https://mail.example.com/api/workflows/digest',
];
const LABELS = ['nightly', 'backfill', 'adhoc'];

export function sampleRuns(now = Date.now(), count = 60) {
  return Array.from({ length: count }, (_, i) => ({
    id: `wfr_${String(i).padStart(4, '0')}`,
    workflowUrl: WORKFLOWS[i % WORKFLOWS.length],
    label: LABELS[Math.floor(i / 3) % LABELS.length],
    createdAt: now - (count - i) * HOUR,
    state: i % 9 === 4 ? 'RUN_SUCCESS' : 'RUN_STARTED',
    refusals: i % 13 === 7 ? 1 : 0,
  }));
}
