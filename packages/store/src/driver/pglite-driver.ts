import { PGlite, types } from '@electric-sql/pglite';
import { parseInt8, type SqlDriver, type SqlExecutor, type SqlParam } from './sql-driver.ts';

export interface PgliteDriverOptions {
  /** A data directory for a persistent database; in memory when omitted. */
  readonly dataDir?: string;
}

interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

class PgliteExecutor implements SqlExecutor {
  constructor(private readonly q: Queryable) {}
  async query<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    const r = await this.q.query<T>(sql, params as unknown[] | undefined);
    return r.rows;
  }
}

/**
 * Embedded PostgreSQL (PGlite, WASM) behind `SqlDriver`: the default store of `npm start`, so no
 * database server is needed. One connection; PGlite queues concurrent calls, and transactions
 * run one at a time.
 */
export class PgliteDriver implements SqlDriver {
  readonly kind = 'pglite' as const;
  private readonly exec0: PgliteExecutor;

  private constructor(private readonly db: PGlite) {
    this.exec0 = new PgliteExecutor(db);
  }

  static async open(opts: PgliteDriverOptions = {}): Promise<PgliteDriver> {
    const db = new PGlite(opts.dataDir, { parsers: { [types.INT8]: parseInt8 } });
    await db.waitReady;
    return new PgliteDriver(db);
  }

  /** Wraps an open instance (the worker's own, for the projector it hosts); `close()` closes it. */
  static wrap(db: PGlite): PgliteDriver {
    return new PgliteDriver(db);
  }

  /** A copy of this database (schema and rows), much faster to make than a new instance. */
  async clone(): Promise<PgliteDriver> {
    return new PgliteDriver((await this.db.clone()) as PGlite);
  }

  /** A tarball of the data directory (`PgliteWorkerDriver.open({ loadDataDir })` starts from it). */
  async dump(): Promise<ArrayBuffer> {
    return (await this.db.dumpDataDir('none')).arrayBuffer();
  }

  query<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return this.exec0.query<T>(sql, params);
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new PgliteExecutor(tx)));
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
