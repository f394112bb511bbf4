// The memory benches' baseline (bench/memory.mjs in Node, bench/memory-workerd.mjs inside a
// Worker, which embeds this function's source): the requests of a long id list built in plain
// JS and sent with `fetch`, 8 at a time. No imports, so its source runs anywhere.
// bench/worker-cpu.mjs embeds it too, with as many in flight as qstash-cancel's default.

/** The benches' ids: `wfr_` and 26 digits, 30 characters each. */
export const idList = (n) => Array.from({ length: n }, (_, i) => 'wfr_' + String(i).padStart(26, '0'));

/** The baseline: batches of 1,000 ids (body) or of `perQuery` (query, 170 keeps 30-character ids under 8,000 bytes), `inFlight` at once. */
export async function rawFetch(baseUrl, ids, encoding, inFlight = 8, perQuery = 170) {
  const size = encoding === 'body' ? 1_000 : perQuery;
  let next = 0, cancelled = 0, requests = 0;
  const worker = async () => {
    while (next < ids.length) {
      const batch = ids.slice(next, (next += size));
      const headers = { authorization: 'Bearer bench-memory' };
      const init = encoding === 'body'
        ? { method: 'DELETE', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ workflowRunIds: batch }) }
        : { method: 'DELETE', headers };
      const url = encoding === 'body' ? `${baseUrl}/v2/workflows/runs` : `${baseUrl}/v2/workflows/runs?${batch.map((id) => `workflowRunIds=${id}`).join('&')}`;
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
      const answer = await res.json();
      cancelled += answer.cancelled;
      requests += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { cancelled, requests };
}
