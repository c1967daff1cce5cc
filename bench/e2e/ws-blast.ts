/**
 * ws-blast — a wrk-class load generator for the WebSocket API (`/ws-api/v3`).
 *
 * Raw `net` sockets, the HTTP upgrade done by hand (Sec-WebSocket-Accept checked), and every
 * client frame built, signed and masked once before the run (pre-signed crossing pairs of
 * `order.place`, workload.ts `presignedWsOrder`), laid end to end in one buffer: a socket write
 * is a slice of that buffer holding many frames, so sending costs no JSON, no HMAC and no copy.
 * Answers are parsed incrementally (unmasked frames, 7/16/64-bit lengths, frames split across
 * TCP chunks), counted by `status` (and error `code`), and timed with one clock read per chunk.
 *
 * Closed loop (like wrk): C connections, each keeping K requests in flight (K ≤ 64, the
 * server's bound). Open loop (`ratePerSec`): request i is due at start + i/rate on connection
 * floor(i / 8) mod C, queued while that connection has K in flight, latency from the due time
 * (a 1 ms timer sends what has come due).
 *
 * It runs in a child process (ws-blast-worker.ts) so its CPU is its own and it does not share
 * the orchestrator's event loop: `runWsBlast` spawns it and returns its figures.
 *
 *   node --import tsx bench/e2e/ws-blast.ts --port 8080 [--conns 32] [--inflight 64] [--seconds 5]
 *        [--rate 20000] [--users 200] [--frames N] [--noop] [--server-pid PID]
 *
 * (CLI: creates --users users through the dev faucet unless --noop, where any keys do.)
 */
import { fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as hdr from 'hdr-histogram-js';
import { MatchboxClient } from '@matchbox/client';
import { cpuMsOf } from './processes.ts';
import { createUsers, loadMarkets, pairSpecs, presignedWsOrder, type Credentials, type PairSpec } from './workload.ts';

/** Server bound (packages/stream DEFAULT_LIMITS.maxPendingRequests): more in flight per connection is refused. */
export const MAX_IN_FLIGHT_PER_CONNECTION = 64;
/** Memory bound of the pre-built frames (~0.4 kB each): beyond it the stream is replayed from the start. */
export const MAX_FRAMES = 600_000;
/** Open loop: consecutive requests go to one connection in blocks of this many (one write per block, not per frame). */
const OPEN_LOOP_BLOCK = 8;
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MASK = [0x5a, 0xc3, 0x1e, 0x77];

export interface BlastOptions {
  readonly host: string;
  readonly port: number;
  readonly path?: string;
  readonly connections: number;
  /** Closed loop: requests in flight per connection. Open loop: the most in flight per connection before queueing. */
  readonly inFlight: number;
  readonly durationSec: number;
  /** Set: open loop at this many requests/s. Unset: closed loop. */
  readonly ratePerSec?: number;
  /** Frames to pre-build (each a distinct order); the run replays them from the start if it needs more. */
  readonly frames: number;
  readonly users: readonly Credentials[];
  readonly pairs: readonly PairSpec[];
  /** newClientOrderId prefix (unique per run). */
  readonly tag: string;
  /** After the send window, wait at most this long for answers (default 3 s). */
  readonly drainMs?: number;
}

export interface BlastResult {
  readonly mode: 'closed' | 'open';
  readonly connections: number;
  readonly inFlight: number;
  readonly offeredPerSec: number | null;
  readonly sent: number;
  /** Answers received, in the window and during the drain. */
  readonly answered: number;
  /** Answers received within the send window / its length. */
  readonly achievedPerSec: number;
  readonly durationSec: number;
  /** "200", or "status:code" for errors (e.g. "400:-1021"), "unanswered". */
  readonly statuses: Record<string, number>;
  /** Closed loop: from the write; open loop: from the intended send time. */
  readonly latencyUs: { readonly p50: number; readonly p95: number; readonly p99: number; readonly p999: number; readonly max: number };
  /** CPU of the generator process over the send window and drain (building excluded). */
  readonly cpuMs: number;
  /** Of which in the kernel (socket syscalls: on loopback, most of TCP's work on both ends). */
  readonly cpuSysMs: number;
  readonly buildMs: number;
  readonly frames: number;
  readonly frameBytes: number;
  /** Requests sent beyond the pre-built frames (replays of earlier frames). */
  readonly replayed: number;
  /** Open loop: requests still queued when the window closed. */
  readonly backlogAtEnd: number;
  /** Connections the server closed or reset during the run. */
  readonly connectionsLost: number;
}

// ---------------------------------------------------------------- frames

/** A masked client frame header (+ mask key) for a payload of `len` bytes, written at `pos`. */
function writeHeader(buf: Buffer, pos: number, opcode: number, len: number): number {
  buf[pos++] = 0x80 | opcode;
  if (len < 126) {
    buf[pos++] = 0x80 | len;
  } else if (len < 65_536) {
    buf[pos++] = 0x80 | 126;
    buf.writeUInt16BE(len, pos);
    pos += 2;
  } else {
    buf[pos++] = 0x80 | 127;
    buf.writeUInt32BE(Math.floor(len / 2 ** 32), pos);
    buf.writeUInt32BE(len >>> 0, pos + 4);
    pos += 8;
  }
  for (let k = 0; k < 4; k++) buf[pos++] = MASK[k]!;
  return pos;
}

function maskInPlace(buf: Buffer, from: number, to: number): void {
  for (let p = from, k = 0; p < to; p++, k = (k + 1) & 3) buf[p] = buf[p]! ^ MASK[k]!;
}

/** One masked client frame (control frames: pong, close). */
export function clientFrame(opcode: number, payload: Buffer): Buffer {
  const buf = Buffer.allocUnsafe(payload.length + 14);
  const start = writeHeader(buf, 0, opcode, payload.length);
  payload.copy(buf, start);
  maskInPlace(buf, start, start + payload.length);
  return buf.subarray(0, start + payload.length);
}

export interface FrameSet {
  readonly buf: Buffer;
  /** Frame i is buf[offsets[i], offsets[i + 1]). */
  readonly offsets: Uint32Array;
  readonly count: number;
}

/** Builds `count` masked `order.place` frames end to end in one buffer (timestamp: now). */
export function buildFrames(users: readonly Credentials[], pairs: readonly PairSpec[], count: number, tag: string): FrameSet {
  const ts = Date.now();
  const offsets = new Uint32Array(count + 1);
  let buf = Buffer.allocUnsafe(0);
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const json = presignedWsOrder(users, pairs, i, tag, ts);
    const len = json.length;
    if (pos + len + 14 > buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(4096, Math.ceil((pos + len + 14) * (i === 0 ? count * 1.05 : 1.25 * (count / i)))));
      buf.copy(grown, 0, 0, pos);
      buf = grown;
    }
    offsets[i] = pos;
    const start = writeHeader(buf, pos, 0x1, len);
    if (buf.write(json, start, 'latin1') !== len || Buffer.byteLength(json) !== len) throw new Error('frames must be ASCII');
    maskInPlace(buf, start, start + len);
    pos = start + len;
  }
  offsets[count] = pos;
  return { buf: buf.subarray(0, pos), offsets, count };
}

// ---------------------------------------------------------------- connections

