import type { SqlExecutor } from '../driver/sql-driver.ts';
import { PROJECTION_TABLES } from './migrations.ts';

/**
 * Every projected row as sorted JSON text, table by table: two stores hold the same data exactly
 * when their dumps are equal. The database renders the JSON, so both drivers dump alike.
 */
export async function dumpTables(db: SqlExecutor): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of PROJECTION_TABLES) {
    const rows = await db.query<{ j: string }>(`SELECT row_to_json(t)::text AS j FROM ${table} t`);
    out[table] = rows.map((r) => r.j).sort();
  }
  return out;
}

/** Row count per projected table. */
export async function countRows(db: SqlExecutor): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of PROJECTION_TABLES) {
    const rows = await db.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${table}`);
    out[table] = rows[0]!.n;
  }
  return out;
}
