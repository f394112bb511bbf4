// The TypeScript surface, checked by tsc against the installed package.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repo } from './helpers.mjs';

// With each module resolution a project may use: nodenext (the tsconfig's own), node16, and the
// bundler resolution of Vite-style projects (ESM check only: .cts files are not for bundlers).
for (const [resolution, module, files] of [['nodenext', 'nodenext', []], ['node16', 'node16', []], ['bundler', 'esnext', ['check.ts']]]) {
  test(`types (${resolution} resolution): tsc accepts the valid calls and rejects every @ts-expect-error line`, () => {
    const project = fileURLToPath(new URL('./types/tsconfig.json', import.meta.url));
    const args = ['-p', project, '--module', module, '--moduleResolution', resolution];
    const run = files.length === 0
      ? spawnSync(`${repo}/node_modules/.bin/tsc`, args, { encoding: 'utf8' })
      : spawnSync(`${repo}/node_modules/.bin/tsc`, [...args.slice(2), '--strict', '--noEmit', '--target', 'es2022', '--lib', 'es2022,dom',
        '--types', '', ...files.map((f) => fileURLToPath(new URL(`./types/${f}`, import.meta.url)))], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });
}
