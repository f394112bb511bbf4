// Shared by the package tests. They run from a temporary app folder where the packed tarball
// was installed (scripts/test-package.sh), so `qstash-cancel` resolves exactly as for a user;
// the emulator and the dev tools are loaded from the repository (QSTASH_REPO).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export const repo = process.env.QSTASH_REPO;
if (!repo) throw new Error('QSTASH_REPO is not set: run these tests through scripts/test-package.sh');

const fromRepo = (path) => import(pathToFileURL(`${repo}/${path}`).href);
const requireFromRepo = createRequire(`${repo}/package.json`);

/** A dev dependency of the repository (miniflare, playwright-core). */
export const devDependency = (name) => import(pathToFileURL(requireFromRepo.resolve(name)).href);

export const { startEmulator } = await fromRepo('tests/emulator/server.mjs');
export const { serveStatic } = await fromRepo('www/dev/static-server.mjs');
export const { seedRuns, cancelledIds, getLog, injectFaults, freshToken, seedActions, setBulkSpeed } = await fromRepo('tests/emulator/control.mjs');
