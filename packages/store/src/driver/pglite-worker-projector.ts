import type { PGlite } from '@electric-sql/pglite';
import { FileJournal, type EventLog, type LogEntry } from '@matchbox/log';
import type { Logger } from 'pino';
import { Projector } from '../projector/projector.ts';
import { startReported } from '../projector/reported-run.ts';
import { PgliteDriver } from './pglite-driver.ts';
import { toWorkerError, type WorkerProjectorConfig, type WorkerReply } from './pglite-worker-protocol.ts';

/** How often the worker reports progress to the main thread (only when the seq moved). */
const PROGRESS_MS = 100;

export interface HostedProjector {
  /** Stops the loop; with `catchUp`, projects everything visible first. Resolves with the cursor. */
  stop(catchUp: boolean): Promise<number>;
}

/**
 * The event log as the worker's projector sees it: a read-only follower of the main thread's
 * FileJournal, bounded by the seq the main thread has published as durable, acknowledging its
 * cursor by message (the main thread writes it into the writer's cursor store).
 */
function followedLog(journal: FileJournal, visible: BigInt64Array, post: (m: WorkerReply) => void): EventLog {
  const limit = (): number => Number(Atomics.load(visible, 0));
  return {
    async read(afterSeq: number, maxEntries: number): Promise<LogEntry[]> {
      const upTo = limit();
      if (afterSeq >= upTo) return []; // nothing new published: no file I/O at all
      const got = await journal.read(afterSeq, maxEntries);
      let n = got.length;
      while (n > 0 && got[n - 1]!.seq > upTo) n--;
      return n === got.length ? got : got.slice(0, n);
    },
    async commitCursor(name: string, seq: number): Promise<void> {
      post({ t: 'projector', ev: 'cursor', name, seq });
    },
    cursors: () => journal.cursors(),
    append: () => Promise.reject(new Error('the worker projector reads the event log only')),
    lastSeq: async () => Math.min(limit(), await journal.lastSeq()),
    firstSeq: () => journal.firstSeq(),
    trimBelow: async () => undefined,
    close: () => journal.close(),
  };
}

/** Runs a Projector on this thread's PGlite, following the event journal in `cfg.journalDir`. */
export async function hostProjector(db: PGlite, cfg: WorkerProjectorConfig, post: (m: WorkerReply) => void, logger: Logger): Promise<HostedProjector> {
  const journal = await FileJournal.open({ dir: cfg.journalDir, readOnly: true, follow: true, logger });
  const log = followedLog(journal, new BigInt64Array(cfg.visibleSeq), post);
  const projector = new Projector({
    db: PgliteDriver.wrap(db), log, markets: cfg.markets, logger,
    ...(cfg.name !== undefined ? { name: cfg.name } : {}),
    ...(cfg.idlePollMs !== undefined ? { idlePollMs: cfg.idlePollMs } : {}),
    ...(cfg.maxEntriesPerBatch !== undefined ? { maxEntriesPerBatch: cfg.maxEntriesPerBatch } : {}),
    ...(cfg.maxEventsPerBatch !== undefined ? { maxEventsPerBatch: cfg.maxEventsPerBatch } : {}),
    ...(cfg.ackIntervalMs !== undefined ? { ackIntervalMs: cfg.ackIntervalMs } : {}),
  });
  // The stored cursor first, so the main thread knows where the projection stands before the first step.
  const finishReports = await startReported(projector, PROGRESS_MS,
    (stats) => post({ t: 'projector', ev: 'progress', stats }),
    (err) => post({ t: 'projector', ev: 'failed', error: toWorkerError(err) }));
  let stopping: Promise<number> | null = null;
  return {
    stop(catchUp: boolean): Promise<number> {
      stopping ??= (async () => {
        try {
          await projector.stop().catch(() => undefined); // a fatal error was reported already
          if (catchUp) await projector.catchUp();
          return projector.stats.seq;
        } finally {
          finishReports();
          await journal.close();
        }
      })();
      return stopping;
    },
  };
}
