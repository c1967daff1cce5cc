import Fastify from 'fastify';
import type { Logger } from 'pino';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config, Role } from '../config.ts';
import { RedisStreamLog } from '@matchbox/log';
import { Projector, type SqlDriver } from '@matchbox/store';
import { openHistoryStore } from '../history/store.ts';
import { StoreHistoryReader } from '../history/store-history.ts';
import { TieredHistory } from '../history/tiered-history.ts';
import { buildApp } from '../http/app.ts';
import { attachStreams } from '../ws/streams.ts';
import { SecretBox } from '../security/secret-box.ts';
import { runFanout } from './fanout.ts';
import { ReplicaGateway } from './replica-gateway.ts';
import { SequencerRole } from './sequencer.ts';

/** A role running in this process. `failed` settles if it stopped for good: exit and let the supervisor restart it. */
export interface RunningRole {
  readonly role: Role;
  readonly url: string;
  readonly failed: Promise<Error>;
  close(): Promise<void>;
}

export type RoleRunner = (config: Config, logger: Logger) => Promise<RunningRole>;

/** The split roles of the production topology (ROLE=all is `startServer`); see apps/server/README.md. */
export const ROLE_RUNNERS: Partial<Record<Role, RoleRunner>> = {
  gateway: runGateway,
  sequencer: runSequencer,
  projector: runProjector,
  fanout: runFanout,
};

export async function runRole(config: Config, logger: Logger): Promise<RunningRole> {
  const run = ROLE_RUNNERS[config.role];
  if (!run) throw new Error(`ROLE=${config.role} has no runner in apps/server`);
  return run(config, logger);
}

function redisPg(config: Config) {
  if (config.storage.kind !== 'redis-pg') throw new Error(`ROLE=${config.role} needs REDIS_URL and DATABASE_URL`);
  return config.storage;
}

/** ROLE=gateway: the HTTP API of ROLE=all on a replica engine; commands go through the intake stream. */
async function runGateway(config: Config, logger: Logger): Promise<RunningRole> {
  if (config.serverKey === null) throw new Error('ROLE=gateway needs SERVER_KEY');
  // History: the replica's recent events in memory, the store (written by ROLE=projector) behind it.
  const db: SqlDriver | null = config.historyStore !== null ? await openHistoryStore(config.historyStore) : null;
  let core: ReplicaGateway;
  try {
    core = await ReplicaGateway.open({
      storage: redisPg(config), markets: config.markets, logger,
      resultTimeoutMs: config.gatewayTimeoutMs, intakeMaxLen: config.intakeMaxLen,
      ...(db !== null ? { history: new TieredHistory(new StoreHistoryReader(db)) } : {}),
    });
  } catch (err) {
    await db?.close();
    throw err;
  }
  try {
    const secrets = new SecretBox(config.serverKey);
    const app = await buildApp({
      exchange: core, secrets, devFaucet: config.devFaucet, logger, processMetrics: true,
      trustProxy: config.trustProxy, rateLimits: { ipWeightPerMinute: config.ipWeightPerMinute, ordersPer10s: config.ordersPer10s },
    });
    // Market and user data streams and the WS API, fed by this gateway's replica in log order.
    const streams = attachStreams(app, app.server, core, secrets, config.markets, logger);
    const url = await listen(app, config);
    logger.info({ url, gatewayId: core.gatewayId, lastSeq: core.health().lastSeq, devFaucet: config.devFaucet }, `Matchbox gateway is running at ${url}`);
    return {
      role: 'gateway', url, failed: core.failed,
      close: async () => {
        await streams.close();
        await app.close();
        await core.close();
        await db?.close();
      },
    };
  } catch (err) {
    await core.close();
    await db?.close();
    throw err;
  }
}

/**
 * ROLE=projector: packages/store's Projector, Redis event log → PostgreSQL (cursor in the same
 * transaction as the rows; any number may run, they take turns on the cursor row). Serves /health
 * and /metrics. A gap in the log (trimmed past the store) is fatal: exit, rebuild with matchbox-store.
 */
async function runProjector(config: Config, logger: Logger): Promise<RunningRole> {
  const s = redisPg(config);
  const db = await openHistoryStore(config.historyStore ?? { kind: 'pg', url: s.databaseUrl });
  const eventLog = await RedisStreamLog.open({ redis: s.redisUrl, prefix: `${s.prefix}:events`, logger });
  const projector = new Projector({ db, log: eventLog, markets: config.markets, logger });
  const app = Fastify({ loggerInstance: logger });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'matchbox_projector', help: 'Projector: store cursor (seq) and totals', labelNames: ['kind'], registers: [registry],
    collect() {
      for (const [k, v] of Object.entries(projector.stats)) this.set({ kind: k }, v);
    },
  });
  let problem: string | null = null;
  const failed = new Promise<Error>((resolve) => {
    projector.start();
    projector.done().catch((err: unknown) => { problem = (err as Error).message; resolve(err as Error); });
  });
  app.get('/health', async (_req, reply) => {
    const lastSeq = await eventLog.lastSeq().catch(() => -1);
    return reply.code(problem === null ? 200 : 503).send({ status: problem === null ? 'ok' : 'failed', ok: problem === null, role: 'projector', seq: projector.stats.seq, lastSeq, ...(problem ? { problem } : {}) });
  });
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  const close = async (): Promise<void> => {
    await app.close();
    await projector.stop().catch(() => undefined);
    await eventLog.close();
    await db.close();
  };
  try {
    const url = await listen(app, config);
    logger.info({ url, seq: await projector.cursor() }, `Matchbox projector is running at ${url}`);
    return { role: 'projector', url, failed, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** ROLE=sequencer: the single writer; serves only /health and /metrics. */
async function runSequencer(config: Config, logger: Logger): Promise<RunningRole> {
  const seq = await SequencerRole.open({
    storage: redisPg(config), markets: config.markets, logger,
    snapshotEveryCommands: config.snapshotEveryCommands, snapshotEveryMs: config.snapshotEveryMs, keepLogs: config.keepLogs, acceptLogLoss: config.acceptLogLoss,
  });
  const app = Fastify({ loggerInstance: logger });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'matchbox_log_seq', help: 'Sequence numbers: last applied and last durable', labelNames: ['kind'], registers: [registry],
    collect() {
      const h = seq.health();
      this.set({ kind: 'applied' }, h.lastSeq);
      this.set({ kind: 'durable' }, h.durableSeq);
    },
  });
  new Gauge({
    name: 'matchbox_intake', help: 'Intake stream: commands in flight, duplicates and unusable entries dropped', labelNames: ['kind'], registers: [registry],
    collect() {
      const s = seq.stats();
      this.set({ kind: 'inflight' }, s.intakeInflight);
      this.set({ kind: 'duplicates_dropped' }, s.duplicatesDropped);
      this.set({ kind: 'unusable_dropped' }, s.unusableDropped);
    },
  });
  app.get('/health', async (_req, reply) => {
    const h = seq.health();
    return reply.code(h.ok ? 200 : 503).send({ status: h.ok ? 'ok' : 'failed', role: 'sequencer', ...h });
  });
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  try {
    const url = await listen(app, config);
    logger.info({ url, lastSeq: seq.health().lastSeq }, `Matchbox sequencer is running at ${url}`);
    return {
      role: 'sequencer', url, failed: seq.failed,
      close: async () => {
        await app.close();
        await seq.close();
      },
    };
  } catch (err) {
    await seq.close();
    throw err;
  }
}

async function listen(app: { listen(o: { port: number; host: string }): Promise<string>; server: import('node:http').Server }, config: Config): Promise<string> {
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : config.port;
  return `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
}
