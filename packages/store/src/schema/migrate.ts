import type { SqlDriver } from '../driver/sql-driver.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';

/** Serialises concurrent migrators (two processes starting at once) across the database. */
const MIGRATION_LOCK_KEY = 0x6d62_0001;

/**
 * Applies every migration not yet recorded in `schema_migrations`, each in its own transaction
 * together with its record, so a crash leaves a migration either applied and recorded or neither.
 * Idempotent: running it again applies nothing. Returns the versions it applied.
 */
export async function migrate(db: SqlDriver, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  // CREATE TABLE IF NOT EXISTS is not safe against a concurrent one in PostgreSQL (the loser hits a
  // unique violation on pg_type), so the bookkeeping table is created under the same lock.
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version int PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
  });
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const seen = await tx.query<{ version: number }>('SELECT version FROM schema_migrations WHERE version = $1', [m.version]);
      if (seen.length > 0) return false;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

/**
 * Splits a migration script into statements at top-level semicolons, keeping `$$ … $$` bodies and
 * quoted strings whole (the extended query protocol takes one statement per call).
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  let inDollar = false;
  let inQuote = false;
  while (i < sql.length) {
    const c = sql[i]!;
    if (!inQuote && sql.startsWith('$$', i)) { inDollar = !inDollar; i += 2; continue; }
    if (!inDollar && c === "'") inQuote = !inQuote;
    else if (!inDollar && !inQuote && c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl;
      continue;
    } else if (!inDollar && !inQuote && c === ';') {
      const s = sql.slice(start, i).trim();
      if (s.length > 0) out.push(s);
      start = i + 1;
    }
    i++;
  }
  const tail = sql.slice(start).trim();
  if (tail.length > 0 && !/^(--[^\n]*\n?\s*)*$/.test(tail)) out.push(tail);
  return out;
}
