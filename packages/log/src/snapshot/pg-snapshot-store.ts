import pg from 'pg';
import { CorruptSnapshotError, type SnapshotMeta, type SnapshotStore } from '../types.ts';
import { checksum, compress, decompress } from './compression.ts';

export interface PgSnapshotStoreOptions {
  /** A connection string or pool config; the store owns the pool it creates. */
  readonly connection: string | pg.PoolConfig;
  /** Qualified table name, e.g. `matchbox.snapshots`. Created if missing. */
  readonly table?: string;
}

const IDENT_RE = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/** Serialises concurrent creation of the snapshot table across processes. */
const CREATE_LOCK_KEY = 0x6d62_0003;

/**
 * Snapshots in PostgreSQL: deflated bytea with seq, state hash, sizes and a CRC of the stored
 * body. A save is one INSERT committed with the server's default `synchronous_commit = on`, so it
 * is durable when it resolves; the row appears whole or not at all.
 */
export class PgSnapshotStore implements SnapshotStore {
  private constructor(private readonly pool: pg.Pool, private readonly table: string) {}

  static async open(opts: PgSnapshotStoreOptions): Promise<PgSnapshotStore> {
    const table = opts.table ?? 'matchbox_snapshots';
    if (!IDENT_RE.test(table)) throw new Error(`snapshot table name "${table}" must be a plain [schema.]identifier`);
    const pool = new pg.Pool(typeof opts.connection === 'string' ? { connectionString: opts.connection, max: 2 } : opts.connection);
    try {
      // CREATE TABLE IF NOT EXISTS races a concurrent one (unique violation on pg_type) when the
      // roles of a fresh deployment start together, so it runs under an advisory lock.
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [CREATE_LOCK_KEY]);
        await client.query(`CREATE TABLE IF NOT EXISTS ${table} (
          seq bigint PRIMARY KEY,
          state_hash text NOT NULL,
          size_bytes bigint NOT NULL,
          crc32 bigint NOT NULL,
          body bytea NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now())`);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return new PgSnapshotStore(pool, table);
  }

  async save(meta: SnapshotMeta, bytes: Uint8Array): Promise<void> {
    const body = await compress(bytes);
    await this.pool.query(
      `INSERT INTO ${this.table} (seq, state_hash, size_bytes, crc32, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (seq) DO NOTHING`,
      [meta.seq, meta.stateHash, bytes.length, checksum(body), body],
    );
  }

  async list(): Promise<SnapshotMeta[]> {
    const r = await this.pool.query<{ seq: string; state_hash: string; size_bytes: string }>(
      `SELECT seq, state_hash, size_bytes FROM ${this.table} ORDER BY seq DESC`);
    return r.rows.map((row) => ({ seq: Number(row.seq), stateHash: row.state_hash, sizeBytes: Number(row.size_bytes) }));
  }

  async load(seq: number): Promise<Uint8Array> {
    const r = await this.pool.query<{ size_bytes: string; crc32: string; body: Buffer }>(
      `SELECT size_bytes, crc32, body FROM ${this.table} WHERE seq = $1`, [seq]);
    const row = r.rows[0];
    if (!row) throw new Error(`no snapshot at seq ${seq}`);
    if (checksum(row.body) !== Number(row.crc32)) throw new CorruptSnapshotError(seq, 'checksum mismatch');
    return decompress(seq, row.body, Number(row.size_bytes));
  }

  async prune(keep: number): Promise<void> {
    await this.pool.query(
      `DELETE FROM ${this.table} WHERE seq NOT IN (SELECT seq FROM ${this.table} ORDER BY seq DESC LIMIT $1)`, [Math.max(keep, 0)]);
  }

  async discard(seq: number): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.table} WHERE seq = $1`, [seq]);
  }

  /** Test hook: flips one byte of a stored body, as a disk or a bad restore would. */
  async corrupt(seq: number): Promise<void> {
    await this.pool.query(`UPDATE ${this.table} SET body = set_byte(body, length(body) / 2, get_byte(body, length(body) / 2) # 255) WHERE seq = $1`, [seq]);
  }

  /** Drops the table (tests only). */
  async drop(): Promise<void> {
    await this.pool.query(`DROP TABLE IF EXISTS ${this.table}`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
