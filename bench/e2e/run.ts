/**
 * bench:e2e — signed orders end to end through the HTTP gateway, durable before the answer.
 *
 * Workload: 400 users (dev faucet), BTCUSDT/ETHUSDT/SOLUSDT around fixed mids; open loop at
 * 1,000 / 5,000 / 10,000 orders/s offered (≈45% limit orders that rest, ≈15% IOC orders that
 * cross and trade, ≈40% cancels), latency from the intended send time; then wrk (1 thread,
 * 64 and 256 keep-alive connections, pre-signed crossing limit-order pairs, recvWindow 60 s) for the most
 * orders/s. WS API: the same mixed open loop (live-signed, 5k and 20k/s), then ws-blast
 * (ws-blast.ts: wrk's method over /ws-api/v3 — pre-signed, pre-masked crossing pairs, closed
 * loop, 32 connections × 64 in flight, its own process) for the most orders/s. Peer: a no-op Node http server driven by the same generators in the same run (their
 * ceiling and latency floor on this machine). Modes: embedded (file journal, fsync) and
 * Redis (private redis-server, AOF always) + PostgreSQL (database `test`, fresh schema).
 *
 *   npm run bench:e2e [-- --profile] [-- --skip-redis-pg]
 *
 * Prints a table, then one JSON line. Bounded: about 3–4 minutes (+~40 s with --profile).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { MatchboxClient, WsApiClient } from '@matchbox/client';
import { PrivateRedis, freePort } from '@matchbox/log';
import { bucketQuantileMs, orderLatencyBuckets } from './gateway-metrics.ts';
import { runOpenLoop, type OpenLoopResult } from './open-loop.ts';
import { topSelfTime, type ProfileSummary } from './profile.ts';
import { openConnections } from './raw-http.ts';
import { openWsConnections, runWsOpenLoop } from './ws-open-loop.ts';
import { runWsBlast } from './ws-blast.ts';
import { Child, cpuMsOf, cpuProbeOfAll, startNoopServer, startServerProcess } from './processes.ts';
import { OrderStream, createUsers, loadMarkets, pairSpecs, presignedPairs, type BenchUser, type Market } from './workload.ts';
import { runWrk, writeLuaScript, type WrkResult } from './wrk.ts';
import { printProfile, printReport, type ModeReport, type Row } from './report.ts';

const RATES = [1000, 5000, 10_000];
const PHASE_SEC = 5;
const WARMUP_SEC = 2;
const WRK_SEC = 8;
const USERS = 400;
const OPEN_LOOP_CONNECTIONS = 128;
/** Group commit batches what is in flight: more connections, larger batches (and longer waits). */
const WRK_CONNECTIONS = [64, 256];
const PRESIGNED = 20_000;
const PG_URL = process.env.MATCHBOX_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const SERVER_LIMITS = { RATE_LIMIT_WEIGHT_PER_MINUTE: '10000000', RATE_LIMIT_ORDERS_PER_10S: '10000000' };
const EXPECTED = new Set(['rest:200', 'cross:200', 'cancel:200', 'cancel:400']);

const args = new Set(process.argv.slice(2));
type CpuProbe = Record<string, () => number>;

interface Target {
  readonly label: string;
  readonly port: number;
  readonly probes: CpuProbe;
  /** The gateway's /metrics (absent for the peer). */
  readonly metrics: boolean;
  readonly expected: (k: string) => boolean;
  /** Serves /ws-api/v3 (measured with the WS open loop and ws-blast too). */
  readonly ws: boolean;
  /** The no-op peer (it ignores what it is sent). */
  readonly noop?: boolean;
}

function cpuDelta(probes: CpuProbe, before: Record<string, number>, wallMs: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, f] of Object.entries(probes)) out[k] = Math.round(((f() - before[k]!) / wallMs) * 100);
  return out;
}

