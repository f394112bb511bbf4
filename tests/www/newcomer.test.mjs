// A newcomer's first minutes, as the README tells them: `./scripts/demo.sh`, then the lines the
// demo prints pasted into another terminal (the command line and a Node script against the
// admin Worker), then Ctrl-C. Checked against what the emulated account really cancelled. Also
// the emulator run alone, whose printed token is what a client run by hand connects with.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { once } from 'node:events';
import { repo } from './harness.mjs';
import { getRuns, DEV_TOKEN } from '../emulator/control.mjs';
import { sampleRuns } from '../../www/dev/sample-runs.mjs';

const readme = readFileSync(`${repo}README.md`, 'utf8');

/**
 * Starts `command` in its own process group; resolves once stdout matches `ready`, rejects if it
 * exits first or `ready` has not come within `waitMs` (then it is stopped).
 */
async function start(command, args, ready, waitMs) {
  const child = spawn(command, args, { cwd: repo, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk) => (err += chunk));
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (ready.test(out)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`${command} exited (${code}) before it was ready:\n${out}\n${err.slice(-3000)}`)));
    setTimeout(() => {
      process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`${command} was not ready after ${waitMs} ms:\n${out}\n${err.slice(-3000)}`));
    }, waitMs).unref();
  });
  return { child, output: () => out };
}

/** Ctrl-C, as a terminal sends it: SIGINT to the whole process group. */
async function interrupt(child) {
  const exited = once(child, 'exit');
  process.kill(-child.pid, 'SIGINT');
  const [code, signal] = await exited;
  return { code, signal };
}

/** Runs `lines` as one bash session would, with `stdin` typed in. */
function paste(lines, stdin) {
  return new Promise((resolve, reject) => {
    const { QSTASH_URL, QSTASH_TOKEN, ...env } = process.env; // a fresh terminal
    const child = execFile('bash', ['-e', '-c', lines.join('\n')], { cwd: '/', env, encoding: 'utf8' }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve({ stdout, stderr }));
    child.stdin.end(stdin);
  });
}

test('the demo as the README starts it, then the command line and a Node script as it prints them', { timeout: 15 * 60_000 }, async () => {
  assert.match(readme, /^\.\/scripts\/demo\.sh +# /m, 'the README starts the demo with ./scripts/demo.sh');
  const demo = await start('./scripts/demo.sh', [], /Press Ctrl-C to stop\.\n/, 14 * 60_000);
  try {
    const out = demo.output();
    const emulatorUrl = /^Emulated QStash: +(\S+)/m.exec(out)[1];
    const workerUrl = /^Admin Worker: +(\S+)/m.exec(out)[1];
    assert.match(out, /^Admin credential: +demo-admin-credential$/m);
    const [, block] = /paste into another terminal\.\n((?: {2}.*\n)+)/.exec(out) ?? [];
    assert.ok(block, out);
    const lines = block.trimEnd().split('\n').map((line) => line.trim());

    // The README shows the lines the demo prints (with PORT for the Worker's port).
    const [, shown] = /lines to paste[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme) ?? [];
    assert.ok(shown, 'the README shows the demo\'s lines to paste');
    for (const line of shown.trim().split('\n')) {
      assert.ok(lines.includes(line.replace(':PORT', `:${new URL(workerUrl).port}`)), `the demo prints: ${line}\n${block}`);
    }

    const before = await getRuns(emulatorUrl, DEV_TOKEN);
    const { stdout } = await paste(lines, 'y\n');
    // The dry run sent nothing; the CLI cancelled every active nightly run (the question
    // answered yes); the script cancelled every active backfill run and printed how many.
    assert.match(stdout, /Dry run: nothing was sent/);
    const active = (label) => before.filter((run) => run.label === label && run.state === 'RUN_STARTED').map((run) => run.id);
    assert.equal(active('nightly').length > 0 && active('backfill').length > 0, true);
    // Counted in words, as the CLI writes them since "run(s)" went: "Cancelled 21 runs (3 requests, ...".
    assert.match(stdout, new RegExp(`\\nCancelled ${active('nightly').length} runs? \\(\\d+ requests?, `));
    assert.equal(stdout.trimEnd().split('\n').at(-1), String(active('backfill').length));
    const after = await getRuns(emulatorUrl, DEV_TOKEN);
    const cancelled = after.filter((run) => run.state === 'RUN_CANCELED').map((run) => run.id).sort();
    assert.deepEqual(cancelled, [...active('nightly'), ...active('backfill')].sort());
    assert.equal(sampleRuns().length, after.length);
  } finally {
    const { code, signal } = await interrupt(demo.child);
    // 130 is the exit status of a process stopped by Ctrl-C (128 + SIGINT).
    assert.ok([0, 130].includes(code) || signal === 'SIGINT', `the demo stops on Ctrl-C (${code}, ${signal})`);
  }
});

test('the emulator run alone prints its URL and the token a client connects with', async () => {
  const emulator = await start(process.execPath, ['tests/emulator/server.mjs'], /^QSTASH_EMULATOR_TOKEN=.+\n/m, 10_000);
  try {
    const url = /^QSTASH_EMULATOR_URL=(\S+)$/m.exec(emulator.output())[1];
    const token = /^QSTASH_EMULATOR_TOKEN=(\S+)$/m.exec(emulator.output())[1];
    // The command line with that connection reads the account's bulk actions: none yet.
    const run = (env) => promisify(execFile)(process.execPath, [`${repo}pkg/bin/qstash-cancel.js`, 'actions', '--json'], {
      env: { PATH: process.env.PATH, QSTASH_URL: url, ...env }, encoding: 'utf8',
    });
    const { stdout } = await run({ QSTASH_TOKEN: token });
    assert.equal(JSON.parse(stdout).ok, true, stdout);
    // Another token opens no account: the printed one is the one that matters.
    const refused = await run({ QSTASH_TOKEN: 'not-the-emulator-token' }).then(() => null, (err) => err);
    assert.equal(refused?.code, 4, 'UNAUTHORIZED');
  } finally {
    await interrupt(emulator.child);
  }
});

test('the README reads in five minutes: at most 1,150 words at 230 a minute, the reference in docs/', () => {
  const words = readme.split(/\s+/).filter(Boolean).length;
  assert.ok(words <= 5 * 230, `the README has ${words} words: ${(words / 230).toFixed(1)} minutes of reading`);
});
