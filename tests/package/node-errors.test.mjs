// What a person sees when a Node script lets a refusal go unhandled (the usual first mistake: no
// QSTASH_TOKEN). Node prints the source line the error came from before the error itself; that
// line is in the package's Node glue, and when the glue was minified to one line it was 14 KB of
// code before the message. The glue stays readable, so the message is near the top.
import test from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const { QSTASH_TOKEN, QSTASH_URL, ...withoutToken } = process.env;
const scripts = {
  'missing-token.mjs': 'import { cancelRuns } from "qstash-cancel";\n' +
    'await cancelRuns({ token: process.env.QSTASH_TOKEN, label: "nightly" });\n',
  'missing-token.cjs': 'const { cancelRuns } = require("qstash-cancel");\n' +
    'cancelRuns({ token: process.env.QSTASH_TOKEN, label: "nightly" });\n',
};

for (const [file, source] of Object.entries(scripts)) {
  test(`an unhandled refusal in Node (${file}) shows the error within a few short lines`, async () => {
    writeFileSync(`${here}${file}`, source);
    const run = promisify(execFile)(process.execPath, [file], { cwd: here, env: withoutToken, encoding: 'utf8' });
    const { code, stderr } = await run.then(() => assert.fail('the script should fail'), (err) => err);
    assert.equal(code, 1);
    const at = stderr.indexOf('QStashCancelError: token: is required');
    assert.ok(at >= 0, stderr.slice(0, 2000));
    const before = stderr.slice(0, at);
    // Node's own frame: where it came from, the source line, a caret, a blank line.
    assert.ok(before.split('\n').length <= 5, `${before.split('\n').length} lines before the message:\n${before.slice(0, 2000)}`);
    assert.ok(before.length <= 400, `${before.length} bytes before the message:\n${before.slice(0, 2000)}`);
  });
}
