import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { Duplex } from 'node:stream';

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

/**
 * The WS API peer (`/ws-api/v3`): answers every request frame with its id, status 200 and an
 * empty result. Hand-rolled on the raw socket rather than the `ws` library (which, one
 * socket write per message, topped out near 60k msgs/s here — too close to what is measured):
 * the answers to all frames of one TCP chunk go out in one write.
 */
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const ID = Buffer.from('"id":');
const HEAD = Buffer.from('{"id":');
const TAIL = Buffer.from(',"status":200,"result":{}}');
const NULL_ID = Buffer.from('null');
const MAX_FRAME = 1 << 20;
/** Answer headers for payloads under 126 bytes, made once. */
const SHORT_HEADERS = Array.from({ length: 126 }, (_, n) => Buffer.from([0x81, n]));

/** The JSON value of the id (quoted string or number) in payload[p, end), or null. */
function idToken(buf: Buffer, p: number, end: number): Buffer {
  const i = buf.indexOf(ID, p);
  if (i < 0 || i + ID.length >= end) return NULL_ID;
  let q = i + ID.length;
  const from = q;
  if (buf[q] === 0x22) {
    q++;
    while (q < end && buf[q] !== 0x22) q++;
    return buf.subarray(from, Math.min(end, q + 1));
  }
  while (q < end && buf[q] !== 0x2c && buf[q] !== 0x7d) q++;
  return buf.subarray(from, q);
}

function serveWsApi(socket: Duplex, first: Buffer): void {
  let pending: Buffer | null = null;
  const onData = (chunk: Buffer): void => {
    let buf = chunk;
    if (pending !== null) {
      buf = Buffer.concat([pending, chunk]);
      pending = null;
    }
    const out: Buffer[] = [];
    let off = 0;
    const n = buf.length;
    while (n - off >= 2) {
      const b0 = buf[off]!;
      let len = buf[off + 1]! & 0x7f;
      let h = 2;
      if (len === 126) {
        if (n - off < 4) break;
        len = buf.readUInt16BE(off + 2);
        h = 4;
      } else if (len === 127) {
        if (n - off < 10) break;
        len = buf.readUInt32BE(off + 2) * 2 ** 32 + buf.readUInt32BE(off + 6);
        h = 10;
      }
      if (len > MAX_FRAME) return void socket.destroy();
      const masked = (buf[off + 1]! & 0x80) !== 0;
      if (masked) h += 4;
      if (n - off < h + len) break;
      const p = off + h;
      const end = p + len;
      if (masked) for (let q = p, k = off + h - 4, j = 0; q < end; q++, j = (j + 1) & 3) buf[q] = buf[q]! ^ buf[k + j]!;
      const opcode = b0 & 0x0f;
      if (opcode === 0x1) {
        const id = idToken(buf, p, end);
        const payloadLen = HEAD.length + id.length + TAIL.length;
        out.push(payloadLen < 126 ? SHORT_HEADERS[payloadLen]! : Buffer.from([0x81, 126, payloadLen >> 8, payloadLen & 0xff]), HEAD, id, TAIL);
      } else if (opcode === 0x9) {
        out.push(Buffer.from([0x8a, len]), Buffer.from(buf.subarray(p, end)));
      } else if (opcode === 0x8) {
        socket.end(Buffer.from([0x88, 0]));
        return;
      }
      off = end;
    }
    if (off < n) pending = Buffer.from(buf.subarray(off));
    if (out.length > 0) socket.write(Buffer.concat(out));
  };
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
  if (first.length > 0) onData(first);
}

server.on('upgrade', (req, socket, head) => {
  const key = req.headers['sec-websocket-key'];
  if (!(req.url ?? '').startsWith('/ws-api/v3') || typeof key !== 'string') {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  (socket as { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true);
  serveWsApi(socket, head);
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`listening ${typeof addr === 'object' && addr !== null ? addr.port : 0}\n`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  // Upgraded sockets a client left open would hold close() forever.
  setTimeout(() => process.exit(0), 500).unref();
});
