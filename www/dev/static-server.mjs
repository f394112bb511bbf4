// A small static file server for the admin page and the browser tests: each mount maps a URL
// prefix to a folder; the right MIME types are sent (wasm included), nothing outside a folder.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** `mounts`: { "/": "/abs/www", "/vendor/qstash-cancel/": "/abs/pkg" }. */
export async function serveStatic(mounts, port = 0) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = http.createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const prefix = prefixes.find((p) => path.startsWith(p));
    const rest = prefix === undefined ? '' : path.slice(prefix.length);
    const file = join(mounts[prefix] ?? '/nonexistent', rest === '' || rest.endsWith('/') ? `${rest}index.html` : rest);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}
