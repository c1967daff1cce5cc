import { createServer } from 'node:http';

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
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`listening ${typeof addr === 'object' && addr !== null ? addr.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
