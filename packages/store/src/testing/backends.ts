import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PgDriver } from '../driver/pg-driver.ts';
import { PgliteDriver } from '../driver/pglite-driver.ts';
import { PgliteWorkerDriver } from '../driver/pglite-worker-driver.ts';
import type { SqlDriver } from '../driver/sql-driver.ts';
import { migrate } from '../schema/migrate.ts';

/** The shared development/CI server (trust auth, database `test`). */
export const TEST_PG_URL = process.env.MATCHBOX_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A migrated, empty store. */
export interface OpenedStore {
  readonly db: SqlDriver;
  /** Closes the driver and removes everything the test created. */
  cleanup(): Promise<void>;
}

export interface TestBackend {
  readonly name: 'pg' | 'pglite' | 'pglite-worker';
  open(): Promise<OpenedStore>;
}

export function randomSchemaName(prefix = 'store_test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export async function dropSchema(schema: string, url = TEST_PG_URL): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); } finally { await c.end(); }
}

/** A fresh random schema on the shared PostgreSQL, migrated, dropped on cleanup. */
export async function openPgSchema(schema = randomSchemaName()): Promise<OpenedStore & { schema: string }> {
  const db = await PgDriver.open({ connection: TEST_PG_URL, schema });
  await migrate(db);
  return {
    db, schema,
    async cleanup() {
      await db.close();
      await dropSchema(schema);
    },
  };
}

export const PG_BACKEND: TestBackend = { name: 'pg', open: () => openPgSchema() };

let pgliteTemplate: Promise<PgliteDriver> | null = null;

/**
 * In-memory PGlite databases, cloned from one migrated template per test process: a clone takes
 * about a second where a fresh instance takes several on a busy machine.
 */
function migratedTemplate(): Promise<PgliteDriver> {
  pgliteTemplate ??= PgliteDriver.open().then(async (t) => { await migrate(t); return t; });
  return pgliteTemplate;
}

export const PGLITE_BACKEND: TestBackend = {
  name: 'pglite',
  async open() {
    const db = await (await migratedTemplate()).clone();
    return { db, cleanup: () => db.close() };
  },
};

let pgliteDump: Promise<ArrayBuffer> | null = null;

/** PGlite on a worker thread (`PgliteWorkerDriver`), each started from a dump of the same template. */
export const PGLITE_WORKER_BACKEND: TestBackend = {
  name: 'pglite-worker',
  async open() {
    pgliteDump ??= migratedTemplate().then((t) => t.dump());
    const db = await PgliteWorkerDriver.open({ loadDataDir: (await pgliteDump).slice(0) });
    return { db, cleanup: () => db.close() };
  },
};
