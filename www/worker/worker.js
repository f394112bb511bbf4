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
import { readBody } from './body.js';
import { credentialRefusal } from './credential.js';

const ENDPOINT = '/v2/workflows/runs';
/** The service's bulk-action reads, proxied as they are: GET BULK and GET BULK/{actionId}. */
const BULK = '/v2/workflows/bulkActions';
/** Where the page asks which QStash origin and account (by token fingerprint) this proxy cancels on. */
const TARGET = '/admin/target';
/** The header that alone makes a request mean "cancel every run" (the library sends it with all: true). */
const CANCEL_ALL = 'cancel-all-runs';
const MULTI = ['workflowRunIds', 'workflowUrl', 'label', 'callerIp', 'flowControlKey', 'host', 'path'];
const NUMBERS = ['fromDate', 'toDate', 'count'];
const BODY_FIELDS = ['workflowRunIds', 'workflowUrl', 'label', 'fromDate', 'toDate'];
/** Keys that only shape a cancel; every other key names what to cancel. */
const NOT_TARGETS = ['encoding', 'count', 'async'];
/**
 * The largest request body read: the library sends at most 64 KB a request, and a bigger body of
 * ids would fan out into more requests to the service than one call should send.
 */
const MAX_BODY_BYTES = 64 * 1024;
/** How long the body may take to arrive: the library's 64 KB take well under a second. */
const BODY_DEADLINE_MS = 10_000;
/** The answer headers the library reads (READ_HEADERS in src/wire/response.rs), so a page behind the proxy can read them too. */
const EXPOSED = ['retry-after', 'burst-ratelimit-limit', 'burst-ratelimit-remaining', 'burst-ratelimit-reset',
  'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'];

export default {
  async fetch(request, env) {
    try {
      return await handle(request, env);
    } catch {
      // Nothing of an unexpected failure is shown: it could hold anything.
      return refuse(500, 'the proxy failed unexpectedly', safeCors(request, env));
    }
  },
};

async function handle(request, env) {
  const url = new URL(request.url);
  const cors = corsHeaders(request, env);
  if (request.method === 'OPTIONS') return new Response(null, { status: cors ? 204 : 403, headers: cors ?? {} });
  // Exactly the documented paths: "/anything/v2/workflows/runs" is not the endpoint.
  const read = url.pathname === BULK || url.pathname.startsWith(`${BULK}/`) || url.pathname === TARGET;
  if (url.pathname !== ENDPOINT && !read) {
    if (env.ASSETS && request.method === 'GET') return env.ASSETS.fetch(request);
    return refuse(404, 'not found', cors);
  }
  if (request.method !== (read ? 'GET' : 'DELETE')) return refuse(405, read ? 'use GET' : 'use DELETE', cors);
  // A browser never sends this DELETE from another origin (its preflight gets no CORS answer),
  // so a disallowed Origin here is a client that chose to send one: refused before anything
  // else, rather than carried out with only the CORS headers left off. Callers without an
  // Origin (servers, curl) are not affected.
  if (cors === undefined) return refuse(403, 'requests from this origin are not allowed (ALLOWED_ORIGINS)', cors);
  const refusal = await credentialRefusal(request, env);
  if (refusal) return refuse(refusal.status, refusal.error, cors);
  let client;
  try {
    client = Client.fromEnv(env);
  } catch (err) {
    return refuse(500, `the proxy is misconfigured: ${err.message}`, cors);
  }
  if (url.pathname === TARGET) return describeTarget(client, cors);
  if (read) return readBulkActions(url, client, cors);
  let options, received;
  try {
    ({ encoding: received, ...options } = await readTarget(url, request));
    // Forwarded in the query form only, whatever form came in: on the hop to the service there
    // is then no body to lose (a lost body means "cancel every run" there). One request, one
    // attempt: the caller's own cancelRuns repeats passes and retries, waiting for the 429s
    // passed back, and keeps its count across them.
    options = { ...options, encoding: 'query', retry: false, ...(options.async ? {} : { untilDone: false }) };
    // The library's own checks first, so the guard rails below see well-formed values.
    client.previewRequest(options);
    guard(options, env);
  } catch (err) {
    if (err instanceof Refusal) return refuse(err.status, err.message, cors);
    if (err instanceof QStashCancelError) {
      const form = received === 'body' ? 'the proxy forwards every cancel in the query form; ' : '';
      return refuse(400, `${form}${err.message}`, cors);
    }
    throw err;
  }
  try {
    // A count, or (async) the id of the bulk action the service started.
    const result = await client.cancelRuns(options);
    return Response.json(typeof result === 'number' ? { cancelled: result } : result, { headers: cors ?? {} });
  } catch (err) {
    if (!(err instanceof QStashCancelError)) throw err;
    // Ids the caller sent in one body can take the proxy several requests (the query form's URLs
    // are shorter): when some were carried out, the call's status must not say "not done" (a 503
    // for the one that failed did), so it is a 502, which the caller's library counts as sent
    // without a confirmed answer.
    if (err.cancelled > 0) {
      return refuse(502, `the service failed part-way (${err.code}${err.status ? `, HTTP ${err.status}` : ''}) after ${err.cancelled} runs were cancelled by the proxy's other requests for this call`, cors);
    }
    return upstreamError(err, cors);
  }
}

