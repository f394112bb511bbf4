// Cancels an id list too long for one Worker invocation's subrequest budget, through a
// Cloudflare Queue: `POST /` with `{ "workflowRunIds": [...] }` (and the admin credential)
// queues the list in chunks; the consumer cancels one chunk per invocation
// (`max_batch_size = 1` in wrangler.toml), within `maxRequests`.
//
// The figures: a chunk of 1,000 ids of up to 30 characters takes at most 6 requests in the
// query form (`previewRequest(...).requests` tells for your ids), so `maxRequests: 45` leaves
// room for retries inside the Workers Free plan's 50 subrequests an invocation.
//
// A chunk is acknowledged only once it was cancelled. Any other outcome retries it: a transient
// failure usually passes on a later delivery, and cancelling is idempotent (runs already
// cancelled are not counted again); a refused connection (a QSTASH_URL or QSTASH_TOKEN changed
// after the chunk was queued) must not lose the chunk either. A chunk still not cancelled after
// `max_retries` goes to the dead-letter queue (wrangler.toml), where it is kept.
//
// Bindings: ADMIN_TOKEN (secret), QSTASH_TOKEN (secret) and optionally QSTASH_URL /
// QSTASH_REGION (see Client.fromEnv), CANCEL_CHUNKS (the queue).
import { Client } from 'qstash-cancel';
import { readBody } from '../worker/body.js';
import { credentialRefusal } from '../worker/credential.js';

/** The most ids a message carries (ids of 30 characters make about 32 KB of JSON). */
const IDS_PER_CHUNK = 1_000;
/** The most bytes of JSON a message carries, whatever the ids' length: a message may be 128 KB. */
const CHUNK_BYTES = 40_000;
/** Messages one `sendBatch` carries: at most 100 and 256 KB a batch, so six of CHUNK_BYTES. */
const CHUNKS_PER_BATCH = 6;
/** The largest list accepted (about 500,000 ids of 30 characters): its text and array fit a Worker's 128 MB. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** How long the list may take to arrive. */
const BODY_DEADLINE_MS = 30_000;
/** Requests one invocation may send: the Free plan's 50 subrequests, less room for the rest. */
const MAX_REQUESTS = 45;

export default {
  async fetch(request, env) {
    if (request.method !== 'POST') return Response.json({ error: 'POST the ids with the admin credential' }, { status: 405 });
    const refusal = await credentialRefusal(request, env);
    if (refusal) return Response.json({ error: refusal.error }, { status: refusal.status });
    // The connection the consumer will use, built the same way, so a binding the library
    // refuses is reported now rather than after every chunk has been queued.
    let client;
    try {
      client = Client.fromEnv(env);
    } catch (err) {
      return Response.json({ error: `this Worker is not configured: ${err.message}` }, { status: 500 });
    }
    const body = await readBody(request, { maxBytes: MAX_BODY_BYTES, deadlineMs: BODY_DEADLINE_MS });
    if (body.error) return Response.json({ error: body.error }, { status: body.status });
    let workflowRunIds;
    try {
      ({ workflowRunIds } = JSON.parse(body.text));
    } catch {
      // Answered below, as for a body without the list.
    }
    if (!Array.isArray(workflowRunIds) || workflowRunIds.length === 0) {
      return Response.json({ error: 'the body must be {"workflowRunIds": [...]} with at least one id', field: 'workflowRunIds' }, { status: 400 });
    }
    const chunks = chunked(workflowRunIds);
    // Every chunk checked before anything is queued: a bad id, or a chunk over the budget, is
    // refused here with the rule it broke.
    try {
      for (const ids of chunks) client.previewRequest({ workflowRunIds: ids, maxRequests: MAX_REQUESTS });
    } catch (err) {
      return Response.json({ error: err.message, field: err.field }, { status: 400 });
    }
    let queued = 0;
    for (let at = 0; at < chunks.length; at += CHUNKS_PER_BATCH) {
      const batch = chunks.slice(at, at + CHUNKS_PER_BATCH);
      try {
        await env.CANCEL_CHUNKS.sendBatch(batch.map((ids) => ({ body: { ids } })));
      } catch (err) {
        // What came before is queued and will be cancelled; what failed may or may not be.
        const unconfirmed = workflowRunIds.length - queued;
        const why = String(err?.message ?? err).slice(0, 200);
        return Response.json({
          error: `queueing stopped after ${at} of ${chunks.length} chunks (${why}); the ids from index ${queued} on are not confirmed queued: POST them again (a run cancelled twice is counted once)`,
          queued,
          chunks: at,
          unconfirmed,
        }, { status: 502 });
      }
      queued += batch.reduce((sum, ids) => sum + ids.length, 0);
    }
    return Response.json({ queued, chunks: chunks.length });
  },

  async queue(batch, env) {
    let client;
    try {
      client = Client.fromEnv(env);
    } catch (err) {
      console.error(`no chunk cancelled, this Worker is not configured: ${err.message}; the batch is retried, then kept in the dead-letter queue`);
      batch.retryAll();
      return;
    }
    for (const message of batch.messages) {
      const ids = message.body?.ids;
      try {
        const summary = await client.cancelRunsDetailed({ workflowRunIds: ids, maxRequests: MAX_REQUESTS });
        console.log(`chunk of ${ids.length} ids: ${summary.cancelled} cancelled in ${summary.requests} requests`);
        message.ack();
      } catch (err) {
        // The library's errors name no token; the count says what this attempt did cancel.
        const done = err?.cancelled === undefined ? '' : ` (${err.cancelled} cancelled before it stopped)`;
        console.error(`chunk not cancelled, retried (attempt ${message.attempts})${done}: ${err?.code ?? 'ERROR'}: ${err?.message}`);
        message.retry();
      }
    }
  },
};

/**
 * The ids in chunks of at most IDS_PER_CHUNK ids and CHUNK_BYTES of JSON, so every message and
 * batch fits the queue's limits (1,000 ids of 200 characters made a 203 KB message, and the list
 * could not be queued). An id too long for any chunk goes alone, and previewRequest refuses it.
 */
function chunked(ids) {
  const encoder = new TextEncoder();
  const empty = encoder.encode('{"ids":[]}').length;
  const chunks = [];
  let chunk = [];
  let bytes = empty;
  for (const id of ids) {
    const size = encoder.encode(String(JSON.stringify(id))).length + 1;
    if (chunk.length === IDS_PER_CHUNK || (chunk.length > 0 && bytes + size > CHUNK_BYTES)) {
      chunks.push(chunk);
      chunk = [];
      bytes = empty;
    }
    chunk.push(id);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
