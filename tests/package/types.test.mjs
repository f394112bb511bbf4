// The TypeScript surface, checked by tsc against the installed package.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repo } from './helpers.mjs';

test('types: tsc accepts the valid calls and rejects every @ts-expect-error line', () => {
  const project = fileURLToPath(new URL('./types/tsconfig.json', import.meta.url));
  const run = spawnSync(`${repo}/node_modules/.bin/tsc`, ['-p', project], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stdout + run.stderr);
});
