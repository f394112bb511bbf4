// The admin proxy: a module Worker that holds the QStash token and exposes the same endpoint as
// the service (DELETE /v2/workflows/runs, JSON body or query parameters), so the admin page can
// call `cancelRuns` with `baseUrl` pointing here and never see the token.
//
// Bindings: ADMIN_TOKEN (secret: the credential callers send as "Bearer ..."), QSTASH_TOKEN
// (secret) and optionally QSTASH_URL / QSTASH_REGION (see Client.fromEnv), ALLOWED_ORIGINS
// (comma-separated origins allowed to call from a browser, or "*"), WORKFLOW_URL_PREFIXES
// (comma-separated allow-list: filter cancels must name a workflowUrl under one of them),
// ALLOW_CANCEL_ALL ("true" to allow cancelling every run), ASSETS (optional: serves the page).
import { Client, QStashCancelError } from 'qstash-cancel';

const ENDPOINT = '/v2/workflows/runs';
const MULTI = ['workflowUrl', 'label', 'callerIp', 'flowControlKey'];
const BODY_FIELDS = ['workflowRunIds', 'workflowUrl', 'label', 'fromDate', 'toDate'];
const EXPOSED = ['retry-after', 'burst-ratelimit-limit', 'burst-ratelimit-remaining', 'burst-ratelimit-reset'];

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const cors = corsHeaders(request, env);
    if (request.method === 'OPTIONS') return new Response(null, { status: cors ? 204 : 403, headers: cors ?? {} });
    if (!url.pathname.endsWith(ENDPOINT)) {
      if (env.ASSETS && request.method === 'GET') return env.ASSETS.fetch(request);
      return refuse(404, 'not found', cors);
    }
    if (request.method !== 'DELETE') return refuse(405, 'use DELETE', cors);
    if (!env.ADMIN_TOKEN) return refuse(500, 'the proxy has no ADMIN_TOKEN configured', cors);
    if (!(await sameSecret(request.headers.get('authorization') ?? '', `Bearer ${env.ADMIN_TOKEN}`))) {
      return refuse(401, 'the admin credential was refused', cors);
    }
    let options;
    try {
      options = await readTarget(url, request);
      guard(options, env);
    } catch (err) {
      if (err instanceof Refusal) return refuse(err.status, err.message, cors);
      throw err;
    }
    let client;
    try {
      client = Client.fromEnv(env);
    } catch (err) {
      return refuse(500, `the proxy is misconfigured: ${err.message}`, cors);
    }
    try {
      // One attempt: the caller's own cancelRuns retries, waiting for the 429s passed back.
      const cancelled = await client.cancelRuns({ ...options, retry: false });
      return Response.json({ cancelled }, { headers: cors ?? {} });
    } catch (err) {
      if (!(err instanceof QStashCancelError)) throw err;
      return upstreamError(err, cors);
    }
  },
};

class Refusal extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The cancel the caller asked for, in either of the service's encodings. */
async function readTarget(url, request) {
  const params = url.searchParams;
  if ([...params.keys()].length > 0) {
    const options = { encoding: 'query' };
    for (const [key, value] of params) {
      const values = value.split(',');
      if (key === 'workflowRunIds' || MULTI.includes(key)) options[key] = [...(options[key] ?? []), ...values];
      else if (['fromDate', 'toDate', 'count'].includes(key)) options[key] = Number(value);
      else if (key === 'workflowUrlExactMatch') options[key] = value === 'true';
      else throw new Refusal(400, `unknown query parameter ${key}`);
    }
    return Object.keys(options).length === 1 ? { all: true } : options;
  }
  const text = await request.text();
  if (text.trim() === '' || text.trim() === '{}') return { all: true };
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Refusal(400, 'the request body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Refusal(400, 'the request body must be a JSON object');
  // Stricter than the service, which ignores unknown fields (and would then cancel more).
  const unknown = Object.keys(body).filter((key) => !BODY_FIELDS.includes(key));
  if (unknown.length > 0) throw new Refusal(400, `unknown field ${unknown[0]} in the request body`);
  return body;
}

/** The proxy's own rules, from its bindings. */
function guard(options, env) {
  if (options.all && env.ALLOW_CANCEL_ALL !== 'true') {
    throw new Refusal(403, 'cancelling every run is disabled on this proxy (set ALLOW_CANCEL_ALL to "true")');
  }
  const prefixes = (env.WORKFLOW_URL_PREFIXES ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  if (prefixes.length === 0 || options.workflowRunIds) return;
  if (options.all) throw new Refusal(403, 'this proxy only cancels runs of allowed workflow URLs, not every run');
  const urls = [options.workflowUrl ?? []].flat();
  if (urls.length === 0) throw new Refusal(403, `this proxy requires a workflowUrl under ${prefixes.join(' or ')}`);
  const outside = urls.find((u) => !prefixes.some((prefix) => u.startsWith(prefix)));
  if (outside !== undefined) throw new Refusal(403, `workflowUrl ${outside} is outside the allowed prefixes (${prefixes.join(', ')})`);
}

/** Compares two secrets in constant time (over their SHA-256 digests, so lengths leak nothing). */
async function sameSecret(given, expected) {
  const digest = async (s) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

function corsHeaders(request, env) {
  const origin = request.headers.get('origin');
  if (!origin) return {};
  const allowed = (env.ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim());
  if (!allowed.includes('*') && !allowed.includes(origin)) return undefined;
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'DELETE, OPTIONS',
    'access-control-allow-headers': 'authorization, content-type',
    'access-control-expose-headers': EXPOSED.join(', '),
    'access-control-max-age': '600',
    vary: 'origin',
  };
}

/** Answers in the service's error shape. */
function refuse(status, message, cors, headers = {}) {
  return Response.json({ error: message }, { status, headers: { ...(cors ?? {}), ...headers } });
}

/** Maps a failure of the forwarded call to what the caller should see. */
function upstreamError(err, cors) {
  switch (err.code) {
    case 'INVALID_OPTIONS':
      return refuse(400, err.message, cors);
    case 'UNAUTHORIZED':
      return refuse(502, 'the proxy\'s QStash token was refused by the service', cors);
    case 'RATE_LIMITED': {
      const limit = err.rateLimit ?? {};
      const headers = {};
      if (limit.retryAfter != null) headers['retry-after'] = String(limit.retryAfter);
      if (limit.reset != null) headers['burst-ratelimit-reset'] = String(limit.reset);
      return refuse(429, err.serverMessage || 'rate limited by the service', cors, headers);
    }
    case 'HTTP_ERROR':
      return refuse(err.status >= 400 && err.status < 500 ? err.status : 502, err.serverMessage || err.message, cors);
    case 'TIMEOUT':
      return refuse(504, err.message, cors);
    default:
      return refuse(502, err.message, cors);
  }
}