/**
 * The bulk-action reads, one attempt each (the caller's library retries), with the same
 * authentication as cancels; the guard rails do not apply: reading changes nothing. The action id
 * and the query are checked by the library before anything is sent.
 */
async function readBulkActions(url, client, cors) {
  let call;
  try {
    if (url.pathname === BULK) {
      const options = { retry: false };
      for (const [key, value] of url.searchParams) {
        if (!['state', 'cursor', 'count'].includes(key)) throw new Refusal(400, `unknown query parameter ${key.slice(0, 64)}`);
        if (Object.hasOwn(options, key)) throw new Refusal(400, `the query parameter ${key} is given more than once`);
        if (key === 'count' && !/^\d{1,16}$/.test(value)) throw new Refusal(400, 'the query parameter count must be a whole number');
        options[key] = key === 'count' ? Number(value) : value;
      }
      call = client.listBulkActions(options);
    } else {
      let actionId;
      try {
        actionId = decodeURIComponent(url.pathname.slice(BULK.length + 1));
      } catch {
        throw new Refusal(400, 'the action id is not valid percent-encoding');
      }
      call = client.getBulkAction({ actionId, retry: false });
    }
    return Response.json(await call, { headers: cors ?? {} });
  } catch (err) {
    if (err instanceof Refusal) return refuse(err.status, err.message, cors);
    if (!(err instanceof QStashCancelError)) throw err;
    // Unlike a cancel's, a read's unreadable answer leaves nothing in doubt: a bad upstream answer.
    if (err.code === 'INVALID_RESPONSE') {
      return refuse(502, `the proxy could not read the service's answer to the bulk-action read (${err.message})`, cors);
    }
    return upstreamError(err, cors);
  }
}

/**
 * Which QStash origin and account this proxy cancels on, so a person can check it before a cancel:
 * the origin the library sends to, and the token's fingerprint (never a character of the token),
 * both from the account the client holds (`client.target()`), not a second reading of `env`.
 */
function describeTarget(client, cors) {
  const { baseUrl, tokenFingerprint } = client.target();
  return Response.json({ baseUrl: new URL(baseUrl).origin, tokenFingerprint }, { headers: cors ?? {} });
}

class Refusal extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * The cancel the caller asked for, in either of the service's encodings. A request that names
 * nothing is refused unless it carries `Cancel-All-Runs: true`: to the service an empty request
 * cancels every run, and a request can arrive empty by accident (a DELETE body dropped on the way).
 */
async function readTarget(url, request) {
  const all = request.headers.get(CANCEL_ALL);
  if (all !== null && all !== 'true') throw new Refusal(400, 'the Cancel-All-Runs header must be "true" when sent');
  // One form or the other: beside a query a body used to be ignored, so ids in the body and
  // "?label=nightly" cancelled every nightly run.
  const body = await readBody(request, { maxBytes: MAX_BODY_BYTES, deadlineMs: BODY_DEADLINE_MS });
  if (body.error) throw new Refusal(body.status, body.error);
  const text = body.text;
  const inQuery = [...url.searchParams.keys()].length > 0;
  if (inQuery && text.trim() !== '') throw new Refusal(400, 'a cancel is sent either in the query or in the body, not both: this request has both');
  const options = inQuery ? fromQuery(url.searchParams) : fromBody(text);
  const targets = Object.keys(options).filter((key) => !NOT_TARGETS.includes(key));
  if (all) {
    if (targets.length > 0) throw new Refusal(400, `Cancel-All-Runs: true cannot be combined with ${targets[0]}`);
    return { ...options, all: true };
  }
  if (targets.length === 0) {
    throw new Refusal(400, 'the request names nothing to cancel; to cancel every run, send the header Cancel-All-Runs: true (an empty request is never taken to mean everything)');
  }
  return options;
}

