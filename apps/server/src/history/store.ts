import path from 'node:path';
import type { Logger } from 'pino';
import { PgDriver, PgliteDriver, PgliteWorkerDriver, migrate, type SqlDriver } from '@matchbox/store';

/**
 * Where the history store lives: PGlite in a directory (embedded, `npm start`), PGlite in memory
 * (tests), or PostgreSQL (production; `schema` is optional, the connection's search_path otherwise).
 * PGlite runs on a worker thread unless `thread: 'main'`, so the projector's writes and the history
 * reads do not take the event loop of the process that embeds it. With a file journal the embedded
 * exchange runs the Projector itself inside that worker too (`Exchange.open`), at `nice` (default
 * `DEFAULT_WORKER_NICE`; Linux, per thread) so that matching and the gateway win the CPU.
 */
export type HistoryStoreConfig =
  | { readonly kind: 'pglite'; readonly dataDir?: string; readonly thread?: 'worker' | 'main'; readonly nice?: number }
  | { readonly kind: 'pg'; readonly url: string; readonly schema?: string; readonly maxConnections?: number };

/** The embedded store of a data directory. */
export function embeddedStore(dataDir: string): HistoryStoreConfig {
  return { kind: 'pglite', dataDir: path.join(dataDir, 'store') };
}

/** The nice value of the PGlite worker thread that hosts the embedded exchange's projector. */
export const DEFAULT_WORKER_NICE = 10;

export interface OpenHistoryStoreOptions {
  /** Receives what a PGlite worker logs. */
  readonly logger?: Logger;
  /** Nice value for a PGlite worker thread when the config sets none (unset: unchanged). */
  readonly defaultNice?: number;
}

/** Opens the store and applies pending migrations (serialised across processes by an advisory lock). */
export async function openHistoryStore(cfg: HistoryStoreConfig, opts: OpenHistoryStoreOptions = {}): Promise<SqlDriver> {
  const nice = cfg.kind === 'pglite' ? cfg.nice ?? opts.defaultNice : undefined;
  const db: SqlDriver = cfg.kind === 'pglite'
    ? cfg.thread === 'main'
      ? await PgliteDriver.open(cfg.dataDir !== undefined ? { dataDir: cfg.dataDir } : {})
      : await PgliteWorkerDriver.open({
        ...(cfg.dataDir !== undefined ? { dataDir: cfg.dataDir } : {}),
        ...(nice !== undefined ? { nice } : {}),
        ...(opts.logger !== undefined ? { logger: opts.logger } : {}),
      })
    : await PgDriver.open({ connection: cfg.url, ...(cfg.schema !== undefined ? { schema: cfg.schema } : {}), maxConnections: cfg.maxConnections ?? 4 });
  try {
    await migrate(db);
    return db;
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
