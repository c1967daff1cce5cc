import type { MarketConfig } from '@matchbox/domain';
import type { EventLog } from '@matchbox/log';
import type { Logger } from 'pino';
import type { SqlDriver } from './driver/sql-driver.ts';
import { Projector } from './projector/projector.ts';
import { migrate } from './schema/migrate.ts';
import { PROJECTION_TABLES } from './schema/migrations.ts';

export interface RebuildOptions {
  readonly db: SqlDriver;
  readonly log: EventLog;
  readonly markets: readonly MarketConfig[];
  readonly name?: string;
  readonly logger?: Logger;
  /** Called after every projected batch with the cursor and the log's last seq. */
  readonly onProgress?: (seq: number, lastSeq: number) => void;
}

export interface RebuildResult {
  readonly seq: number;
  readonly events: number;
  readonly rows: number;
}

/**
 * Drops every store table (projections, cursors, the migration record) and rebuilds them from the
 * event log: the store holds nothing the log does not, so this recovers from a lost, corrupt or
 * outdated database. Needs the log from seq 1 (the projector refuses a trimmed start). Stop the
 * running projectors first; they would resume from a cursor that no longer exists.
 */
export async function rebuildStore(opts: RebuildOptions): Promise<RebuildResult> {
  await opts.db.transaction(async (tx) => {
    for (const table of [...PROJECTION_TABLES, 'projector_cursor', 'schema_migrations']) await tx.query(`DROP TABLE IF EXISTS ${table} CASCADE`);
  });
  await migrate(opts.db);
  const lastSeq = await opts.log.lastSeq();
  const projector = new Projector({
    db: opts.db, log: opts.log, markets: opts.markets, name: opts.name, maxEntriesPerBatch: 1024, maxEventsPerBatch: 50_000,
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  for (;;) {
    const r = await projector.step();
    opts.onProgress?.(r.seq, lastSeq);
    if (r.entries === 0) break;
  }
  return { seq: projector.stats.seq, events: projector.stats.events, rows: projector.stats.rows };
}
