import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

export const REDIS_URL = process.env.MATCHBOX_TEST_REDIS ?? 'redis://127.0.0.1:6379';
export const PG_URL = process.env.MATCHBOX_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A private Redis key prefix and a fresh PostgreSQL schema on the shared test services, both
 * removed by `drop`, so tests never leave junk behind or see each other's data.
 */
export class Sandbox {
  readonly id = randomBytes(5).toString('hex');
  readonly prefix: string;
  readonly schema: string;

  constructor(tag = 'test') {
    this.prefix = `mbx-${tag}-${this.id}`;
    this.schema = `mbx_${tag.replace(/\W/g, '_')}_${this.id}`;
  }

  /** PG_URL with this schema first on the search_path. */
  get databaseUrl(): string {
    const sep = PG_URL.includes('?') ? '&' : '?';
    return `${PG_URL}${sep}options=${encodeURIComponent(`-c search_path=${this.schema}`)}`;
  }

  /** In-process Redis + PostgreSQL storage for the exchange, snapshots in this schema. */
  get storage(): { kind: 'redis-pg'; redisUrl: string; databaseUrl: string; prefix: string; snapshotTable: string } {
    return { kind: 'redis-pg', redisUrl: REDIS_URL, databaseUrl: PG_URL, prefix: this.prefix, snapshotTable: `${this.schema}.snapshots` };
  }

  async create(): Promise<void> {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`CREATE SCHEMA ${this.schema}`);
    await c.end();
  }

  async drop(): Promise<void> {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${this.prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
    await c.end();
  }
}
