// A stand-in upstream for the memory bench: answers every cancel with the number of ids it
// carried (query or body form), keeping nothing, so that a million-id cancel measures the client
// and not the emulator's run store. Prints `URL=http://127.0.0.1:PORT` when ready.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    const inQuery = (req.url.match(/[?&]workflowRunIds=/g) ?? []).length;
    const inBody = body ? JSON.parse(body).workflowRunIds?.length ?? 0 : 0;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ cancelled: inQuery + inBody }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`URL=http://127.0.0.1:${server.address().port}`));
