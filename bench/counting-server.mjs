// A stand-in upstream for the big-list benches: answers every cancel with the number of ids it
// carried (query or body form), keeping nothing, so that a million-id cancel measures the client
// and not the emulator's run store. It tallies what it received (requests, ids, and the bytes of
// every URL and body), and `GET /tally` answers that tally and starts a new one: two clients that
// sent the same requests leave the same tally. Prints `URL=http://127.0.0.1:PORT` when ready.
import { createServer } from 'node:http';

let tally = { requests: 0, ids: 0, urlBytes: 0, bodyBytes: 0 };
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/tally') {
    res.end(JSON.stringify(tally));
    tally = { requests: 0, ids: 0, urlBytes: 0, bodyBytes: 0 };
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    const inQuery = (req.url.match(/[?&]workflowRunIds=/g) ?? []).length;
    const inBody = body ? JSON.parse(body).workflowRunIds?.length ?? 0 : 0;
    tally.requests += 1;
    tally.ids += inQuery + inBody;
    tally.urlBytes += req.url.length;
    tally.bodyBytes += body.length;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ cancelled: inQuery + inBody }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`URL=http://127.0.0.1:${server.address().port}`));
