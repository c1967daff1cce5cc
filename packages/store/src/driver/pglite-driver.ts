import { PGlite, types } from '@electric-sql/pglite';
import { parseInt8, type SqlDriver, type SqlExecutor, type SqlParam } from './sql-driver.ts';

/**
 * The value handling both PGlite hosts (this driver and the worker) use: int8 as safe numbers,
 * and a `json` parameter given as bytes (its UTF-8 text) sent as they are, in binary format (for
 * `json` that is the text itself). PGlite's text path measures a string's UTF-8 length in a JS
 * loop over every character: for the projector's one-JSON-array-per-table statements that was
 * a fifth of the PGlite thread. Its serializers are typed as returning strings, but PGlite's Bind
 * sends any returned ArrayBuffer view in binary format (tested by the store suites on PGlite).
 */
export function pgliteValueOptions(): { parsers: Record<number, (text: string) => unknown>; serializers: Record<number, (value: unknown) => string> } {
  const json = (v: unknown): string => (v instanceof Uint8Array ? (v as unknown as string) : typeof v === 'string' ? v : JSON.stringify(v));
  return { parsers: { [types.INT8]: parseInt8 }, serializers: { [types.JSON]: json } };
}

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
    // The one-argument form: `new PGlite(undefined, options)` ignores the options.
    const db = new PGlite({ ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}), ...pgliteValueOptions() });
    await db.waitReady;
    return new PgliteDriver(db);
  }

  /** Wraps an open instance (the worker's own, for the projector it hosts); `close()` closes it. */
  static wrap(db: PGlite): PgliteDriver {
    return new PgliteDriver(db);
  }

  /** A copy of this database (schema and rows), much faster to make than a new instance. */
  async clone(): Promise<PgliteDriver> {
    // Not `PGlite.clone()`: its copy drops the parsers and serializers.
    const db = new PGlite({ loadDataDir: await this.db.dumpDataDir('none'), ...pgliteValueOptions() });
    await db.waitReady;
    return new PgliteDriver(db);
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
