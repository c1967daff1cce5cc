import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startExchange, type RunningExchange } from './embedded-server.ts';

export const REDIS_URL = process.env.MATCHBOX_TEST_REDIS ?? 'redis://127.0.0.1:6379';
export const PG_URL = process.env.MATCHBOX_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The exchange on Redis + PostgreSQL with a random key prefix and a fresh schema, both removed on close. */
export async function startOnRedisPg(): Promise<RunningExchange> {
  const id = randomBytes(6).toString('hex');
  const prefix = `mbx-api-test-${id}`;
  const schema = `mbx_api_${id}`;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  const server = await startExchange({ storage: { kind: 'redis-pg', redisUrl: REDIS_URL, databaseUrl: PG_URL, prefix, snapshotTable: `${schema}.snapshots` } });
  return {
    ...server,
    close: async () => {
      await server.close();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}
