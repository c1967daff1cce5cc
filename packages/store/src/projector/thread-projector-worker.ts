import { setTimeout as sleep } from 'node:timers/promises';
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
 * It keeps trying to connect (with backoff) until it is stopped, as the Projector keeps retrying
 * a failed step: a database that is briefly away must not leave the store behind for good.
 */
const init = workerData as ThreadProjectorInit;
const port = parentPort!;
const post = (m: ThreadReply): void => port.postMessage(m);
const logger = pino({ level: init.logLevel ?? 'silent', base: { thread: 'projector' } }, { write(line: string): void { post({ t: 'log', line }); } });

const PROGRESS_MS = 200;
/** A PostgreSQL that accepts the connection but never answers must not hold the thread forever. */
const CONNECT_TIMEOUT_MS = 10_000;

interface Running {
  readonly projector: Projector;
  readonly log: RedisStreamLog;
  readonly db: PgDriver;
  readonly finishReports: () => void;
}

let running: Running | null = null;
let stopRequest: ThreadRequest | null = null;
let finishing = false;
/** start() has returned: connected and running, or given up because a stop came first. */
let startDone = false;
const wake = new AbortController();

// Listening before anything else: a stop may come while the connections are still being made.
port.on('message', (m: ThreadRequest) => {
  stopRequest ??= m;
  wake.abort();
  void finish();
});

async function start(): Promise<void> {
  for (let failures = 0; stopRequest === null; failures++) {
    let db: PgDriver | undefined;
    let log: RedisStreamLog | undefined;
    try {
      db = await PgDriver.open({
        connection: { connectionString: init.databaseUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS },
        ...(init.schema !== undefined ? { schema: init.schema } : {}), maxConnections: 2,
      });
      log = await RedisStreamLog.open({ redis: init.redisUrl, prefix: init.eventPrefix, logger });
      const projector = new Projector({
        db, log, markets: init.markets, logger,
        ...(init.name !== undefined ? { name: init.name } : {}),
        ...(init.idlePollMs !== undefined ? { idlePollMs: init.idlePollMs } : {}),
        ...(init.batchWindowMs !== undefined ? { batchWindowMs: init.batchWindowMs } : {}),
      });
      const finishReports = await startReported(projector, PROGRESS_MS,
        (stats) => post({ t: 'progress', stats }),
        (err) => post({ t: 'failed', message: (err as Error).message }));
      running = { projector, log, db, finishReports };
      return;
    } catch (err) {
      await log?.close().catch(() => undefined);
      await db?.close().catch(() => undefined);
      const backoffMs = Math.min(5000, 200 * 2 ** Math.min(failures, 5));
      logger.warn({ err: (err as Error).message, failures: failures + 1, backoffMs }, 'projector thread could not start; retrying');
      await sleep(backoffMs, undefined, { signal: wake.signal }).catch(() => undefined);
    }
  }
}

/** Once asked to stop: stops the projector (catching up first if asked), closes, says so, ends. */
async function finish(): Promise<void> {
  if (stopRequest === null || finishing || (running === null && !startDone)) return;
  finishing = true;
  let seq = running?.projector.stats.seq ?? 0;
  try {
    if (running !== null) {
      await running.projector.stop().catch(() => undefined); // a fatal error was reported already
      if (stopRequest.catchUp) seq = await running.projector.catchUp();
    }
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'projector: final catch-up failed');
  } finally {
    if (running !== null) {
      running.finishReports();
      await running.log.close().catch(() => undefined);
      await running.db.close().catch(() => undefined);
    }
    post({ t: 'stopped', seq });
    port.close();
  }
}

await start();
startDone = true;
await finish();