const snapshot = (probes: CpuProbe): Record<string, number> => Object.fromEntries(Object.entries(probes).map(([k, f]) => [k, f()]));

async function openLoopRow(t: Target, stream: OrderStream, rate: number, seconds: number): Promise<Row> {
  const conns = await openConnections('127.0.0.1', t.port, OPEN_LOOP_CONNECTIONS);
  const base = `http://127.0.0.1:${t.port}`;
  const gwBefore = t.metrics ? await orderLatencyBuckets(base) : undefined;
  const cpu0 = snapshot(t.probes);
  const wall0 = Date.now();
  const r: OpenLoopResult = await runOpenLoop({ ratePerSec: rate, durationSec: seconds, connections: conns, next: (i) => stream.next(i) });
  const wallMs = Date.now() - wall0;
  const cpu = cpuDelta(t.probes, cpu0, wallMs);
  cpu.generator = Math.round((r.generatorCpuMs / wallMs) * 100);
  const gwAfter = t.metrics ? await orderLatencyBuckets(base) : undefined;
  for (const c of conns) c.close();
  // Not answered within the drain (or cut off when the connections closed after it): overload, counted apart from error answers.
  const lost = (k: string): boolean => k.endsWith(':0');
  const errors = Object.entries(r.outcomes).filter(([k]) => !lost(k) && !t.expected(k)).reduce((s, [, n]) => s + n, 0);
  const unanswered = Object.entries(r.outcomes).filter(([k]) => lost(k)).reduce((s, [, n]) => s + n, 0);
  return {
    target: t.label, load: `open ${rate}/s`, offered: rate, achieved: r.achievedPerSec,
    p50: r.latencyUs.p50 / 1000, p95: r.latencyUs.p95 / 1000, p99: r.latencyUs.p99 / 1000, p999: r.latencyUs.p999 / 1000,
    errors, unanswered, outcomes: r.outcomes, cpu,
    gatewayP50: bucketQuantileMs(gwBefore, gwAfter, 0.5), gatewayP99: bucketQuantileMs(gwBefore, gwAfter, 0.99),
  };
}

const WS_RATES = [5000, 20_000];
const WS_CONNECTIONS = 64;

async function wsRow(t: Target, stream: OrderStream, rate: number): Promise<Row> {
  const sockets = await openWsConnections(`ws://127.0.0.1:${t.port}/ws-api/v3`, WS_CONNECTIONS);
  const cpu0 = snapshot(t.probes);
  const wall0 = Date.now();
  const r = await runWsOpenLoop({ ratePerSec: rate, durationSec: 5, sockets, next: (i, id) => stream.nextWs(i, id), drainMs: 5000 });
  const wallMs = Date.now() - wall0;
  const cpu = cpuDelta(t.probes, cpu0, wallMs);
  cpu.generator = Math.round((r.generatorCpuMs / wallMs) * 100);
  for (const s of sockets) s.terminate();
  const lost = (k: string): boolean => k.endsWith(':0');
  return {
    target: t.label, load: `ws-api ${rate}/s`, offered: null, wsOffered: rate, achieved: r.achievedPerSec,
    p50: r.latencyUs.p50 / 1000, p95: r.latencyUs.p95 / 1000, p99: r.latencyUs.p99 / 1000, p999: r.latencyUs.p999 / 1000,
    errors: Object.entries(r.outcomes).filter(([k]) => !lost(k) && !t.expected(k)).reduce((a, [, n]) => a + n, 0),
    unanswered: Object.entries(r.outcomes).filter(([k]) => lost(k)).reduce((a, [, n]) => a + n, 0),
    outcomes: r.outcomes, cpu, gatewayP50: null, gatewayP99: null,
  };
}

/** ws-blast: connections × requests in flight each (the server refuses more than 64 per connection). */
const BLAST = { connections: 32, inFlight: 64, seconds: 5 };
/** Distinct pre-built orders per blast (~0.4 kB each, ~5 µs each to sign): enough for 50k/s × 5 s; past them the stream replays. */
const BLAST_FRAMES = 250_000;

