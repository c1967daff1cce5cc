import Fastify from 'fastify';
import type { Logger } from 'pino';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { RedisStreamLog, matchboxEngineCodec, recover } from '@matchbox/log';
import { EventLogFollower, attachWebSocketServer, createMarketDataHub, type DepthSnapshot } from '@matchbox/stream';
import type { Config } from '../config.ts';
import { openPgSnapshots } from '../core/exchange.ts';

/** What `runFanout` returns (the shape of `RunningRole` in ./index.ts, which imports this file). */
export interface RunningFanout {
  readonly role: 'fanout';
  readonly url: string;
  readonly failed: Promise<Error>;
  close(): Promise<void>;
}

/**
 * ROLE=fanout (any number): market-data WebSockets (`/ws`, `/stream`) fed from the Redis event log.
 *
 *   boot: newest snapshot + command log ─► replica engine at seq S ─► seeds the hub's level books
 *   then: <prefix>:events:log ──EventLogFollower (after S)──► MarketDataHub ──► clients
 *
 * The engine is only used to seed the books at S and is dropped; from then on the hub sees every
 * command's events in seq order, exactly like the embedded hub, so diff depth stays gap-free
 * (U = previous u + 1). No user data streams and no WS API here: those need API secrets and the
 * gateway's order path, so they stay on the gateways (ROLE=all serves them on its own port).
 * A follower failure (log trimmed past it, undecodable entry, Redis gone for good) stops the
 * process (exit 1) to be restarted; it then seeds itself again from a newer snapshot.
 */
export async function runFanout(config: Config, logger: Logger): Promise<RunningFanout> {
  if (config.storage.kind !== 'redis-pg') throw new Error('ROLE=fanout needs REDIS_URL and DATABASE_URL');
  const s = config.storage;
  const commandLog = await RedisStreamLog.open({ redis: s.redisUrl, prefix: `${s.prefix}:commands`, logger });
  let eventLog: RedisStreamLog | undefined;
  let seed: Map<string, DepthSnapshot>;
  let seq: number;
  try {
    eventLog = await RedisStreamLog.open({ redis: s.redisUrl, prefix: `${s.prefix}:events`, logger });
    const snapshots = await openPgSnapshots(s);
    try {
      // Where both logs end (they are written together), so the seed and the follower meet at one seq.
      const toSeq = Math.min(await commandLog.lastSeq(), await eventLog.lastSeq());
      const { engine } = await recover({ commandLog, snapshots, codec: matchboxEngineCodec(config.markets), toSeq, discardCorrupt: false, logger });
      seq = engine.lastSeq;
      seed = new Map(config.markets.map((m) => [m.symbol, engine.depth(m.symbol, 1_000_000)!]));
    } finally {
      await snapshots.close();
    }
  } catch (err) {
    await eventLog?.close();
    await commandLog.close();
    throw err;
  }
  await commandLog.close();
  const events = eventLog;

  // The books are seeded once, at `seq`; a later re-seed would need a live engine, which this role has not.
  const hub = createMarketDataHub({ markets: config.markets, depthSnapshot: (symbol) => { const d = seed.get(symbol); seed.delete(symbol); return d; }, logger });
  const follower = new EventLogFollower({ eventLog: events, hub, afterSeq: seq, idleMs: 5, logger });
  follower.start();

  const app = Fastify({ loggerInstance: logger });
  const ws = attachWebSocketServer(app.server, hub, { logger });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'matchbox_fanout', help: 'Fan-out: seq published, connections, messages delivered', labelNames: ['kind'], registers: [registry],
    collect() {
      this.set({ kind: 'seq' }, follower.seq);
      this.set({ kind: 'connections' }, ws.connectionCount());
      this.set({ kind: 'delivered' }, hub.delivered);
    },
  });
  app.get('/health', async (_req, reply) => {
    const problem = follower.failure?.message;
    return reply.code(problem === undefined ? 200 : 503).send({
      status: problem === undefined ? 'ok' : 'failed', ok: problem === undefined, role: 'fanout', lastSeq: follower.seq, connections: ws.connectionCount(),
      ...(problem !== undefined ? { problem } : {}),
    });
  });
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  let watch: NodeJS.Timeout | undefined;
  const failed = new Promise<Error>((resolve) => {
    watch = setInterval(() => { if (follower.failure !== undefined) { clearInterval(watch); resolve(follower.failure); } }, 200);
    watch.unref();
  });
  const close = async (): Promise<void> => {
    clearInterval(watch);
    await ws.close();
    await follower.stop();
    hub.close();
    await app.close();
    await events.close();
  };
  try {
    await app.listen({ port: config.port, host: config.host });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr !== null ? addr.port : config.port;
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    logger.info({ url, seq }, `Matchbox fanout is running at ${url}`);
    return { role: 'fanout', url, failed, close };
  } catch (err) {
    await close();
    throw err;
  }
}
