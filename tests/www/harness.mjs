// Brings up what the page and Worker tests drive: the emulator, the admin Worker in workerd,
// and the page's static server, like the demo does, with the package built in pkg/.
import { fileURLToPath } from 'node:url';
export { startEmulator } from '../emulator/server.mjs';
import { startWorker } from '../../www/dev/worker-host.mjs';
import { serveStatic } from '../../www/dev/static-server.mjs';

export const repo = fileURLToPath(new URL('../../', import.meta.url));
export const ADMIN = 'test-admin-credential';

/** The Worker forwarding to `emulatorUrl` as `token`; a binding given as `undefined` is left out. */
export function startAdminWorker(emulatorUrl, token, bindings = {}) {
  const all = { ADMIN_TOKEN: ADMIN, QSTASH_TOKEN: token, QSTASH_URL: emulatorUrl, ALLOWED_ORIGINS: '*', ALLOW_CANCEL_ALL: 'true', ...bindings };
  return startWorker({
    pkgDir: `${repo}pkg`,
    bindings: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)),
  });
}

export function servePage() {
  return serveStatic({ '/': `${repo}www`, '/vendor/qstash-cancel/': `${repo}pkg` });
}

/** DELETE to the Worker as a raw client would, with the admin credential unless told otherwise. */
export async function callWorker(workerUrl, { query = '', body, auth = `Bearer ${ADMIN}`, method = 'DELETE', origin, headers: extra = {} } = {}) {
  const headers = { ...extra };
  if (auth) headers.authorization = auth;
  if (origin) headers.origin = origin;
  const res = await fetch(`${workerUrl}/v2/workflows/runs${query}`, { method, headers, body });
  return { status: res.status, headers: res.headers, json: await res.json().catch(() => null) };
}