async function blastRow(t: Target, users: readonly BenchUser[], markets: readonly Market[]): Promise<Row> {
  let cpu0 = snapshot(t.probes);
  let wall0 = Date.now();
  const r = await runWsBlast({
    host: '127.0.0.1', port: t.port, connections: BLAST.connections, inFlight: BLAST.inFlight, durationSec: BLAST.seconds,
    // The no-op peer ignores what it is sent: fewer distinct frames (replayed) spare the build time.
    frames: t.noop === true ? 100_000 : BLAST_FRAMES, users, pairs: pairSpecs(markets), tag: `x${randomBytes(3).toString('hex')}-`,
  }, () => {
    cpu0 = snapshot(t.probes);
    wall0 = Date.now();
  });
  const wallMs = Date.now() - wall0;
  const cpu = cpuDelta(t.probes, cpu0, wallMs);
  cpu.generator = Math.round((r.childCpuMs / wallMs) * 100);
  const unanswered = r.statuses.unanswered ?? 0;
  return {
    target: t.label, load: `ws-blast ${r.connections}×${r.inFlight}`, offered: null, wsBlast: { connections: r.connections, inFlight: r.inFlight, replayed: r.replayed },
    achieved: r.achievedPerSec, p50: r.latencyUs.p50 / 1000, p95: r.latencyUs.p95 / 1000, p99: r.latencyUs.p99 / 1000, p999: r.latencyUs.p999 / 1000,
    errors: Object.entries(r.statuses).filter(([k]) => k !== '200' && k !== 'unanswered').reduce((a, [, n]) => a + n, 0),
    unanswered, outcomes: r.connectionsLost > 0 ? { ...r.statuses, connectionsLost: r.connectionsLost } : r.statuses, cpu, gatewayP50: null, gatewayP99: null,
  };
}

async function wrkRow(t: Target, script: string, connections: number): Promise<Row & { wrk: WrkResult }> {
  const cpu0 = snapshot(t.probes);
  const wall0 = Date.now();
  const w = await runWrk(`http://127.0.0.1:${t.port}`, script, connections, WRK_SEC);
  const wallMs = Date.now() - wall0;
  const cpu = cpuDelta(t.probes, cpu0, wallMs);
  cpu.wrk = Math.round((w.cpuMs / wallMs) * 100);
  return {
    target: t.label, load: `wrk ${connections} conns`, offered: null, achieved: w.requestsPerSec,
    p50: w.latencyMs.p50, p95: null, p99: w.latencyMs.p99, p999: null, errors: w.non2xx, unanswered: 0, outcomes: { non2xx: w.non2xx }, cpu,
    gatewayP50: null, gatewayP99: null, wrk: w,
  };
}

/** Open loop at every rate, then wrk, against one target. `fresh` makes a new order stream per phase. */
async function measure(t: Target, fresh: (tag: string) => OrderStream, script: string, warmup: boolean, users: readonly BenchUser[], markets: readonly Market[]): Promise<Row[]> {
  if (warmup) {
    const w = fresh('w');
    const conns = await openConnections('127.0.0.1', t.port, 32);
    await runOpenLoop({ ratePerSec: 1000, durationSec: WARMUP_SEC, connections: conns, next: (i) => w.next(i) });
    for (const c of conns) c.close();
  }
  const rows: Row[] = [];
  for (const rate of RATES) {
    rows.push(await openLoopRow(t, fresh(`r${rate}-`), rate, PHASE_SEC));
    process.stderr.write(`  ${t.label} ${rate}/s: p99 ${rows[rows.length - 1]!.p99?.toFixed(2)} ms\n`);
  }
  for (const conns of WRK_CONNECTIONS) {
    rows.push(await wrkRow(t, script, conns));
    process.stderr.write(`  ${t.label} wrk ${conns} conns: ${rows[rows.length - 1]!.achieved}/s\n`);
  }
  if (t.ws) {
    for (const rate of WS_RATES) {
      rows.push(await wsRow(t, fresh(`ws${rate}-`), rate));
      process.stderr.write(`  ${t.label} ws-api ${rate}/s: ${rows[rows.length - 1]!.achieved}/s, p99 ${rows[rows.length - 1]!.p99?.toFixed(2)} ms\n`);
    }
    const b = await blastRow(t, users, markets);
    rows.push(b);
    process.stderr.write(`  ${t.label} ${b.load}: ${b.achieved}/s (generator ${b.cpu.generator}% of a core), errors ${b.errors}\n`);
  }
  return rows;
}