/** Opens a TCP connection and does the WebSocket upgrade; resolves with the socket and any bytes after the 101 headers. */
export function openRawWs(host: string, port: number, wsPath: string, timeoutMs = 10_000): Promise<{ socket: Socket; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    const key = randomBytes(16).toString('base64');
    const expect = createHash('sha1').update(key + WS_GUID).digest('base64');
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    let head = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new Error(`ws upgrade to ${host}:${port}${wsPath} timed out`)), timeoutMs);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const onData = (d: Buffer): void => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16_384) fail(new Error('ws upgrade: response headers too long'));
        return;
      }
      socket.off('data', onData);
      socket.off('error', fail);
      clearTimeout(timer);
      const text = head.subarray(0, end).toString('latin1');
      const accept = /\r\nsec-websocket-accept:\s*(\S+)/i.exec(text)?.[1];
      if (!/^HTTP\/1\.1 101 /.test(text)) return fail(new Error(`ws upgrade refused: ${text.split('\r\n')[0]}`));
      if (accept !== expect) return fail(new Error(`ws upgrade: bad Sec-WebSocket-Accept ${accept ?? '(none)'}`));
      resolve({ socket, rest: head.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.on('error', fail);
    socket.on('connect', () => {
      socket.write(`GET ${wsPath} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
        + `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
  });
}

const ID = Buffer.from('"id":');
const STATUS = Buffer.from('"status":');
const CODE = Buffer.from('"code":');

/** The unsigned integer in `buf` at `p` (an optional opening quote skipped), or -1. */
function intAt(buf: Buffer, p: number, end: number): number {
  if (buf[p] === 0x22) p++;
  let v = -1;
  for (; p < end; p++) {
    const c = buf[p]! - 48;
    if (c < 0 || c > 9) break;
    v = (v < 0 ? 0 : v * 10) + c;
  }
  return v;
}

/** Where `needle` starts in buf[from, end), or -1. */
function find(buf: Buffer, needle: Buffer, from: number, end: number): number {
  const i = buf.indexOf(needle, from);
  return i < 0 || i + needle.length > end ? -1 : i + needle.length;
}

export interface Conn {
  readonly socket: Socket;
  readonly index: number;
  inFlight: number;
  /** Unparsed bytes of a frame split across chunks. */
  pending: Buffer | null;
  /** Open loop: request numbers due but not yet sent (the connection had K in flight). */
  readonly queue: number[];
  queueHead: number;
  alive: boolean;
}

/** Answers and errors as the parser sees them, per connection. */
export interface Sink {
  answer(c: Conn, id: number, status: number, code: number, nowMs: number): void;
  control(c: Conn, opcode: number, payload: Buffer): void;
}

/** Parses every complete server frame in `chunk` (plus what was pending); keeps the incomplete tail. */
export function parse(c: Conn, chunk: Buffer, sink: Sink, nowMs: number): void {
  let buf = chunk;
  if (c.pending !== null) {
    buf = Buffer.concat([c.pending, chunk]);
    c.pending = null;
  }
  let off = 0;
  const n = buf.length;
  while (n - off >= 2) {
    const b0 = buf[off]!;
    const b1 = buf[off + 1]!;
    let len = b1 & 0x7f;
    let hdrLen = 2;
    if (len === 126) {
      if (n - off < 4) break;
      len = buf.readUInt16BE(off + 2);
      hdrLen = 4;
    } else if (len === 127) {
      if (n - off < 10) break;
      len = buf.readUInt32BE(off + 2) * 2 ** 32 + buf.readUInt32BE(off + 6);
      hdrLen = 10;
    }
    const masked = (b1 & 0x80) !== 0;
    if (masked) hdrLen += 4;
    if (n - off < hdrLen + len) break;
    const p = off + hdrLen;
    const end = p + len;
    const opcode = b0 & 0x0f;
    if (masked) {
      // Servers must not mask; unmask anyway so the scan below reads text.
      for (let q = p, k = 0; q < end; q++, k = (k + 1) & 3) buf[q] = buf[q]! ^ buf[off + hdrLen - 4 + k]!;
    }
    if (opcode === 0x1 || opcode === 0x2) {
      // A fragmented answer (FIN clear) has its id and status in the first fragment; continuations (opcode 0) are skipped.
      const ip = find(buf, ID, p, end);
      const sp = find(buf, STATUS, p, end);
      const status = sp < 0 ? 0 : intAt(buf, sp, end);
      let code = 0;
      if (status !== 200) {
        const cp = find(buf, CODE, p, end);
        if (cp >= 0) code = buf[cp] === 0x2d ? -intAt(buf, cp + 1, end) : intAt(buf, cp, end);
      }
      sink.answer(c, ip < 0 ? -1 : intAt(buf, ip, end), status, code, nowMs);
    } else if (opcode >= 0x8) {
      sink.control(c, opcode, buf.subarray(p, end));
    }
    off = end;
  }
  if (off < n) c.pending = Buffer.from(buf.subarray(off));
}

// ---------------------------------------------------------------- the run (inside the worker)

/** Builds the frames, connects, runs; `onStart` fires when the send window opens (after building and connecting). */
export async function blast(o: BlastOptions, onStart?: () => void): Promise<BlastResult> {
  if (o.inFlight < 1 || o.inFlight > MAX_IN_FLIGHT_PER_CONNECTION) throw new Error(`inFlight must be 1..${MAX_IN_FLIGHT_PER_CONNECTION}`);
  const open = o.ratePerSec !== undefined;
  const t0 = performance.now();
  const frames = buildFrames(o.users, o.pairs, Math.max(2 * o.connections * o.inFlight, Math.min(o.frames, MAX_FRAMES)), o.tag);
  const buildMs = Math.round(performance.now() - t0);
  const N = frames.count;
  const { buf, offsets } = frames;
  /** Per frame slot: when its latest request was sent (closed) or due (open), ms. */
  const startOf = new Float64Array(N);
  const hist = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
  const statuses = new Map<string, number>();
  let ok = 0;
  let answered = 0;
  let answeredInWindow = 0;
  let sent = 0;
  let cursor = 0;
  let running = true;
  let inWindow = true;
  let lost = 0;

  const opened = await Promise.all(Array.from({ length: o.connections }, () => openRawWs(o.host, o.port, o.path ?? '/ws-api/v3')));
  const conns: Conn[] = opened.map((x, index) => ({ socket: x.socket, index, inFlight: 0, pending: null, queue: [], queueHead: 0, alive: true }));

  /** Writes frames [from, to) of the buffer (request numbers are contiguous here). */
  const writeRun = (c: Conn, from: number, to: number): void => {
    c.socket.write(buf.subarray(offsets[from]!, offsets[to]!));
  };

  /** Closed loop: top the connection up to K in flight from the shared cursor, one write (two at the wrap). */
  const topUp = (c: Conn, nowMs: number): void => {
    let m = o.inFlight - c.inFlight;
    if (m <= 0 || !running || !c.alive) return;
    c.inFlight += m;
    sent += m;
    while (m > 0) {
      const from = cursor % N;
      const k = Math.min(m, N - from);
      for (let i = from; i < from + k; i++) startOf[i] = nowMs;
      writeRun(c, from, from + k);
      cursor += k;
      m -= k;
    }
  };

  /** Open loop: send what is queued on the connection while it has room (runs of consecutive frames coalesced). */
  const drainQueue = (c: Conn): void => {
    if (!c.alive || c.queueHead === c.queue.length || c.inFlight >= o.inFlight) return;
    let runFrom = -1;
    let runTo = -1;
    c.socket.cork();
    while (c.inFlight < o.inFlight && c.queueHead < c.queue.length) {
      const slot = c.queue[c.queueHead++]! % N;
      c.inFlight++;
      sent++;
      if (slot === runTo) runTo++;
      else {
        if (runFrom >= 0) writeRun(c, runFrom, runTo);
        runFrom = slot;
        runTo = slot + 1;
      }
    }
    if (runFrom >= 0) writeRun(c, runFrom, runTo);
    c.socket.uncork();
    if (c.queueHead > 4096 && c.queueHead * 2 > c.queue.length) {
      c.queue.splice(0, c.queueHead);
      c.queueHead = 0;
    }
  };

  const sink: Sink = {
    answer(c, id, status, code, nowMs) {
      answered++;
      if (inWindow) answeredInWindow++;
      c.inFlight--;
      if (status === 200) ok++;
      else {
        const k = `${status}:${code}`;
        statuses.set(k, (statuses.get(k) ?? 0) + 1);
      }
      if (id >= 0 && id < N) hist.recordValue(Math.max(1, Math.round((nowMs - startOf[id]!) * 1000)));
    },
    control(c, opcode, payload) {
      if (opcode === 0x9) c.socket.write(clientFrame(0xa, payload));
      else if (opcode === 0x8) {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 0;
        const k = `closed:${code}`;
        statuses.set(k, (statuses.get(k) ?? 0) + 1);
        c.socket.end(clientFrame(0x8, payload.subarray(0, 2)));
      }
    },
  };

  for (let n = 0; n < conns.length; n++) {
    const c = conns[n]!;
    const rest = opened[n]!.rest;
    const gone = (): void => {
      if (!c.alive) return;
      c.alive = false;
      if (running) lost++;
    };
    c.socket.on('close', gone);
    c.socket.on('error', gone);
    c.socket.on('data', (chunk: Buffer) => {
      const nowMs = performance.now();
      parse(c, chunk, sink, nowMs);
      if (open) drainQueue(c);
      else topUp(c, nowMs);
    });
    if (rest.length > 0) parse(c, rest, sink, performance.now());
  }

  onStart?.();
  const cpu0 = process.cpuUsage();
  const startMs = performance.now();
  const windowMs = o.durationSec * 1000;
  let scheduled = 0;
  if (!open) {
    for (const c of conns) topUp(c, startMs);
    await new Promise((r) => setTimeout(r, windowMs));
  } else {
    const rate = o.ratePerSec!;
    const total = Math.round(rate * o.durationSec);
    const touched = new Set<Conn>();
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const now = performance.now();
        const due = Math.min(total, Math.floor(((now - startMs) * rate) / 1000) + 1);
        for (; scheduled < due; scheduled++) {
          const c = conns[Math.floor(scheduled / OPEN_LOOP_BLOCK) % conns.length]!;
          startOf[scheduled % N] = startMs + (scheduled * 1000) / rate;
          c.queue.push(scheduled);
          touched.add(c);
        }
        for (const c of touched) drainQueue(c);
        touched.clear();
        if (scheduled >= total) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
  }
  const windowEnd = performance.now();
  inWindow = false;
  running = false;
  const backlogAtEnd = conns.reduce((a, c) => a + c.queue.length - c.queueHead, 0);
  const inFlightNow = (): number => conns.reduce((a, c) => a + (c.alive ? c.inFlight : 0), 0);
  const drainUntil = performance.now() + (o.drainMs ?? 3000);
  while ((inFlightNow() > 0 || conns.some((c) => c.alive && c.queueHead < c.queue.length)) && performance.now() < drainUntil) {
    await new Promise((r) => setTimeout(r, 5));
  }
  running = false;
  const cpu = process.cpuUsage(cpu0);
  for (const c of conns) c.socket.destroy();
  const unanswered = sent - answered + conns.reduce((a, c) => a + c.queue.length - c.queueHead, 0);
  if (unanswered > 0) statuses.set('unanswered', unanswered);
  const windowSec = open ? Math.max(o.durationSec, (windowEnd - startMs) / 1000) : (windowEnd - startMs) / 1000;
  return {
    mode: open ? 'open' : 'closed', connections: o.connections, inFlight: o.inFlight, offeredPerSec: o.ratePerSec ?? null,
    sent, answered, achievedPerSec: Math.round((open ? answered : answeredInWindow) / windowSec), durationSec: Math.round(windowSec * 100) / 100,
    statuses: { ...(ok > 0 ? { 200: ok } : {}), ...Object.fromEntries(statuses) },
    latencyUs: { p50: hist.getValueAtPercentile(50), p95: hist.getValueAtPercentile(95), p99: hist.getValueAtPercentile(99), p999: hist.getValueAtPercentile(99.9), max: hist.maxValue },
    cpuMs: Math.round((cpu.user + cpu.system) / 1000), cpuSysMs: Math.round(cpu.system / 1000), buildMs, frames: N, frameBytes: buf.length,
    replayed: Math.max(0, (open ? scheduled : cursor) - N), backlogAtEnd, connectionsLost: lost,
  };
}

// ---------------------------------------------------------------- the orchestrator's side

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WORKER = path.join(HERE, 'ws-blast-worker.ts');

export type WorkerMessage = { type: 'started' } | { type: 'result'; result: BlastResult } | { type: 'error'; message: string };

/**
 * Runs the blast in a child process. `onStart` fires when its send window opens (to snapshot
 * the target's CPU); `childCpuMs` is the child's CPU from /proc over the same span.
 */
export async function runWsBlast(o: BlastOptions, onStart?: () => void): Promise<BlastResult & { childCpuMs: number; wallMs: number }> {
  const child = fork(WORKER, [], { cwd: path.resolve(HERE, '../..'), execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let cpu0 = 0;
  let wall0 = 0;
  try {
    const result = await new Promise<BlastResult>((resolve, reject) => {
      child.on('message', (m: WorkerMessage) => {
        if (m.type === 'started') {
          cpu0 = cpuMsOf(child.pid!);
          wall0 = Date.now();
          onStart?.();
        } else if (m.type === 'result') resolve(m.result);
        else reject(new Error(`ws-blast worker: ${m.message}`));
      });
      child.on('exit', (code) => reject(new Error(`ws-blast worker exited (${code}) without a result`)));
      child.on('error', reject);
      child.send(o);
    });
    return { ...result, childCpuMs: cpuMsOf(child.pid!) - cpu0, wallMs: Date.now() - wall0 };
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
}

// ---------------------------------------------------------------- CLI

async function cli(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (name: string, dflt?: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i < 0 ? dflt : argv[i + 1];
  };
  const host = arg('host', '127.0.0.1')!;
  const port = Number(arg('port'));
  if (!Number.isInteger(port) || port <= 0) throw new Error('--port is required');
  const connections = Number(arg('conns', '32'));
  const inFlight = Number(arg('inflight', '64'));
  const durationSec = Number(arg('seconds', '5'));
  const rate = arg('rate');
  const userCount = Number(arg('users', '200'));
  let users: Credentials[];
  let pairs: PairSpec[];
  if (argv.includes('--noop')) {
    users = Array.from({ length: userCount }, () => ({ apiKey: randomBytes(32).toString('hex'), secretKey: randomBytes(32).toString('hex') }));
    pairs = [{ symbol: 'BTCUSDT', price: '65000.00', quantities: ['0.00016', '0.00032', '0.00048'] }];
  } else {
    const client = new MatchboxClient(`http://${host}:${port}`, { maxSockets: 16 });
    pairs = pairSpecs(await loadMarkets(client));
    users = await createUsers(client, userCount);
    client.close();
  }
  const frames = Number(arg('frames', String(rate === undefined ? 400_000 : Math.ceil(Number(rate) * durationSec))));
  // --server-pid: also report that process's CPU over the send window (% of one core).
  const serverPid = arg('server-pid');
  let server0 = 0;
  const r = await runWsBlast({
    host, port, connections, inFlight, durationSec, frames, users, pairs, tag: `b${randomBytes(3).toString('hex')}-`,
    ...(rate === undefined ? {} : { ratePerSec: Number(rate) }),
  }, () => { if (serverPid !== undefined) server0 = cpuMsOf(Number(serverPid)); });
  const serverCpuPct = serverPid === undefined ? undefined : Math.round(((cpuMsOf(Number(serverPid)) - server0) / r.wallMs) * 100);
  console.log(JSON.stringify({ ...r, generatorCpuPct: Math.round((r.childCpuMs / r.wallMs) * 100), serverCpuPct }));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  cli().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
