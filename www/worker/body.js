// Reading a request body within limits, shared by the admin proxy (worker.js) and the Queue
// example (../queue/worker.js): wrangler bundles this module into each.

/**
 * The body as `{ text }`, or why it is refused as `{ status, error }`: over `maxBytes` (refused
 * without reading the rest), or still arriving after `deadlineMs` (a body that never ends would
 * otherwise hold the call open for good).
 */
export async function readBody(request, { maxBytes, deadlineMs }) {
  const tooBig = { status: 413, error: `the request body is over ${maxBytes} bytes` };
  if (!request.body) return { text: '' };
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) return tooBig;
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  let timer;
  const late = new Promise((resolve) => (timer = setTimeout(resolve, deadlineMs, { late: true })));
  try {
    for (;;) {
      const { done, value, late: tooLate } = await Promise.race([reader.read(), late]);
      if (tooLate) {
        await reader.cancel().catch(() => {});
        return { status: 408, error: `the request body did not arrive within ${deadlineMs / 1000} seconds` };
      }
      if (done) return { text: text + decoder.decode() };
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return tooBig;
      }
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    clearTimeout(timer);
  }
}
