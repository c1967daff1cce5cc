import pg from 'pg';
import { assertIdent, parseInt8, type SqlDriver, type SqlExecutor, type SqlParam } from './sql-driver.ts';

export interface PgDriverOptions {
  /** Connection string or pool configuration. */
  readonly connection: string | pg.PoolConfig;
  /** When set, every pooled connection uses `search_path = <schema>` (created if missing). */
  readonly schema?: string;
  /** Pool size; the projector needs one connection, readers a few more. */
  readonly maxConnections?: number;
}

const INT8_OID = 20;

/** Per-pool type parsers, so the global `pg.types` registry is left alone. */
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === INT8_OID && format !== 'binary') return parseInt8;
    return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  },
} as pg.CustomTypesConfig;

function asPgParams(params: readonly SqlParam[] | undefined): unknown[] | undefined {
  return params === undefined ? undefined : (params as unknown[]);
}

class PgExecutor implements SqlExecutor {
  constructor(private readonly client: pg.PoolClient) {}
  async query<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    const r = await this.client.query(sql, asPgParams(params));
    return r.rows as T[];
  }
}

/** Serialises concurrent CREATE SCHEMA across processes. */
const SCHEMA_LOCK_KEY = 0x6d62_0002;

/** node-postgres behind `SqlDriver`. */
export class PgDriver implements SqlDriver {
  readonly kind = 'pg' as const;

  private constructor(private readonly pool: pg.Pool) {}

  static async open(opts: PgDriverOptions): Promise<PgDriver> {
    const base: pg.PoolConfig = typeof opts.connection === 'string' ? { connectionString: opts.connection } : { ...opts.connection };
    if (opts.schema !== undefined) {
      assertIdent(opts.schema, 'schema');
      // Create the schema before the pool sets it as search_path on every connection.
      const boot = new pg.Client(base);
      await boot.connect();
      // CREATE SCHEMA IF NOT EXISTS races a concurrent one (unique violation on pg_namespace) when
      // several roles start together, so it runs under an advisory lock.
      try {
        await boot.query('BEGIN');
        await boot.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
        await boot.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`);
        await boot.query('COMMIT');
      } finally { await boot.end(); }
      base.options = `${base.options ?? ''} -c search_path=${opts.schema}`.trim();
    }
    const pool = new pg.Pool({ ...base, max: opts.maxConnections ?? base.max ?? 4, types: typeParsers });
    // An idle client's network error must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    return new PgDriver(pool);
  }

  async query<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    const r = await this.pool.query(sql, asPgParams(params));
    return r.rows as T[];
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(new PgExecutor(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try { await client.query('ROLLBACK'); } catch (e) { broken = e as Error; }
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
