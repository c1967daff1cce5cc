/**
 * `npm run bench:e2e:quick` — one mode, one generator, about half a minute: for A/B runs of a
 * change (run it on the old commit and the new one back to back; this machine drifts over hours).
 *
 *   npm run bench:e2e:quick [-- --ws | --open RATE] [-- --redis-pg] [-- --seconds N] [-- --profile] [-- --keep-profile DIR (implies --profile)]
 *
 * Starts the server as `npm start` does (history store on unless HISTORY_STORE=0 is set), creates
 * 400 users, then runs wrk (1 thread, 256 connections, pre-signed crossing pairs) or, with --ws,
 * ws-blast (32 connections × 64 in flight), or, with --open RATE, the mixed open loop at RATE orders/s
 * over 128 connections (latency percentiles from the intended send time, the gateway's own p99 and
 * the server's event-loop lag over the run). Prints orders/s and the server's CPU per order (all threads, and its main thread alone); with
 * --profile also the server's top self time (V8 --cpu-prof). Last line: one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MatchboxClient } from '@matchbox/client';
import { freePort, PrivateRedis } from '@matchbox/log';
import pg from 'pg';
import { bucketQuantileMs, eventLoopLag, orderLatencyBuckets } from './gateway-metrics.ts';
import { runOpenLoop } from './open-loop.ts';
import { cpuMsOf, startServerProcess } from './processes.ts';
import { topSelfTime } from './profile.ts';
import { printProfile } from './report.ts';
import { openConnections } from './raw-http.ts';
import { OrderStream, createUsers, loadMarkets, pairSpecs, presignedPairs } from './workload.ts';
import { runWrk, writeLuaScript } from './wrk.ts';
import { runWsBlast } from './ws-blast.ts';

const argv = process.argv.slice(2);
const ws = argv.includes('--ws');
const openIndex = argv.indexOf('--open');
/** Offered orders/s of the open loop (--open RATE), or undefined for wrk / ws-blast. */
const openRate = openIndex >= 0 ? Number(argv[openIndex + 1]) : undefined;
if (openRate !== undefined && !(openRate >= 1 && openRate <= 100_000)) throw new Error('--open RATE must be 1..100000');
const redisPg = argv.includes('--redis-pg');
const profile = argv.includes('--profile') || argv.includes('--keep-profile');
const secIndex = argv.indexOf('--seconds');
const seconds = secIndex >= 0 ? Number(argv[secIndex + 1]) : 8;
const keepIndex = argv.indexOf('--keep-profile');
/** Where to copy the .cpuprofile files (every thread's) for a closer look, e.g. in Chrome DevTools. */
const keepProfile = keepIndex >= 0 ? argv[keepIndex + 1] : undefined;
if (!(seconds >= 1 && seconds <= 120)) throw new Error('--seconds must be 1..120');
const PG_URL = process.env.MATCHBOX_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const LIMITS = { RATE_LIMIT_WEIGHT_PER_MINUTE: '10000000', RATE_LIMIT_ORDERS_PER_10S: '10000000' };

/** The server's CPU (all threads, and its main thread) from `restart()` on, per order. */
function cpuMeter(pid: number) {
  let cpu0 = 0;
  let main0 = 0;
  let wall0 = 0;
  const restart = (): void => {
    cpu0 = cpuMsOf(pid);
    main0 = cpuMsOf(pid, pid);
    wall0 = Date.now();
  };
  restart();
  return {
    restart,
    read(ordersOf: (wallMs: number) => number): { serverCpuPct: number; serverUsPerOrder: number; mainThreadUsPerOrder: number } {
      const wallMs = Date.now() - wall0;
      const cpuMs = cpuMsOf(pid) - cpu0;
      const orders = Math.max(1, ordersOf(wallMs));
      return {
        serverCpuPct: Math.round((cpuMs / wallMs) * 100),
        serverUsPerOrder: Math.round((cpuMs * 1000) / orders),
        mainThreadUsPerOrder: Math.round(((cpuMsOf(pid, pid) - main0) * 1000) / orders),
      };
    },
  };
}

