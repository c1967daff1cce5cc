import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { HistoryStoreConfig } from '../src/history/store.ts';
import { SMALL_OVERALL, historyStoreSuite } from './history-store.suite.ts';

const PG_URL = process.env.MATCHBOX_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

// PostgreSQL: a fresh schema, dropped afterwards; memory bounded by each user's caps, then by the caps across users.
const freshSchema = async (): Promise<{ config: HistoryStoreConfig; drop(): Promise<void> }> => {
  const schema = `mbx_hist_${randomBytes(5).toString('hex')}`;
  const run = async (sql: string): Promise<void> => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try { await c.query(sql); } finally { await c.end(); }
  };
  await run(`CREATE SCHEMA ${schema}`);
  return { config: { kind: 'pg', url: PG_URL, schema }, drop: () => run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
};
historyStoreSuite('PostgreSQL', freshSchema);
historyStoreSuite('PostgreSQL', freshSchema, SMALL_OVERALL);
