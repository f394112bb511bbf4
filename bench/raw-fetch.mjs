// The baseline of the big-list benches (bench/big-call.mjs and bench/memory.mjs in Node,
// bench/memory-workerd.mjs and bench/worker-cpu.mjs inside a Worker, which embed this function's
// source): the requests of a long id list built in plain JS and sent with `fetch`. No imports,
// so its source runs anywhere.

/** The benches' ids: `wfr_` and 26 digits, 30 characters each. */
export const idList = (n) => Array.from({ length: n }, (_, i) => 'wfr_' + String(i).padStart(26, '0'));

/**
 * Sends `ids` in the library's batches (src/wire/batch.rs: the query form fills URLs up to 8,000
 * bytes, the body form bodies of at most 1,000 ids and 64 KiB), `concurrency` in flight, so that
 * the baseline sends exactly the requests the library does. The ids are taken as they are (the
 * benches' ids need no escaping in either form).
 */
export async function rawFetch(baseUrl, ids, encoding, concurrency = 8) {
  const endpoint = `${baseUrl}/v2/workflows/runs`;
  const body = encoding === 'body';
  // Bytes every request has, bytes each id adds, the limits: as src/wire/batch.rs counts them.
  const [fixed, extra, limit, most] = body ? [21, 3, 65_536, 1_000] : [endpoint.length, 16, 8_000, Infinity];
  let next = 0, cancelled = 0, requests = 0;
  const worker = async () => {
    while (next < ids.length) {
      const start = next;
      let used = fixed + ids[start].length + extra;
      next += 1;
      while (next < ids.length && next - start < most && used + ids[next].length + extra <= limit) used += ids[next++].length + extra;
      const batch = ids.slice(start, next);
      const headers = { authorization: 'Bearer bench-memory' };
      const init = body
        ? { method: 'DELETE', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ workflowRunIds: batch }) }
        : { method: 'DELETE', headers };
      const url = body ? endpoint : `${endpoint}?workflowRunIds=${batch.join('&workflowRunIds=')}`;
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
      const answer = await res.json();
      cancelled += answer.cancelled;
      requests += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { cancelled, requests };
}
