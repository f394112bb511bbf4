// Runs the admin Worker (www/worker/worker.js) in workerd through Miniflare, with the
// qstash-cancel package taken from `pkgDir` (the repository's pkg/ or an installed tarball).
// The bare import "qstash-cancel" is given the package's workerd entry, which is what wrangler
// resolves through the package's "workerd" export condition.
import { readdirSync, readFileSync } from 'node:fs';
import { Miniflare } from 'miniflare';

export const root = '/worker';
const workerSource = new URL('../worker/worker.js', import.meta.url);
/** The admin Worker's modules beside worker.js (the credential check and the body reader it shares with the Queue example). */
const shared = ['credential.js', 'body.js'];

/** Miniflare modules: `workerSource` as worker.js, importing "qstash-cancel" from `pkgDir`. */
export function workerModules(workerSource, pkgDir) {
  const pkgFile = (path) => readFileSync(`${pkgDir}/${path}`);
  return [
    { type: 'ESModule', path: `${root}/worker.js`, contents: workerSource },
    ...shared.map((name) => ({ type: 'ESModule', path: `${root}/${name}`, contents: readFileSync(new URL(`../worker/${name}`, import.meta.url), 'utf8') })),
    { type: 'ESModule', path: `${root}/qstash-cancel`, contents: pkgFile('workerd.js').toString() },
    { type: 'ESModule', path: `${root}/dist/web/qstash_cancel.js`, contents: pkgFile('dist/web/qstash_cancel.js').toString() },
    { type: 'CompiledWasm', path: `${root}/dist/web/qstash_cancel_bg.wasm`, contents: pkgFile('dist/web/qstash_cancel_bg.wasm') },
    // The package's own modules beside the glue (the error class, the Client), whatever they are.
    ...readdirSync(`${pkgDir}/lib`).filter((name) => name.endsWith('.js')).map((name) => (
      { type: 'ESModule', path: `${root}/lib/${name}`, contents: pkgFile(`lib/${name}`).toString() })),
  ];
}

export async function startWorker({ pkgDir, bindings, port = 0 }) {
  const mf = new Miniflare({
    modules: workerModules(readFileSync(workerSource, 'utf8'), pkgDir),
    modulesRoot: root,
    compatibilityDate: '2025-01-01',
    bindings,
    host: '127.0.0.1',
    port,
  });
  const url = (await mf.ready).toString().replace(/\/$/, '');
  return { url, mf, close: () => mf.dispose() };
}
