// Cancels an id list too long for one Worker invocation's subrequest budget, through a
// Cloudflare Queue: `POST /` with `{ "workflowRunIds": [...] }` (and the admin credential)
// queues the list in chunks; the consumer cancels one chunk per invocation
// (`max_batch_size = 1` in wrangler.toml), within `maxRequests`.
//
// The figures: a chunk of 1,000 ids of up to 30 characters takes at most 6 requests in the
// query form (`previewRequest(...).requests` tells for your ids), so `maxRequests: 45` leaves
// room for retries inside the Workers Free plan's 50 subrequests an invocation. A chunk that
// fails is retried by the queue (cancelling is idempotent: runs already cancelled are not
// counted again); one that is refused (an id the rules reject) is dropped and logged.
import { cancelRunsDetailed, previewRequest, QStashCancelError } from 'qstash-cancel';

/** Ids a message carries: about 32 KB of JSON, a quarter of a message's 128 KB. */
const IDS_PER_CHUNK = 1_000;
/** Messages one `sendBatch` carries: at most 100 and 256 KB a batch. */
const CHUNKS_PER_BATCH = 6;
/** Requests one invocation may send: the Free plan's 50 subrequests, less room for the rest. */
const MAX_REQUESTS = 45;

export default {
  async fetch(request, env) {
    if (request.method !== 'POST' || request.headers.get('authorization') !== `Bearer ${env.ADMIN_TOKEN}`) {
      return Response.json({ error: 'POST the ids with the admin credential' }, { status: 401 });
    }
    const { workflowRunIds } = await request.json().catch(() => ({}));
    if (!Array.isArray(workflowRunIds) || workflowRunIds.length === 0) {
      return Response.json({ error: 'the body must be {"workflowRunIds": [...]} with at least one id', field: 'workflowRunIds' }, { status: 400 });
    }
    const chunks = [];
    for (let at = 0; at < workflowRunIds.length; at += IDS_PER_CHUNK) chunks.push(workflowRunIds.slice(at, at + IDS_PER_CHUNK));
    // Every chunk checked before anything is queued: a bad id, or a chunk over the budget, is
    // refused here with the rule it broke.
    try {
      for (const ids of chunks) previewRequest({ token: env.QSTASH_TOKEN, workflowRunIds: ids, maxRequests: MAX_REQUESTS });
    } catch (err) {
      return Response.json({ error: err.message, field: err.field }, { status: 400 });
    }
    for (let at = 0; at < chunks.length; at += CHUNKS_PER_BATCH) {
      await env.CANCEL_CHUNKS.sendBatch(chunks.slice(at, at + CHUNKS_PER_BATCH).map((ids) => ({ body: { ids } })));
    }
    return Response.json({ queued: workflowRunIds.length, chunks: chunks.length });
  },

  async queue(batch, env) {
    for (const message of batch.messages) {
      try {
        const summary = await cancelRunsDetailed({
          token: env.QSTASH_TOKEN,
          baseUrl: env.QSTASH_URL,
          workflowRunIds: message.body.ids,
          maxRequests: MAX_REQUESTS,
        });
        console.log(`chunk of ${message.body.ids.length} ids: ${summary.cancelled} cancelled in ${summary.requests} requests`);
        message.ack();
      } catch (err) {
        if (err instanceof QStashCancelError && err.code === 'INVALID_OPTIONS') {
          console.error(`chunk dropped: ${err.message}`);
          message.ack();
        } else {
          message.retry();
        }
      }
    }
  },
};
