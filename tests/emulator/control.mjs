// Helpers for tests: drive the emulator's control API.
export { DEV_TOKEN } from './server.mjs';

async function call(base, method, route, token, body) {
  const res = await fetch(`${base}/__emulator/${route}?token=${encodeURIComponent(token)}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`emulator ${method} ${route}: ${res.status} ${await res.text()}`);
  return res.json();
}

export const seedRuns = (base, token, runs) => call(base, 'POST', 'runs', token, runs);
export const getRuns = (base, token) => call(base, 'GET', 'runs', token);
export const getLog = (base, token) => call(base, 'GET', 'log', token);
export const injectFaults = (base, token, faults) => call(base, 'POST', 'faults', token, faults);
export const seedActions = (base, token, actions) => call(base, 'POST', 'bulk-actions', token, actions);
export const setBulkSpeed = (base, token, speed) => call(base, 'POST', 'bulk-speed', token, speed);

/// The ids of the runs the emulator has cancelled, sorted.
export async function cancelledIds(base, token) {
  return (await getRuns(base, token))
    .filter((run) => run.state === 'RUN_CANCELED')
    .map((run) => run.id)
    .sort();
}

/// A fresh account for one test: no other test can touch its runs.
export function freshToken(name) {
  return `test-${name.replace(/[^A-Za-z0-9]/g, '-')}-${Math.random().toString(36).slice(2, 10)}`;
}