const work = mkdtempSync(path.join(tmpdir(), 'mbx-quick-'));
const id = randomBytes(4).toString('hex');
let redis: PrivateRedis | undefined;
let admin: pg.Client | undefined;
const env: Record<string, string> = { DATA_DIR: path.join(work, 'data'), ...LIMITS };
try {
  if (redisPg) {
    admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA mbx_quick_${id}`);
    redis = new PrivateRedis(await freePort(), work); // appendfsync always, as in bench:e2e
    await redis.start();
    Object.assign(env, {
      REDIS_URL: `redis://127.0.0.1:${redis.port}`, REDIS_PREFIX: `mbx-quick-${id}`, DEV_FAUCET: '1', SERVER_KEY: randomBytes(32).toString('hex'),
      DATABASE_URL: `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=mbx_quick_${id}`)}`,
    });
  }
  const profDir = path.join(work, 'cpuprofile');
  const port = await freePort();
  const server = await startServerProcess(port, env, profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []);
  let result: Record<string, unknown>;
  try {
    const client = new MatchboxClient(`http://127.0.0.1:${port}`, { maxSockets: 16 });
    const markets = await loadMarkets(client);
    const users = await createUsers(client, 400);
    client.close();
    const meter = cpuMeter(server.pid);
    if (openRate !== undefined) {
      const base = `http://127.0.0.1:${port}`;
      const stream = new OrderStream(`127.0.0.1:${port}`, users, markets, 1, `q${randomBytes(3).toString('hex')}-`);
      const conns = await openConnections('127.0.0.1', port, 128);
      await runOpenLoop({ ratePerSec: Math.min(openRate, 1000), durationSec: 2, connections: conns, next: (i) => stream.next(i + 10_000_000) });
      const gw0 = await orderLatencyBuckets(base);
      await eventLoopLag(base); // prom-client resets its event-loop histogram on each scrape: the next one covers the run
      meter.restart();
      const r = await runOpenLoop({ ratePerSec: openRate, durationSec: seconds, connections: conns, next: (i) => stream.next(i) });
      const cpu = meter.read(() => r.completed);
      const generatorCpuPct = Math.round((r.generatorCpuMs / (r.durationSec * 1000)) * 100);
      const lag = await eventLoopLag(base);
      const gw1 = await orderLatencyBuckets(base);
      for (const c of conns) c.close();
      const ms = (us: number): number => Math.round(us / 10) / 100;
      result = {
        generator: `open loop ${openRate}/s`, ordersPerSec: r.achievedPerSec, outcomes: r.outcomes,
        latencyMs: { p50: ms(r.latencyUs.p50), p95: ms(r.latencyUs.p95), p99: ms(r.latencyUs.p99), p999: ms(r.latencyUs.p999), max: ms(r.latencyUs.max) },
        gatewayP99Ms: bucketQuantileMs(gw0, gw1, 0.99), eventLoopLagMs: lag, generatorCpuPct, ...cpu,
      };
    } else if (ws) {
      const r = await runWsBlast({
        host: '127.0.0.1', port, connections: 32, inFlight: 64, durationSec: seconds, frames: 250_000,
        users, pairs: pairSpecs(markets), tag: `q${randomBytes(3).toString('hex')}-`,
      }, () => meter.restart());
      result = { generator: 'ws-blast 32×64', ordersPerSec: r.achievedPerSec, statuses: r.statuses, ...meter.read((wallMs) => (r.achievedPerSec * wallMs) / 1000) };
    } else {
      const script = writeLuaScript(work, presignedPairs(`127.0.0.1:${port}`, users, markets, 20_000));
      meter.restart();
      const r = await runWrk(`http://127.0.0.1:${port}`, script, 256, seconds);
      result = { generator: 'wrk 256 conns', ordersPerSec: r.requestsPerSec, non2xx: r.non2xx, socketErrors: r.socketErrors, ...meter.read(() => r.requests) };
    }
  } finally {
    await server.stop(60_000);
  }
  const mode = redisPg ? 'Redis (AOF always) + PostgreSQL' : process.env.HISTORY_STORE === '0' ? 'embedded, history store off' : 'embedded (default)';
  const latency = result.latencyMs === undefined ? '' : ` (latency ms ${JSON.stringify(result.latencyMs)}, gateway p99 ≤ ${String(result.gatewayP99Ms)} ms, event-loop lag ms ${JSON.stringify(result.eventLoopLagMs)}, generator ${String(result.generatorCpuPct)}% of a core)`;
  console.log(`${mode}, ${String(result.generator)}, ${seconds} s: ${String(result.ordersPerSec)} orders/s${latency}, server ${String(result.serverCpuPct)}% of a core, ${String(result.serverUsPerOrder)} µs of server CPU per order (${String(result.mainThreadUsPerOrder)} µs on its main thread)`);
  const prof = profile ? topSelfTime(profDir) : undefined;
  if (profile && keepProfile !== undefined) {
    cpSync(profDir, keepProfile, { recursive: true });
    console.log(`profiles kept in ${keepProfile}`);
  }
  if (prof) printProfile(prof, `${mode}, users created, then ${String(result.generator)}`);
  console.log(JSON.stringify({ bench: 'e2e:quick', mode, seconds, ...result, profileTop: prof?.functions.slice(0, 10) ?? null }));
} finally {
  await redis?.stop('SIGTERM');
  if (admin) {
    await admin.query(`DROP SCHEMA IF EXISTS mbx_quick_${id} CASCADE`);
    await admin.end();
  }
  rmSync(work, { recursive: true, force: true });
}
