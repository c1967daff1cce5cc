import { parentPort, workerData } from 'node:worker_threads';
import { RedisStreamLog } from '@matchbox/log';
import pino from 'pino';
import { PgDriver } from '../driver/pg-driver.ts';
import { Projector } from './projector.ts';
import { startReported } from './reported-run.ts';
import type { ThreadProjectorInit, ThreadReply, ThreadRequest } from './thread-projector-protocol.ts';

/**
 * The projector thread: a Projector from the Redis event log into PostgreSQL, with its own
 * connections to both, so decoding events and building SQL never take the gateway's thread.
 */
const init = workerData as ThreadProjectorInit;
const port = parentPort!;
const post = (m: ThreadReply): void => port.postMessage(m);
const logger = pino({ level: init.logLevel ?? 'silent', base: { thread: 'projector' } }, { write(line: string): void { post({ t: 'log', line }); } });

const PROGRESS_MS = 200;

const db = await PgDriver.open({ connection: init.databaseUrl, ...(init.schema !== undefined ? { schema: init.schema } : {}), maxConnections: 2 });
const log = await RedisStreamLog.open({ redis: init.redisUrl, prefix: init.eventPrefix, logger });
const projector = new Projector({
  db, log, markets: init.markets, logger,
  ...(init.name !== undefined ? { name: init.name } : {}),
  ...(init.idlePollMs !== undefined ? { idlePollMs: init.idlePollMs } : {}),
  ...(init.batchWindowMs !== undefined ? { batchWindowMs: init.batchWindowMs } : {}),
});
const finishReports = await startReported(projector, PROGRESS_MS,
  (stats) => post({ t: 'progress', stats }),
  (err) => post({ t: 'failed', message: (err as Error).message }));

port.on('message', (m: ThreadRequest) => {
  void (async () => {
    let seq = projector.stats.seq;
    try {
      await projector.stop().catch(() => undefined); // a fatal error was reported already
      if (m.catchUp) seq = await projector.catchUp();
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'projector: final catch-up failed');
    } finally {
      finishReports();
      await log.close().catch(() => undefined);
      await db.close().catch(() => undefined);
      post({ t: 'stopped', seq });
      port.close();
    }
  })();
});