function fromQuery(params) {
  const options = { encoding: 'query' };
  for (const [key, value] of params) {
    if (MULTI.includes(key)) {
      // The service splits values on commas; so does the proxy, and empty pieces are refused below.
      options[key] = [...(options[key] ?? []), ...value.split(',')];
    } else if (Object.hasOwn(options, key)) {
      // Own keys only: `key in options` also finds "constructor", "toString" and the rest of
      // Object.prototype, and called them given twice.
      throw new Refusal(400, `the query parameter ${key} is given more than once`);
    } else if (NUMBERS.includes(key)) {
      if (!/^\d{1,16}$/.test(value)) throw new Refusal(400, `the query parameter ${key} must be a whole number`);
      options[key] = Number(value);
    } else if (key === 'async') {
      if (value !== 'true' && value !== 'false') throw new Refusal(400, 'async must be "true" or "false"');
      options.async = value === 'true';
    } else if (key === 'workflowUrlExactMatch') {
      // Never dropped: a lost exact-match flag would widen the cancel to a prefix match.
      if (value !== 'true' && value !== 'false') throw new Refusal(400, 'workflowUrlExactMatch must be "true" or "false"');
      options[key] = value === 'true';
    } else {
      throw new Refusal(400, `unknown query parameter ${key.slice(0, 64)}`);
    }
  }
  return options;
}

