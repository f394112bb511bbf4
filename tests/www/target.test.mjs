// GET /admin/target on the admin Worker in workerd: which QStash origin and account (by the
// token's fingerprint) the proxy cancels on, behind the admin credential, never the token.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, startAdminWorker, startEmulator } from './harness.mjs';
import { freshToken, getLog, seedRuns } from '../emulator/control.mjs';
import { leakIn } from '../package/scenarios.mjs';
import { tokenFingerprint } from '../../pkg/node.js';

let emulator;
test.before(async () => (emulator = await startEmulator()));
test.after(() => emulator.close());

/** GET /admin/target as a raw client would. */
async function target(url, { auth = `Bearer ${ADMIN}`, method = 'GET', origin } = {}) {
  const headers = {};
  if (auth) headers.authorization = auth;
  if (origin) headers.origin = origin;
  const res = await fetch(`${url}/admin/target`, { method, headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A Worker with `bindings` over `token`; closed after `fn`. */
async function withWorker(token, bindings, fn) {
  if (token) await seedRuns(emulator.url, token, []);
  const worker = await startAdminWorker(emulator.url, token, bindings);
  try {
    await fn(worker.url);
  } finally {
    await worker.close();
  }
}

test('answers the QStash origin and the token fingerprint, and nothing of the token', async () => {
  // Shaped like the service's tokens (base64), so echoes of it differ in every encoded form.
  const token = `${freshToken('target')}/+Zm9v=`;
  await withWorker(token, { ALLOWED_ORIGINS: 'https://admin.example.com' }, async (url) => {
    const res = await target(url, { origin: 'https://admin.example.com' });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.text), { baseUrl: new URL(emulator.url).origin, tokenFingerprint: await tokenFingerprint(token) });
    assert.match(JSON.parse(res.text).tokenFingerprint, /^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://admin.example.com', 'a page on an allowed origin can read it');
    const headers = [...res.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
    assert.equal(leakIn(`${res.text}\n${headers}`, token), undefined, 'no 12-character piece of the token, in any encoding');
    assert.equal((await getLog(emulator.url, token)).length, 0, 'nothing was sent to the service');
  });
});

test('refuses without the admin credential, from another origin, and to any method but GET', async () => {
  const token = freshToken('target-refused');
  await withWorker(token, { ALLOWED_ORIGINS: 'https://admin.example.com' }, async (url) => {
    for (const auth of ['', 'Bearer', `Bearer ${ADMIN}x`, `Bearer ${ADMIN.slice(0, -1)}`, ADMIN]) {
      const res = await target(url, { auth });
      assert.deepEqual([res.status, JSON.parse(res.text)], [401, { error: 'the admin credential was refused' }], auth);
    }
    let res = await target(url, { origin: 'https://evil.example.com' });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    res = await target(url, { method: 'DELETE' });
    assert.deepEqual([res.status, JSON.parse(res.text)], [405, { error: 'use GET' }]);
    for (const { text, headers } of [res, await target(url, { auth: '' })]) {
      assert.doesNotMatch(text, /fingerprint|baseUrl/);
      assert.equal(leakIn(text + [...headers].join('\n'), token), undefined);
    }
  });
});

test('with QSTASH_REGION, the region\'s token and URL are the ones named', async () => {
  const token = freshToken('target-region');
  const other = freshToken('target-unused');
  await withWorker(other, { QSTASH_URL: undefined, QSTASH_REGION: 'US_EAST_1', US_EAST_1_QSTASH_TOKEN: token, US_EAST_1_QSTASH_URL: emulator.url }, async (url) => {
    const res = await target(url);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.text), { baseUrl: new URL(emulator.url).origin, tokenFingerprint: await tokenFingerprint(token) });
    assert.notEqual(JSON.parse(res.text).tokenFingerprint, await tokenFingerprint(other));
  });
});

test('a proxy without a usable QStash token says it is misconfigured, not a fingerprint', async () => {
  await withWorker(undefined, {}, async (url) => {
    const res = await target(url);
    assert.equal(res.status, 500);
    assert.match(JSON.parse(res.text).error, /^the proxy is misconfigured: QSTASH_TOKEN/);
  });
});
