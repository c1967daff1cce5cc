import type { Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { Exchange } from './core/exchange.ts';
import { buildApp } from './http/app.ts';
import type { StatusExtras } from './http/routes/status.ts';
import { SecretBox } from './security/secret-box.ts';
import { loadOrCreateServerKey } from './server-key.ts';
import { attachStreams } from './ws/streams.ts';

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly exchange: Exchange;
  readonly url: string;
  close(): Promise<void>;
}

/** Boots storage, recovers the engine, starts the sequencer and the HTTP gateway. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const serverKey = config.serverKey ?? await loadOrCreateServerKey(config.dataDir);
  const exchange = await Exchange.open({
    storage: config.storage, markets: config.markets, logger,
    snapshotEveryCommands: config.snapshotEveryCommands, snapshotEveryMs: config.snapshotEveryMs, keepLogs: config.keepLogs, acceptLogLoss: config.acceptLogLoss,
    ...(config.historyStore !== null ? { historyStore: config.historyStore } : {}),
  });
  const secrets = new SecretBox(serverKey);
  const status: StatusExtras = { snapshotsTaken: () => exchange.stats().snapshots, snapshots: () => exchange.snapshotList() };
  const app = await buildApp({
    exchange, secrets, devFaucet: config.devFaucet, logger, processMetrics: true, status,
    trustProxy: config.trustProxy, rateLimits: { ipWeightPerMinute: config.ipWeightPerMinute, ordersPer10s: config.ordersPer10s },
  });
  // The hub starts right after recovery so its depth seed matches the events that follow.
  const streams = attachStreams(app, app.server, exchange, secrets, config.markets, logger);
  status.connections = () => streams.connections();
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  const where = config.storage.kind === 'files' ? `files in ${config.dataDir}` : config.storage.kind === 'redis-pg' ? 'Redis + PostgreSQL' : 'memory';
  logger.info({ url, storage: where, devFaucet: config.devFaucet, lastSeq: exchange.health().lastSeq }, `Matchbox is running at ${url} (storage: ${where})`);
  return {
    app, exchange, url,
    close: async () => {
      await streams.close();
      await app.close();
      await exchange.close();
    },
  };
}
