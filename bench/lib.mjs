// Helpers shared by the benchmarks: statistics, a keep-alive answering server, machine notes.
import http from 'node:http';
import os from 'node:os';

export function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

/** A local keep-alive HTTP server that answers every request with {"cancelled":1}. */
export async function answeringServer() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '15' });
      res.end('{"cancelled":1}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }) };
}

export function machine() {
  return `${os.cpus()[0]?.model ?? 'unknown CPU'} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export const fmt = (n, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * A one-id cancel by raw fetch with what every attempt of `cancelRuns` also has: an
 * `AbortController` with a timer (the 30 s `timeoutMs` default) and no redirects followed. The
 * baseline that isolates the library's own work from the time limit's.
 */
export function limitedFetch(baseUrl, token) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  const init = { method: 'DELETE', headers: { authorization: `Bearer ${token}` }, redirect: 'manual', signal: controller.signal };
  return fetch(`${baseUrl}/v2/workflows/runs?workflowRunIds=wfr_1`, init)
    .then((res) => res.json())
    .then((json) => json.cancelled)
    .finally(() => clearTimeout(timer));
}