function fromBody(text) {
  if (text.trim() === '') return {};
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Refusal(400, 'the request body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Refusal(400, 'the request body must be a JSON object');
  // Stricter than the service, which ignores unknown fields (and would then cancel more).
  const unknown = Object.keys(body).find((key) => !BODY_FIELDS.includes(key));
  if (unknown !== undefined) throw new Refusal(400, `unknown field ${unknown.slice(0, 64)} in the request body`);
  return { ...body, encoding: 'body' };
}

/**
 * The proxy's own rules, from its bindings. ALLOW_CANCEL_ALL governs requests that name no filter
 * at all; a filter that happens to match every run (a date range over all time) is a filter, so
 * WORKFLOW_URL_PREFIXES is what bounds which runs the proxy can reach. It is enforced on
 * workflowUrl alone: host and path filters narrow a cancel (filters are ANDed) but never stand in
 * for an allowed workflowUrl, since "host=a.com" or "path=/api" alone reach runs of any prefix.
 */
function guard(options, env) {
  if (options.all && env.ALLOW_CANCEL_ALL !== 'true') {
    throw new Refusal(403, 'cancelling every run is disabled on this proxy (set ALLOW_CANCEL_ALL to "true")');
  }
  const prefixes = (env.WORKFLOW_URL_PREFIXES ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  if (prefixes.length === 0 || options.workflowRunIds) return;
  if (options.all) throw new Refusal(403, 'this proxy only cancels runs of allowed workflow URLs, not every run');
  const urls = [options.workflowUrl ?? []].flat();
  if (urls.length === 0) throw new Refusal(403, `this proxy requires a workflowUrl under ${prefixes.join(' or ')}`);
  const tricky = urls.find(disguisedPath);
  if (tricky !== undefined) {
    throw new Refusal(403, `workflowUrl ${tricky.slice(0, 200)} has a dot segment or an encoded slash, dot or backslash, which could reach outside the allowed prefixes; write the path plainly`);
  }
  const outside = urls.find((u) => !prefixes.some((prefix) => within(u, prefix, options.workflowUrlExactMatch === true)));
  if (outside !== undefined) {
    throw new Refusal(403, `workflowUrl ${outside.slice(0, 200)} is outside the allowed prefixes (${prefixes.join(', ')})`);
  }
}

/**
 * Whether every run a workflowUrl filter can match lies under an allowed prefix. The service
 * matches workflow URLs by string prefix, so "https://a.com/x" also matches "https://a.com/xyz"
 * and "https://b.com" matches "https://b.com.evil.com/": a filter is inside only if it goes on
 * past the prefix and a "/" (which also fixes the host: no longer host, no user info), or names
 * the prefix itself with an exact match.
 */
function within(url, prefix, exact) {
  const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return url.startsWith(base) || (exact && (url === prefix || url === base));
}

/**
 * Whether a workflow URL's path could mean another path than it shows: "." or ".." segments, or
 * a slash, dot or backslash percent-encoded (or a raw backslash), which a server may normalise
 * into a path outside the prefix the URL seems to be under.
 */
function disguisedPath(url) {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  return /(^|\/)\.{1,2}(\/|$|[?#])/.test(path) || /%(2e|2f|5c)/i.test(path) || path.includes('\\');
}

function corsHeaders(request, env) {
  const origin = request.headers.get('origin');
  if (!origin) return {};
  const allowed = (env.ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim());
  if (!allowed.includes('*') && !allowed.includes(origin)) return undefined;
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'DELETE, GET, OPTIONS',
    'access-control-allow-headers': `authorization, content-type, ${CANCEL_ALL}`,
    'access-control-expose-headers': EXPOSED.join(', '),
    'access-control-max-age': '600',
    vary: 'origin',
  };
}

function safeCors(request, env) {
  try {
    return corsHeaders(request, env);
  } catch {
    return undefined;
  }
}

/**
 * The status that tells the caller what an upstream HTTP error meant: the service's own, so the
 * caller's library decides on it exactly as it would on the service's answer (whether to retry,
 * whether the service may have acted), with no copy of its lists here to fall out of step (502
 * for a 507 made callers retry what the library never retries); a redirect, which is never
 * followed, as 424 (not done, not retried).
 */
function httpErrorStatus(status) {
  return status < 400 ? 424 : status;
}

/** Answers in the service's error shape. */
function refuse(status, message, cors, headers = {}) {
  return Response.json({ error: message }, { status, headers: { ...(cors ?? {}), ...headers } });
}

/**
 * Maps a failure of the forwarded call to the proxy's own message, with the upstream status and
 * at most the library's short excerpt of the service's text. The library withholds any text that
 * holds a piece of the token it sent (this proxy's QSTASH_TOKEN), in every form a server may echo
 * it in; nothing else of the upstream answer is passed on.
 *
 * The status keeps the upstream outcome's meaning for the caller's library, which decides on it
 * whether to retry and whether the service may have acted: an upstream HTTP error goes back with
 * its own status (httpErrorStatus), the proxy's own token refused as 424 (not retried); an answer
 * the proxy could not read goes back as a 2xx without a count, which the caller's library reads
 * as INVALID_RESPONSE, as it would from the service; a time-out as 504 and an unreachable service
 * as 502 (both: it may have acted).
 */
function upstreamError(err, cors) {
  const said = err.serverMessage ? `: ${err.serverMessage}` : '';
  switch (err.code) {
    case 'INVALID_OPTIONS':
      return refuse(400, err.message, cors);
    case 'UNAUTHORIZED':
      return refuse(424, `the service refused the proxy's QStash token (HTTP ${err.status}): check the proxy's QSTASH_TOKEN secret`, cors);
    case 'RATE_LIMITED': {
      const limit = err.rateLimit ?? {};
      const headers = {};
      if (limit.retryAfter != null) headers['retry-after'] = String(limit.retryAfter);
      else if (limit.retryAt != null) headers['retry-after'] = new Date(limit.retryAt).toUTCString();
      if (limit.reset != null) headers['burst-ratelimit-reset'] = String(limit.reset);
      return refuse(429, `rate limited by the service${said}`, cors, headers);
    }
    case 'HTTP_ERROR':
      return refuse(httpErrorStatus(err.status), `the service answered HTTP ${err.status}${said}`, cors);
    case 'INVALID_RESPONSE': {
      const status = err.status >= 200 && err.status < 300 && err.status !== 204 && err.status !== 205 ? err.status : 200;
      return refuse(status, `the service answered HTTP ${err.status} with an answer the proxy could not read; runs may have been cancelled`, cors);
    }
    case 'TIMEOUT':
      return refuse(504, 'the service did not answer in time', cors);
    default:
      return refuse(502, 'the proxy could not reach the service', cors);
  }
}
