import { randomBytes } from 'node:crypto';
import { DEFAULT_MARKETS } from '@matchbox/domain';
import { capturingLogger } from '@matchbox/log';
import { Projector, ThreadProjector } from '@matchbox/store';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Exchange } from './exchange.ts';
import { expectProjectedTo } from './projection-test-support.ts';

const REDIS_URL = process.env.MATCHBOX_TEST_REDIS ?? 'redis://127.0.0.1:6379';
const PG_URL = process.env.MATCHBOX_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('exchange on Redis + PostgreSQL: the history projector runs on its own thread', () => {
  const id = randomBytes(5).toString('hex');
  const prefix = `mbx-tproj-${id}`;
  const schema = `mbx_tproj_${id}`;
  beforeAll(async () => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`CREATE SCHEMA ${schema}`);
    await c.end();
  });
  afterAll(async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  it('projects on the thread, reports progress, catches up on close, and the next start continues from its cursor', async () => {
    const { logger, lines } = capturingLogger('info');
    const open = () => Exchange.open({
      storage: { kind: 'redis-pg', redisUrl: REDIS_URL, databaseUrl: PG_URL, prefix, snapshotTable: `${schema}.snapshots` },
      markets: DEFAULT_MARKETS, logger,
      historyStore: { kind: 'pg', url: PG_URL, schema },
    });
    let ex = await open();
    expect(ex.projector).toBeDefined();
    expect(ex.projector).not.toBeInstanceOf(Projector);
    expect(ex.projector).not.toBeInstanceOf(ThreadProjector); // a view over it, created before the thread starts
    for (let i = 0; i < 30; i++) await ex.submit({ t: 'createUser', username: `u${i}`, passwordHash: 'x' });
    await expectProjectedTo(ex, ex.health().durableSeq);

    // Submitted right before close: the final catch-up on the thread still stores them.
    await Promise.all(Array.from({ length: 20 }, (_, i) => ex.submit({ t: 'createUser', username: `late${i}`, passwordHash: 'x' })));
    const last = ex.health().durableSeq;
    await ex.close();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      const users = await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.users`);
      expect(Number(users.rows[0]!.n)).toBe(50);
      const cursor = await c.query<{ seq: string }>(`SELECT seq FROM ${schema}.projector_cursor WHERE name = 'store'`);
      expect(Number(cursor.rows[0]!.seq)).toBe(last);
    } finally {
      await c.end();
    }
    // The thread's log lines come out through the exchange's logger.
    expect(lines.some((l) => l.msg === 'projector started' && l.thread === 'projector')).toBe(true);

    ex = await open();
    expect(await ex.projector!.cursor()).toBe(last);
    expect(ex.projectorProgress()?.seq).toBe(last); // known at once, before the thread's first report
    await ex.submit({ t: 'createUser', username: 'after-restart', passwordHash: 'x' });
    await expectProjectedTo(ex, ex.health().durableSeq);
    await ex.close();
    expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
  }, 120_000);
});
