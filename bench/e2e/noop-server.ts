import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

/**
 * The peer: a plain Node http server that reads the request and answers `{}` — the ceiling and
 * latency floor of the load generators on this machine (BENCHMARKS.md: ~29k/s to wrk).
 */
const body = Buffer.from('{}');
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
// The WS API peer: answers every request frame with its id and an empty result.
const wss = new WebSocketServer({ server, path: '/ws-api/v3', perMessageDeflate: false });
wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    const id = /"id":"?(\d+)"?/.exec(String(data))?.[1] ?? 'null';
    ws.send(`{"id":"${id}","status":200,"result":{}}`);
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`listening ${typeof addr === 'object' && addr !== null ? addr.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
