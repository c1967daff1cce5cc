/**
 * `npm run bench:e2e:quick` — one mode, one generator, about half a minute: for A/B runs of a
 * change (run it on the old commit and the new one back to back; this machine drifts over hours).
 *
 *   npm run bench:e2e:quick [-- --ws] [-- --redis-pg] [-- --seconds N] [-- --profile] [-- --keep-profile DIR (implies --profile)]
 *
 * Starts the server as `npm start` does (history store on unless HISTORY_STORE=0 is set), creates
 * 400 users, then runs wrk (1 thread, 256 connections, pre-signed crossing pairs) or, with --ws,
 * ws-blast (32 connections × 64 in flight). Prints orders/s and the server's CPU per order (all threads, and its main thread alone); with
 * --profile also the server's top self time (V8 --cpu-prof). Last line: one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MatchboxClient } from '@matchbox/client';
import { freePort, PrivateRedis } from '@matchbox/log';
import pg from 'pg';
import { cpuMsOf, startServerProcess } from './processes.ts';
import { topSelfTime } from './profile.ts';
import { printProfile } from './report.ts';
import { createUsers, loadMarkets, pairSpecs, presignedPairs } from './workload.ts';
import { runWrk, writeLuaScript } from './wrk.ts';
import { runWsBlast } from './ws-blast.ts';

const argv = process.argv.slice(2);
const ws = argv.includes('--ws');
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
    if (ws) {
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
  console.log(`${mode}, ${String(result.generator)}, ${seconds} s: ${String(result.ordersPerSec)} orders/s, server ${String(result.serverCpuPct)}% of a core, ${String(result.serverUsPerOrder)} µs of server CPU per order (${String(result.mainThreadUsPerOrder)} µs on its main thread)`);
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