async function wsApiAvailable(port: number): Promise<string> {
  try {
    const c = await WsApiClient.connect(`http://127.0.0.1:${port}`, { timeoutMs: 2000 });
    const pong = await c.request('ping').then(() => true, () => false);
    await c.close();
    return pong ? 'available' : 'connects but does not answer';
  } catch (err) {
    return `not available: ${(err as Error).message}`;
  }
}

interface Prepared {
  readonly users: BenchUser[];
  readonly markets: Market[];
  readonly script: string;
}

async function prepare(port: number, workDir: string): Promise<Prepared> {
  process.stderr.write(`  server up; creating ${USERS} users…\n`);
  const client = new MatchboxClient(`http://127.0.0.1:${port}`, { maxSockets: 16 });
  const markets = await loadMarkets(client);
  const users = await createUsers(client, USERS);
  client.close();
  const script = writeLuaScript(workDir, presignedPairs(`127.0.0.1:${port}`, users, markets, PRESIGNED));
  return { users, markets, script };
}

const streamFor = (port: number, p: Prepared, seed: number) => (tag: string): OrderStream =>
  new OrderStream(`127.0.0.1:${port}`, p.users, p.markets, seed, `${tag}${randomBytes(3).toString('hex')}-`);

async function embeddedMode(workDir: string): Promise<{ mode: ModeReport; prepared: Prepared; port: number }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mbx-e2e-'));
  const port = await freePort();
  const server = await startServerProcess(port, { DATA_DIR: dataDir, ...SERVER_LIMITS });
  try {
    const prepared = await prepare(port, workDir);
    const ws = await wsApiAvailable(port);
    const t: Target = { label: 'matchbox', port, probes: { server: () => cpuMsOf(server.pid) }, metrics: true, expected: (k) => EXPECTED.has(k), ws: ws.startsWith('available') };
    const rows = await measure(t, streamFor(port, prepared, 1), prepared.script, true, prepared.users, prepared.markets);
    return { mode: { name: 'embedded (file journal + fsync)', rows, wsApi: ws }, prepared, port };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function peerMode(prepared: Prepared, workDir: string): Promise<ModeReport> {
  const noop = await startNoopServer();
  try {
    // Same signed bytes as for Matchbox (the peer ignores them): the generator's cost is the same.
    const users = prepared.users.map((u) => ({ ...u, resting: new Map<string, string[]>() }));
    const p = { ...prepared, users };
    const script = writeLuaScript(workDir, presignedPairs(`127.0.0.1:${noop.port}`, users, prepared.markets, PRESIGNED));
    const t: Target = { label: 'no-op node http', port: noop.port, probes: { server: () => cpuMsOf(noop.child.pid) }, metrics: false, expected: (k) => k.endsWith(':200'), ws: true, noop: true };
    return { name: 'peer: no-op Node http server', rows: await measure(t, streamFor(noop.port, p, 1), script, true, users, prepared.markets), wsApi: 'n/a' };
  } finally {
    await noop.child.stop();
  }
}

async function redisPgMode(workDir: string): Promise<ModeReport> {
  const id = randomBytes(5).toString('hex');
  const schema = `mbx_e2e_${id}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch (err) {
    return { name: 'Redis (AOF always) + PostgreSQL', rows: [], wsApi: 'n/a', skipped: `PostgreSQL at ${PG_URL} unreachable: ${(err as Error).message}` };
  }
  await admin.query(`CREATE SCHEMA ${schema}`);
  const redisDir = mkdtempSync(path.join(tmpdir(), 'mbx-e2e-redis-'));
  const redis = new PrivateRedis(await freePort(), redisDir);
  let server: Child | undefined;
  try {
    await redis.start();
    const probe = new Redis({ port: redis.port, host: '127.0.0.1' });
    const redisPid = Number(/process_id:(\d+)/.exec(await probe.info('server'))?.[1] ?? 0);
    probe.disconnect();
    const port = await freePort();
    server = await startServerProcess(port, {
      REDIS_URL: `redis://127.0.0.1:${redis.port}`, REDIS_PREFIX: `mbx-e2e-${id}`, DEV_FAUCET: '1',
      DATABASE_URL: `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      SERVER_KEY: randomBytes(32).toString('hex'), DATA_DIR: redisDir, ...SERVER_LIMITS,
    });
    const srv = server;
    const prepared = await prepare(port, workDir);
    const ws = await wsApiAvailable(port);
    const t: Target = {
      label: 'matchbox', port, metrics: true, expected: (k) => EXPECTED.has(k), ws: ws.startsWith('available'),
      probes: { server: () => cpuMsOf(srv.pid), redis: () => cpuMsOf(redisPid), postgres: cpuProbeOfAll('postgres') },
    };
    return { name: 'Redis (AOF always) + PostgreSQL', rows: await measure(t, streamFor(port, prepared, 1), prepared.script, true, prepared.users, prepared.markets), wsApi: ws };
  } finally {
    await server?.stop();
    await redis.stop('SIGTERM');
    rmSync(redisDir, { recursive: true, force: true });
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

/** The server under --cpu-prof through the heaviest stage (10,000/s open loop, then wrk); top self time. */
async function profileEmbedded(workDir: string): Promise<ProfileSummary> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mbx-e2e-prof-'));
  const profDir = path.join(workDir, 'cpuprofile');
  const port = await freePort();
  const server = await startServerProcess(port, { DATA_DIR: dataDir, ...SERVER_LIMITS }, ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
  try {
    const prepared = await prepare(port, workDir);
    const conns = await openConnections('127.0.0.1', port, OPEN_LOOP_CONNECTIONS);
    const stream = streamFor(port, prepared, 2)('p');
    await runOpenLoop({ ratePerSec: 10_000, durationSec: PHASE_SEC, connections: conns, next: (i) => stream.next(i) });
    for (const c of conns) c.close();
    await runWrk(`http://127.0.0.1:${port}`, prepared.script, 256, WRK_SEC);
  } finally {
    await server.stop(60_000);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return topSelfTime(profDir);
}

async function main(): Promise<void> {
  const started = Date.now();
  const workDir = mkdtempSync(path.join(tmpdir(), 'mbx-e2e-work-'));
  try {
    if (args.has('--profile-only')) {
      printProfile(await profileEmbedded(workDir));
      return;
    }
    process.stderr.write('embedded mode…\n');
    const embedded = await embeddedMode(workDir);
    process.stderr.write('peer (no-op server)…\n');
    const peer = await peerMode(embedded.prepared, workDir);
    const modes = [embedded.mode];
    if (!args.has('--skip-redis-pg')) {
      process.stderr.write('Redis + PostgreSQL mode…\n');
      modes.push(await redisPgMode(workDir));
    }
    let profile: ProfileSummary | undefined;
    if (args.has('--profile')) {
      process.stderr.write('profiling the embedded server…\n');
      profile = await profileEmbedded(workDir);
    }
    printReport(modes, peer, profile, Math.round((Date.now() - started) / 1000));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
