import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteWorkerDriver } from './pglite-worker-driver.ts';

describe('PgliteWorkerDriver', () => {
  let db: PgliteWorkerDriver;
  beforeAll(async () => {
    db = await PgliteWorkerDriver.open({ maxInFlight: 2, maxWaiting: 4 });
    await db.exec('CREATE TABLE t (k int PRIMARY KEY, v bigint NOT NULL, n numeric, b boolean)');
  });
  afterAll(() => db.close());

  it('returns values as PgliteDriver does (int8 as number, numeric as string)', async () => {
    await db.query('INSERT INTO t VALUES ($1, $2, $3, $4)', [1, 9_007_199_254_740_991, '1.50', true]);
    expect(await db.query('SELECT * FROM t WHERE k = 1')).toEqual([{ k: 1, v: 9_007_199_254_740_991, n: '1.50', b: true }]);
    expect(await db.query('SELECT x FROM unnest($1::bigint[]) AS x', [[3, 4]])).toEqual([{ x: 3 }, { x: 4 }]);
    await expect(db.query("SELECT '9007199254740993'::bigint AS x")).rejects.toThrow(/safe integer/);
  });

  it('commits a transaction and keeps other statements out of it', async () => {
    let outsideDone = false;
    const r = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t (k, v) VALUES (2, 2)');
      const outside = db.query<{ c: number }>('SELECT count(*)::int AS c FROM t').then((rows) => { outsideDone = true; return rows; });
      await new Promise((res) => setTimeout(res, 50));
      expect(outsideDone).toBe(false);
      await Promise.all([tx.query('INSERT INTO t (k, v) VALUES (3, 3)'), tx.query('INSERT INTO t (k, v) VALUES (4, 4)')]);
      void outside;
      return 'ok';
    });
    expect(r).toBe('ok');
    expect(await db.query('SELECT k FROM t WHERE k IN (2, 3, 4) ORDER BY k')).toEqual([{ k: 2 }, { k: 3 }, { k: 4 }]);
  });

  it('rolls back when the callback throws and reports PostgreSQL error fields', async () => {
    await expect(db.transaction(async (tx) => {
      await tx.query('INSERT INTO t (k, v) VALUES (10, 10)');
      throw new Error('boom');
    })).rejects.toThrow('boom');
    const err = await db.transaction((tx) => tx.query('INSERT INTO t (k, v) VALUES (1, 1)')).catch((e: unknown) => e as Error & { code?: string });
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: string }).code).toBe('23505');
    expect(await db.query('SELECT k FROM t WHERE k = 10')).toEqual([]);
    // the lock was released: later work proceeds
    expect(await db.query<{ c: number }>('SELECT count(*)::int AS c FROM t')).toEqual([{ c: 4 }]);
  });

  it('bounds the requests waiting for the worker', async () => {
    const calls = Array.from({ length: 10 }, () => db.query('SELECT pg_sleep(0.01)').then(() => 'ok', (e: Error) => e.message));
    const results = await Promise.all(calls);
    expect(results.filter((r) => r === 'ok')).toHaveLength(6);
    expect(results.filter((r) => r.includes('overloaded'))).toHaveLength(4);
  });
});
