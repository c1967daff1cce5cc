import path from 'node:path';
import { PgDriver, PgliteDriver, PgliteWorkerDriver, migrate, type SqlDriver } from '@matchbox/store';

/**
 * Where the history store lives: PGlite in a directory (embedded, `npm start`), PGlite in memory
 * (tests), or PostgreSQL (production; `schema` is optional, the connection's search_path otherwise).
 * PGlite runs on a worker thread unless `thread: 'main'`, so the projector's writes and the history
 * reads do not take the event loop of the process that embeds it.
 */
export type HistoryStoreConfig =
  | { readonly kind: 'pglite'; readonly dataDir?: string; readonly thread?: 'worker' | 'main' }
  | { readonly kind: 'pg'; readonly url: string; readonly schema?: string; readonly maxConnections?: number };

/** The embedded store of a data directory. */
export function embeddedStore(dataDir: string): HistoryStoreConfig {
  return { kind: 'pglite', dataDir: path.join(dataDir, 'store') };
}

/** Opens the store and applies pending migrations (serialised across processes by an advisory lock). */
export async function openHistoryStore(cfg: HistoryStoreConfig): Promise<SqlDriver> {
  const db: SqlDriver = cfg.kind === 'pglite'
    ? await (cfg.thread === 'main' ? PgliteDriver : PgliteWorkerDriver).open(cfg.dataDir !== undefined ? { dataDir: cfg.dataDir } : {})
    : await PgDriver.open({ connection: cfg.url, ...(cfg.schema !== undefined ? { schema: cfg.schema } : {}), maxConnections: cfg.maxConnections ?? 4 });
  try {
    await migrate(db);
    return db;
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
